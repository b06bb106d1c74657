"""From analyzer output and facts to check results: findings tied to checks, verdicts of the data
checks, and the evidence helpers every static check uses."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from harness.catalogue import CheckSpec, errored, failed, not_applicable, note, passed
from harness.scorecard._model import CheckResult, Evidence, Finding, fingerprint
from harness.static._catalogue import DataCheck, load_catalogue
from harness.static._constant_sql import constant_sql_reason
from harness.static._model import SOURCE_LANGUAGES, Location, StaticContext
from harness.static._nosql import mongo_sanitized_reason
from harness.static._setting_names import non_secret_setting_reason
from harness.static._tools import RawFinding, Skipped, ToolRun

# Provers that show an analyzer hit harmless (checks/static.yaml drop_when): a reason or None.
DROP_PROVERS = {
    "constant_sql": lambda ctx, raw: constant_sql_reason(
        ctx.file(raw.file), raw.line, raw.end_line
    ),
    # one line, one assignment: a multi-line hit may hold several names, so it stays
    "non_secret_setting": lambda ctx, raw: (
        non_secret_setting_reason(snippet(ctx, raw.file, raw.line, raw.line))
        if raw.end_line <= raw.line
        else None
    ),
    "mongo_sanitized": mongo_sanitized_reason,
}
MAX_EVIDENCE = 10  # findings cited per check; the message carries the full count
MAX_SNIPPET_LINES = 6


def snippet(ctx: StaticContext, file: str, line: int, end_line: int) -> str:
    source = ctx.file(file)
    if source is not None:
        lines = source.lines
    else:
        try:
            lines = (ctx.repo / file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
    chunk = lines[line - 1 : min(end_line, line + MAX_SNIPPET_LINES - 1)]
    return "\n".join(chunk)[:600]


def tie_findings(
    ctx: StaticContext, runs: dict[str, ToolRun], specs: dict[str, CheckSpec]
) -> dict[str, list[Finding]]:
    """Raw analyzer hits -> Findings of the checks that listed their rule ids."""
    catalogue = load_catalogue()
    out: dict[str, list[Finding]] = defaultdict(list)
    seen: set[tuple[str, str, int]] = set()  # several rules of one check, same place: one finding
    for tool, run in runs.items():
        if run.error:
            continue
        owner = catalogue.rule_to_check(tool)
        for raw in run.findings:
            check_id = owner.get(raw.rule)
            if check_id is None or check_id not in specs:
                continue
            finding = _finding(ctx, specs[check_id], catalogue.checks[check_id], raw)
            if finding is None:
                continue
            key = (check_id, finding.file, finding.line)
            if key not in seen:
                seen.add(key)
                out[check_id].append(finding)
    return out


def _finding(
    ctx: StaticContext, spec: CheckSpec, data: DataCheck, raw: RawFinding
) -> Finding | None:
    text = snippet(ctx, raw.file, raw.line, raw.end_line)
    # the enclosing function's name (def reset_token(): above the call) counts for keep_snippet
    above = (
        snippet(ctx, raw.file, max(1, raw.line - 5), raw.line - 1).splitlines()
        if raw.line > 1
        else []
    )
    header = next(
        (ln for ln in reversed(above) if re.match(r"\s*(async\s+)?(def|function)\s", ln)), ""
    )
    context = header + "\n" + text
    if data.keep_snippet and not re.search(data.keep_snippet, context):
        return None
    if data.drop_snippet and re.search(data.drop_snippet, text):
        return None
    for name in data.drop_when:
        try:
            reason = DROP_PROVERS[name](ctx, raw)
        except Exception:  # a prover that cannot decide keeps the finding
            reason = None
        if reason:
            ctx._cache.setdefault("set_aside", {}).setdefault(spec.id, []).append(
                f"{raw.file}:{raw.line} ({raw.rule}): {reason}"
            )
            return None
    where = Location(raw.file, raw.line, text)
    return check_finding(spec, where, f"[{raw.rule}] {raw.message}", raw.end_line)


def assign_fingerprints(findings: list[Finding]) -> None:
    """Stable ids; identical snippets of one check in one file are told apart by occurrence."""
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for f in sorted(findings, key=lambda f: (f.check, f.file, f.line)):
        key = (f.check, f.file, " ".join(f.snippet.split()))
        f.fingerprint = fingerprint(f.check, f.file, f.snippet, seen[key])
        seen[key] += 1


# ------------------------------------------------------------------------- evidence helpers


def check_finding(
    spec: CheckSpec, loc: Location, message: str, end_line: int | None = None
) -> Finding:
    """A finding of the check ``spec`` (its requirement, id, tool and severity) at ``loc``, whose
    text is the snippet shown."""
    return Finding(
        requirement=spec.requirement,
        check=spec.id,
        tool=spec.tool,
        severity=spec.severity,
        file=loc.file,
        line=loc.line,
        end_line=end_line,
        snippet=loc.text,
        message=message,
    )


def finding_at(
    spec: CheckSpec,
    loc: Location,
    message: str,
    ctx: StaticContext | None = None,
    end_line: int | None = None,
) -> Finding:
    """A finding of an own check at ``loc``, its snippet read from the source when ``ctx`` is
    given (lines ``loc.line`` to ``end_line``)."""
    text = snippet(ctx, loc.file, loc.line, end_line or loc.line) if ctx else loc.text
    where = Location(loc.file, loc.line, text or loc.text)
    return check_finding(spec, where, message, end_line or loc.line)


def fail_with(spec: CheckSpec, message: str, findings: list[Finding]) -> CheckResult:
    """A fail citing its findings (capped), with the total count in the message."""
    evidence = [
        Evidence(kind="static", message=f.message, finding=f) for f in findings[:MAX_EVIDENCE]
    ]
    if len(findings) > MAX_EVIDENCE:
        evidence.append(
            note(
                f"and {len(findings) - MAX_EVIDENCE} more finding(s) of this check",
                total=len(findings),
            )
        )
    return failed(
        spec, f"{message} ({len(findings)} finding(s))" if findings else message, *evidence
    )


def cite(label: str, locations: list[Location], limit: int = 5) -> Evidence:
    """A note naming where something was seen: "bcrypt.hashpw at app/auth.py:42"."""
    shown = ", ".join(
        f"{loc.text[:80]!r} at {loc}" if loc.text else str(loc) for loc in locations[:limit]
    )
    more = f" (+{len(locations) - limit} more)" if len(locations) > limit else ""
    return note(
        f"{label}: {shown}{more}" if locations else label,
        locations=[str(loc) for loc in locations[:limit]],
    )


def language_gap(spec: CheckSpec, ctx: StaticContext) -> CheckResult | None:
    """not_applicable when the check covers none of the repo's languages."""
    if spec.languages and not (ctx.languages & set(spec.languages)):
        have = ", ".join(sorted(ctx.languages)) or "no source files"
        return not_applicable(
            spec, f"{spec.id} covers {', '.join(spec.languages)}; the repo has {have}"
        )
    return None


# ----------------------------------------------------------------------------- data checks


def evaluate_data(
    spec: CheckSpec, ctx: StaticContext, runs: dict[str, ToolRun], found: list[Finding]
) -> CheckResult:
    data = load_catalogue().checks[spec.id]
    gap = language_gap(spec, ctx)
    if gap is not None:
        return gap
    if data.tool in ("semgrep", "bandit"):
        run = runs.get(data.tool)
        if run is None or run.error:
            reason = run.error if run else "was not run"
            return errored(
                spec, f"{data.tool} did not run, so {spec.id} could not be decided: {reason}"
            )
    if data.tool in ("semgrep", "bandit") and found:
        # an analyzer finding stands whatever the facts say: a fact that did not match (no
        # "html" pattern seen) is a blind spot of the fact, never proof the finding is harmless
        result = fail_with(spec, f"{data.tool} found violations of {spec.requirement}", found)
        result.evidence += set_aside(ctx, spec)
        return result
    skipped = unread(ctx, data, runs)
    if data.applies_when and not ctx.fact(data.applies_when):
        if skipped:
            return not_read(spec, data.tool, skipped)
        if data.safe_when_absent and ctx.fact(data.safe_when_absent):
            return passed(
                spec,
                f"{data.absent}; {spec.requirement} holds by construction",
                cite(data.safe_when_absent.replace("_", " "), ctx.fact(data.safe_when_absent)),
            )
        return not_applicable(spec, data.absent or f"nothing that {spec.id} guards was found")
    if data.tool in ("semgrep", "bandit"):
        if skipped:
            return not_read(spec, data.tool, skipped)
        files = len([f for f in ctx.sources if f.language in (data.languages or [f.language])])
        evidence = [
            note(
                f"{data.tool} ran rules {', '.join(data.rules)} over {files} source file(s): "
                "no violation",
                tool=data.tool,
                rules=data.rules,
                files=files,
            )
        ]
        if data.good and ctx.fact(data.good):
            evidence.append(cite("where the guarded code is", ctx.fact(data.good)))
        elif data.applies_when:
            evidence.append(cite("what was checked", ctx.fact(data.applies_when)))
        evidence += set_aside(ctx, spec)
        return passed(spec, f"no violation of {spec.requirement} found by {data.tool}", *evidence)
    # presence checks: facts that must (or must not) hold
    bad = [loc for name in data.forbids for loc in ctx.fact(name)]
    if bad:
        return fail_with(
            spec,
            data.missing or f"{spec.id}: forbidden pattern present",
            [finding_at(spec, loc, f"{spec.title}: forbidden here", ctx) for loc in bad],
        )
    missing = [name for name in data.requires if not ctx.fact(name)]
    if missing:
        return failed(
            spec,
            data.missing or f"not found: {', '.join(missing)}",
            note(f"searched the sources for: {', '.join(missing)}", facts=missing),
        )
    evidence = [cite(name, ctx.fact(name)) for name in data.requires]
    return passed(spec, f"{spec.title}: found", *evidence)


def unread(ctx: StaticContext, data: DataCheck, runs: dict[str, ToolRun]) -> list[Skipped]:
    """Source files of the check's languages that its analyzer did not read (parse errors,
    timeouts of the whole file or of one of the check's rules). A partly parsed file counts
    when it does not parse at all (a Python syntax error: the unread part may be the bad line);
    semgrep also partly parses valid code it finds odd, which is read and only noted."""
    run = runs.get(data.tool)
    if run is None or data.tool not in ("semgrep", "bandit"):
        return []
    languages = set(data.languages or SOURCE_LANGUAGES)
    ours = {f.path: f for f in ctx.sources if f.language in languages}
    return [
        s
        for s in run.skipped
        if s.file in ours
        and (s.rule is None or s.rule in data.rules)
        and (not s.partial or ours[s.file].parse_error)
    ]


def not_read(spec: CheckSpec, tool: str, skipped: list[Skipped]) -> CheckResult:
    """No pass over files the analyzer never read: an error naming them."""
    listed = ", ".join(str(s) for s in skipped[:5])
    more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return errored(
        spec,
        f"{tool} could not read {len(skipped)} source file(s) this check covers: "
        f"{listed}{more}; no violation found elsewhere, but no pass over files never read",
        note(
            f"not analysed by {tool}: {listed}{more}",
            unread=[s.file for s in skipped[:50]],
            reasons=[s.reason for s in skipped[:50]],
        ),
    )


def set_aside(ctx: StaticContext, spec: CheckSpec) -> list[Evidence]:
    """A note on analyzer hits a prover showed harmless, so that a reader can check them."""
    hits = ctx._cache.get("set_aside", {}).get(spec.id, [])
    if not hits:
        return []
    return [
        note(
            f"{len(hits)} analyzer hit(s) set aside as harmless: " + "; ".join(hits[:5]),
            set_aside=hits[:20],
        )
    ]


def repo_relative(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()
