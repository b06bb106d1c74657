"""SARIF 2.1.0 for code-scanning views: one rule per check, one result per failure.

Static findings keep their file, lines and snippet. A live failure is placed on its route
handler when the evidence or the app profile knows it (``handler_file``/``handler_line`` in the
evidence data, or a matching route in ``repo.profile["routes"]``), else on the app's entry file,
else on the repository root; its message carries the curl line that reproduces it. Fingerprints
are the ones the baseline uses, so both agree on what is the same failure. URIs are relative to
the source root (the git root above the repo, or ``source_root``), so that code scanning places
them when the backend lives in a subfolder of the repository.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness.catalogue._requirements import Requirement, load_requirements
from harness.gate._failures import Failure, failures_by_requirement, route_of
from harness.report._places import repo_prefix as _prefix
from harness.report._places import repo_relative as _relative
from harness.report._places import source_root_of
from harness.report._text import clean, clip, exchange_lines, harness_version
from harness.scorecard._model import CheckResult, Scorecard, Severity, Status

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.high: "error", Severity.medium: "warning", Severity.low: "note"}
# GitHub ranks security alerts by this number (CVSS-like, 0..10).
_SECURITY_SEVERITY = {Severity.high: "8.0", Severity.medium: "5.0", Severity.low: "2.0"}
_ROOT = "%SRCROOT%"


def _uri(file: str) -> str:
    return quote(file, safe="/-_.~")


def _artifact(file: str) -> dict[str, Any]:
    return {"uri": _uri(file), "uriBaseId": _ROOT}


def _location(file: str, line: int | None = None, end: int | None = None, snippet: str = ""):
    physical: dict[str, Any] = {"artifactLocation": _artifact(file)}
    if line is not None and line >= 1:
        region: dict[str, Any] = {"startLine": line}
        if end is not None and end >= line:
            region["endLine"] = end
        if snippet:
            region["snippet"] = {"text": clip(clean(snippet), 4000)}
        physical["region"] = region
    return {"physicalLocation": physical}


def _rule(check_id: str, requirement: Requirement | None, title: str | None, severity: Severity):
    req_title = requirement.title if requirement else check_id
    tags = []
    if requirement is not None:
        tags = [requirement.group, f"requirement/{requirement.id}"]
        tags += [f"external/cwe/cwe-{n}" for n in requirement.cwe]
    help_text = req_title
    if requirement is not None and (requirement.pass_ or requirement.fail):
        help_text = (
            f"{req_title}\n\nPasses when: {requirement.pass_}\nFails when: {requirement.fail}"
        )
    properties: dict[str, Any] = {"tags": tags, "severity": severity.value}
    if requirement is not None:
        properties["requirement"] = requirement.id
        if requirement.group == "security":
            properties["security-severity"] = _SECURITY_SEVERITY[severity]
    return {
        "id": check_id,
        "name": re.sub(r"[^A-Za-z0-9]+", "_", check_id),
        "shortDescription": {"text": clean(title or req_title)},
        "fullDescription": {"text": clean(req_title)},
        "help": {"text": clean(help_text)},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": properties,
    }


def _route_pattern(path: str) -> re.Pattern[str]:
    parts = [
        "[^/]+" if re.fullmatch(r"\{[^}]*\}|:[^/]+|<[^>]+>", p) else re.escape(p)
        for p in path.strip("/").split("/")
    ]
    return re.compile("^/?" + "/".join(parts) + "/?$")


class _Placement:
    """Where a live failure is shown: its handler if known, else the entry file, else the root."""

    def __init__(self, card: Scorecard, prefix: str = "") -> None:
        profile = card.repo.profile or {}
        self.repo = card.repo.path
        self.prefix = prefix
        self.fallback = profile.get("entrypoint") or "."
        self.routes = [
            (str(r.get("method", "ANY")).upper(), _route_pattern(str(r["path"])), r)
            for r in profile.get("routes", []) or []
            if isinstance(r, dict) and r.get("path") and r.get("file")
        ]

    def of(self, result: CheckResult, route: str) -> dict[str, Any]:
        for evidence in result.evidence:
            data = evidence.data or {}
            ex = evidence.exchange
            if ex is not None and route_of(ex.method, ex.url) != route:
                continue  # this handler belongs to another route
            if data.get("handler_file"):
                line = data.get("handler_line")
                file = _relative(str(data["handler_file"]), self.repo, self.prefix)
                return _location(file, int(line) if isinstance(line, int) else None)
        method, _, path = route.partition(" ")
        for route_method, pattern, found in self.routes:
            if route_method in (method, "ANY") and pattern.match(path):
                line = found.get("line")
                file = _relative(str(found["file"]), self.repo, self.prefix)
                return _location(file, int(line) if isinstance(line, int) else None)
        return _location(_relative(self.fallback, self.repo, self.prefix))


def _live_message(failure: Failure, result: CheckResult | None) -> str:
    lines = [f"{failure.requirement}: {failure.message}", f"Route: {failure.where}"]
    if result is not None:
        for evidence in result.evidence:
            ex = evidence.exchange
            if ex is not None and route_of(ex.method, ex.url) == failure.where:
                lines.append("Reproduce: " + "\n".join(exchange_lines(ex, body_limit=500)))
                break
    return clean("\n".join(lines))


def render_sarif(card: Scorecard, *, source_root: str | Path | None = None) -> str:
    """SARIF 2.1.0; URIs are relative to ``source_root`` (see :func:`source_root_of`)."""
    root = source_root_of(card.repo.path, source_root)
    prefix = _prefix(card.repo.path, root)
    requirements = load_requirements()
    # titles stored in the scorecard, so that this equals what `harness score` wrote
    titles = {r.check: r.title for v in card.requirements.values() for r in v.checks if r.title}
    failures = failures_by_requirement(card)
    results_by_check: dict[tuple[str, str], CheckResult] = {
        (r.requirement, r.check): r for v in card.requirements.values() for r in v.checks
    }
    placement = _Placement(card, prefix)

    rules: dict[str, dict[str, Any]] = {}
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for rid in sorted(failures):
        for failure in failures[rid]:
            if failure.check not in rules:
                rule_index[failure.check] = len(rules)
                rules[failure.check] = _rule(
                    failure.check,
                    requirements.get(rid),
                    titles.get(failure.check),
                    failure.severity,
                )
            occurrence = seen.get(failure.fingerprint, 0)
            seen[failure.fingerprint] = occurrence + 1
            result = results_by_check.get((rid, failure.check))
            if failure.finding is not None:
                f = failure.finding
                location = _location(
                    _relative(f.file, card.repo.path, prefix), f.line, f.end_line, f.snippet
                )
                message = clean(f"{rid}: {f.message}")
            elif failure.kind == "live" and result is not None:
                location = placement.of(result, failure.where)
                message = _live_message(failure, result)
            else:
                location = _location(_relative(placement.fallback, card.repo.path, prefix))
                message = clean(f"{rid}: {failure.message}")
            results.append(
                {
                    "ruleId": failure.check,
                    "ruleIndex": rule_index[failure.check],
                    "level": _LEVEL[failure.severity],
                    "kind": "fail",
                    "message": {"text": message or failure.check},
                    "locations": [location],
                    "partialFingerprints": {"harness/v1": f"{failure.fingerprint}:{occurrence}"},
                    "properties": {"requirement": rid, "failureKind": failure.kind},
                }
            )

    notifications = [
        {
            "level": "error",
            "message": {"text": clean(f"{r.requirement}/{r.check} could not run: {r.message}")},
            "descriptor": {"id": r.check},
        }
        for v in card.requirements.values()
        for r in v.checks
        if r.status == Status.error
    ]
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "toolExecutionNotifications": notifications,
        "properties": {"mode": card.run.mode, "runner": card.run.runner, "tools": card.run.tools},
    }
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "harness",
                "semanticVersion": harness_version(),
                "version": harness_version(),
                "rules": list(rules.values()),
            }
        },
        "invocations": [invocation],
        "results": results,
        "properties": {
            "agent": card.agent.name if card.agent else None,
            "score": card.score,
            "coverage": card.coverage,
        },
    }
    if Path(card.repo.path).is_absolute() or source_root is not None:
        run["originalUriBaseIds"] = {_ROOT: {"uri": root.as_uri().rstrip("/") + "/"}}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def failure_places(
    card: Scorecard, source_root: str | Path | None = None
) -> dict[str, tuple[str, int | None]]:
    """Where each failing requirement is first shown in code (file relative to the source root,
    line when known): the place SARIF puts its first result. Used by JUnit's file/line."""
    root = source_root_of(card.repo.path, source_root)
    prefix = _prefix(card.repo.path, root)
    placement = _Placement(card, prefix)
    checks = {(r.requirement, r.check): r for v in card.requirements.values() for r in v.checks}
    out: dict[str, tuple[str, int | None]] = {}
    for rid, failures in failures_by_requirement(card).items():
        if not failures:
            continue
        failure = failures[0]
        result = checks.get((rid, failure.check))
        if failure.finding is not None:
            f = failure.finding
            out[rid] = (_relative(f.file, card.repo.path, prefix), f.line)
            continue
        if failure.kind == "live" and result is not None:
            physical = placement.of(result, failure.where)["physicalLocation"]
        else:
            physical = _location(_relative(placement.fallback, card.repo.path, prefix))[
                "physicalLocation"
            ]
        line = physical.get("region", {}).get("startLine")
        out[rid] = (physical["artifactLocation"]["uri"], line)
    return out
