"""Running an analyzer as a subprocess: where its binary is, how it is started with its output
going to files (so that pipes never block), and how it is waited for under a deadline."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.static import _cache


@dataclass
class RawFinding:
    """An analyzer hit before it is tied to a check: the tool's own rule id and a location."""

    rule: str
    file: str  # relative to the repo, posix
    line: int
    end_line: int
    message: str
    tool_severity: str = ""


@dataclass
class Skipped:
    """A file the analyzer did not (fully) read: a parse error, a timeout. ``rule`` is set when
    only that rule gave up on the file."""

    file: str  # relative to the repo, posix
    reason: str
    rule: str | None = None
    partial: bool = False  # the analyzer read the file around the parts it could not parse

    def __str__(self) -> str:
        return f"{self.file} ({self.reason}{', rule ' + self.rule if self.rule else ''})"


@dataclass
class ToolRun:
    """What one analyzer produced. ``error`` is set when it could not be trusted at all;
    ``skipped`` lists the files it could not read, so that no pass is claimed over them."""

    tool: str
    version: str = ""
    error: str | None = None
    findings: list[RawFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duration: float = 0.0
    files_scanned: int = 0


def locate(name: str) -> str | None:
    """The analyzer binary: an explicit HARNESS_<NAME>_BIN, then next to the running interpreter
    (the harness's own virtualenv pins the versions), then PATH."""
    override = os.environ.get(f"HARNESS_{name.upper()}_BIN")
    if override is not None:
        return override if Path(override).is_file() and os.access(override, os.X_OK) else None
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


class Job:
    """A started analyzer process whose stdout/stderr land in temporary files."""

    recalled: str | None = None  # when the report was read back from the cache: the run's time

    def __init__(
        self,
        argv: list[str],
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        cache_key: str | None = None,
    ):
        self.argv = argv
        self.cache_key = cache_key
        self.started = time.perf_counter()
        # closed in wait(); the process writes to them until then
        self._out = tempfile.TemporaryFile()  # noqa: SIM115
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            argv,
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its own process group, so a timeout kills every child
        )

    def wait(self, timeout: float) -> tuple[int | None, bytes, bytes]:
        """Exit code (None on timeout, after killing the group), stdout and stderr."""
        code: int | None
        try:
            code = self.proc.wait(timeout=max(timeout, 0.1))
        except subprocess.TimeoutExpired:
            self.kill()
            code = None
        self._out.seek(0)
        self._err.seek(0)
        out, err = self._out.read(), self._err.read()
        self._out.close()
        self._err.close()
        return code, out, err

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def keep(self, code: int, out: bytes, err: bytes, run: ToolRun) -> None:
        """Keep the finished report for a later run over the same inputs (see ``_cache``)."""
        if self.cache_key is not None and run.error is None:
            _cache.keep(self.cache_key, code, out, err, [s.reason for s in run.skipped])


class RecalledJob(Job):
    """A report read back from the analyzer cache: nothing runs."""

    def __init__(self, argv: list[str], hit: tuple[int, bytes, bytes, str]):
        self.argv = argv
        self.cache_key = None  # already kept
        self.started = time.perf_counter()
        self._hit = hit
        self.recalled = hit[3]

    def wait(self, timeout: float) -> tuple[int | None, bytes, bytes]:
        return self._hit[:3]

    def kill(self) -> None:
        return None


def launch(
    name: str,
    pinned: str,
    argv: Callable[[str], list[str]],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Job | str:
    """The started analyzer (``argv`` builds its command line from the located binary), or the
    reason it could not start."""
    binary = locate(name)
    if binary is None:
        return (
            f"{name} binary not found (looked beside the Python interpreter and on PATH); "
            f"install {name}=={pinned}"
        )
    command = argv(binary)
    digest = _cache.key(command, env, cwd) if _cache.enabled() else None
    hit = _cache.recall(digest) if digest is not None else None
    if hit is not None:
        return RecalledJob(command, hit)
    try:
        return Job(command, env=env, cwd=cwd, cache_key=digest)
    except OSError as exc:
        return f"{name} could not be started: {exc}"


def wait_for(job: Job | str, run: ToolRun, timeout: float) -> tuple[int, bytes, bytes] | None:
    """Exit code, stdout and stderr of the finished job; None, with ``run.error`` set, when it
    could not start (``job`` is then the reason) or timed out."""
    if isinstance(job, str):
        run.error = job
        return None
    code, out, err = job.wait(timeout)
    run.duration = job.elapsed
    if job.recalled is not None:
        run.notes.append(
            f"{run.tool} report read back from the harness cache: the same {run.tool} binary, "
            f"command, rules and files as its run of {job.recalled}"
        )
    if code is None:
        run.error = f"{run.tool} timed out after {timeout:.0f}s"
        return None
    return code, out, err


def read_report(
    job: Job | str, run: ToolRun, timeout: float, parse: Callable[[tuple[int, dict, bytes]], Any]
) -> ToolRun:
    """Wait for the analyzer and read its exit code, JSON report and stderr into ``run`` with
    ``parse``; ``run.error`` says why when it could not start, timed out or wrote no report. A
    report read is kept for a later run over the same inputs (see ``_cache``)."""
    done = wait_for(job, run, timeout)
    if done is None:
        return run
    code, out, err = done
    data = json_report(run, out, code=code, stderr=err)
    if data is None:
        return run
    parse((code, data, err))
    if isinstance(job, Job):
        job.keep(code, out, err, run)
    return run


def json_report(run: ToolRun, out: bytes, *, code: int, stderr: bytes) -> dict | None:
    """The analyzer's JSON report (a dict with a ``results`` list); None, with ``run.error`` set,
    when the output is not one."""
    try:
        data = json.loads(out)
        data["results"]
    except (ValueError, KeyError, TypeError):
        run.error = (
            f"{run.tool} exited {code} without valid JSON output: {tail(stderr) or tail(out)}"
        )
        return None
    return data


def tail(data: bytes, lines: int = 5) -> str:
    text = data.decode("utf-8", "replace").strip().splitlines()
    return " | ".join(text[-lines:])[:600]


def relative(path: str, repo: Path) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = (repo / p).resolve()
    try:
        return p.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return p.as_posix()
