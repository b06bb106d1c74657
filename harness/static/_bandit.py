"""bandit: one process over the repo's Python sources (the same selection semgrep scans), limited
to the test ids our catalogue maps, JSON out."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
from pathlib import Path

from harness.static import _tools

PINNED = "1.9.4"


def command(binary: str, repo: Path, files: list[str], tests: list[str]) -> list[str]:
    # Explicit file targets: bandit then finds no project .bandit file to read excludes or skips
    # from, and nosec comments are ignored, so the scanned repo cannot switch checks off.
    argv = [binary, "-f", "json", "-q", "--ignore-nosec"]
    if tests:
        argv += ["-t", ",".join(sorted(tests))]
    return argv + [str(repo / f) for f in files]


def start(repo: Path, files: list[str], tests: list[str]) -> _tools.Job | str | None:
    """The started scan, the reason it could not start, or None when there is nothing to scan."""
    if not files:
        return None
    return _tools.launch("bandit", PINNED, lambda binary: command(binary, repo, files, tests))


def version(binary: str | None = None) -> str:
    binary = binary or _tools.locate("bandit")
    if not binary:
        return ""
    with contextlib.suppress(OSError):
        st = os.stat(binary)
        return _version(binary, st.st_size, st.st_mtime_ns)
    return ""


@functools.cache
def _version(binary: str, size: int, mtime_ns: int) -> str:
    """bandit --version, asked once per binary (size and time tell a reinstall)."""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    first = (out.stdout or "").strip().splitlines()[:1]
    return first[0].split()[-1] if first and first[0].startswith("bandit") else ""


def finish(job: _tools.Job | str | None, repo: Path, timeout: float) -> _tools.ToolRun:
    run = _tools.ToolRun("bandit")
    if job is None:
        run.notes.append("bandit not run: no Python sources")
        return run

    def read(report: tuple[int, dict, bytes]) -> None:
        run.version = version(job.argv[0])  # type: ignore[union-attr]  # a report: it started
        parse(report, repo, run)

    return _tools.read_report(job, run, timeout, read)


def parse(report: tuple[int, dict, bytes], repo: Path, run: _tools.ToolRun) -> _tools.ToolRun:
    """Read bandit's exit code, JSON report and stderr into ``run``."""
    code, data, stderr = report
    if code not in (0, 1):
        run.error = f"bandit exited {code}: {_tools.tail(stderr)}"
        return run
    for e in data.get("errors", []):
        file = _tools.relative(str(e.get("filename", "?")), repo)
        run.skipped.append(_tools.Skipped(file, str(e.get("reason") or "could not be scanned")))
        run.notes.append(f"bandit could not scan {file}: {e.get('reason')}")
    run.files_scanned = len([k for k in (data.get("metrics") or {}) if k != "_totals"])
    for r in data["results"]:
        line_range = r.get("line_range") or [r["line_number"]]
        run.findings.append(
            _tools.RawFinding(
                rule=r["test_id"],
                file=_tools.relative(r["filename"], repo),
                line=int(r["line_number"]),
                end_line=int(max(line_range)),
                message=f"{r.get('issue_text', '').strip()} ({r['test_id']})",
                tool_severity=str(r.get("issue_severity", "")),
            )
        )
    if run.version and run.version != PINNED:
        run.notes.append(f"bandit {run.version} differs from the pinned {PINNED}")
    return run
