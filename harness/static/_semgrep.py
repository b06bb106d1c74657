"""semgrep: one offline process per repo with all of our rules (checks/semgrep/), JSON out."""

from __future__ import annotations

from pathlib import Path

from harness.app import SKIP_DIRS, TEST_DIRS
from harness.static import _tools

PINNED = "1.182.0"
TEST_GLOBS = ("test_*.py", "*_test.py", "conftest.py", "*.test.*", "*.spec.*")
# never scanned: dependency and build folders, test folders and test files
EXCLUDES = (*sorted(SKIP_DIRS | TEST_DIRS), *TEST_GLOBS)
# Errors about one target file (it did not parse, a rule timed out on it) leave the rest of the
# scan valid; anything else (bad rules, crashes) makes the whole run untrustworthy.
_FILE_ERRORS = (
    "Syntax error",
    "Lexical error",
    "Other syntax error",
    "Timeout",
    "Out of memory",
    "Partial parsing",
    "Too many matches",
    "Fixpoint timeout",
)


def command(binary: str, repo: Path, rules: Path, *, per_file_timeout: float = 10.0) -> list[str]:
    argv = [
        binary, "scan",
        "--config", str(rules),
        "--json",
        "--metrics=off",
        "--disable-version-check",
        "--no-git-ignore",
        "--x-ignore-semgrepignore-files",  # the scanned repo must not be able to hide files
        "--disable-nosem",  # nor silence findings with comments
        "--no-rewrite-rule-ids",
        "--timeout", str(int(per_file_timeout)),
        "--timeout-threshold", "3",
        "--max-target-bytes", "1000000",
    ]  # fmt: skip
    for pattern in EXCLUDES:
        argv += ["--exclude", pattern]
    # the repo is the working directory, the project root and the target: semgrep otherwise
    # matches --exclude against paths from the enclosing git repository's root, so a repo kept
    # under a folder named tests/ was skipped entirely (0 files scanned, no finding)
    argv += ["--project-root", ".", "."]
    return argv


def start(repo: Path, rules: Path, *, per_file_timeout: float = 10.0) -> _tools.Job | str:
    """The started scan, or the reason it could not start."""
    return _tools.launch(
        "semgrep",
        PINNED,
        lambda binary: command(binary, repo, rules, per_file_timeout=per_file_timeout),
        env={"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
        cwd=repo,
    )


def finish(job: _tools.Job | str, repo: Path, timeout: float) -> _tools.ToolRun:
    run = _tools.ToolRun("semgrep")
    return _tools.read_report(job, run, timeout, lambda report: parse(report, repo, run))


def parse(report: tuple[int, dict, bytes], repo: Path, run: _tools.ToolRun) -> _tools.ToolRun:
    """Read semgrep's exit code, JSON report and stderr into ``run``."""
    code, data, stderr = report
    run.version = str(data.get("version") or "")
    fatal = [e for e in data.get("errors", []) if _is_fatal(e)]
    if fatal:
        run.error = "semgrep reported: " + "; ".join(
            str(e.get("message", e.get("type")))[:300] for e in fatal[:3]
        )
        return run
    if code not in (0, 1):
        run.error = f"semgrep exited {code}: {_tools.tail(stderr)}"
        return run
    for e in data.get("errors", []):
        file = _tools.relative(str(e.get("path", "?")), repo)
        kind = _kind(e)
        run.notes.append(f"semgrep skipped part of {file}: {kind}")
        partial = kind.startswith(_PARTIAL)  # read around the parts it could not parse
        run.skipped.append(_tools.Skipped(file, kind, e.get("rule_id") or None, partial=partial))
    run.files_scanned = len((data.get("paths") or {}).get("scanned") or [])
    seen: set[tuple[str, str, int, int]] = set()
    for r in data["results"]:
        key = (
            r["check_id"],
            _tools.relative(r["path"], repo),
            r["start"]["line"],
            r["end"]["line"],
        )
        if key in seen:  # one rule, several matching branches, same place
            continue
        seen.add(key)
        extra = r.get("extra") or {}
        run.findings.append(
            _tools.RawFinding(
                rule=key[0],
                file=key[1],
                line=key[2],
                end_line=key[3],
                message=" ".join(str(extra.get("message", "")).split()),
                tool_severity=str(extra.get("severity", "")),
            )
        )
    if run.version and run.version != PINNED:
        run.notes.append(f"semgrep {run.version} differs from the pinned {PINNED}")
    return run


_PARTIAL = ("Partial parsing", "PartialParsing")


def _kind(error: dict) -> str:
    kind = error.get("type", "")
    return str(kind[0] if isinstance(kind, list) and kind else kind)


def _is_fatal(error: dict) -> bool:
    kind = _kind(error)
    return error.get("level") == "error" and not any(kind.startswith(k) for k in _FILE_ERRORS)
