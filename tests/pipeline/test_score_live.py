"""The whole pipeline, static and live: real apps started in the sandbox and probed over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import score
from harness.scorecard import Status, Verdict

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]


def harness_processes() -> list[str]:
    """Live processes started by a runner (they carry its marker variable in their environment)."""
    from harness.runner._sandbox import MARKER_VAR

    needle = f"{MARKER_VAR}=".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            env = Path(f"/proc/{entry}/environ").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(v.startswith(needle) for v in env.split(b"\0")):
            found.append(entry)
    return found


def settle(timeout: float = 5.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := harness_processes()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_bad_app_fails_its_promises_live_with_reproducible_evidence(tmp_path: Path) -> None:
    before = set(harness_processes())
    card = score("backend", "todo-flask-bad", task="todo-api", out_dir=tmp_path, formats=("json",))
    assert card.run.mode == "static+live"
    assert card.run.isolation
    assert card.run.api_model_source == "task"
    assert {"static", "start", "api_model", "probes", "stop"} <= set(card.run.timings)

    for rid in ("sql.parameterized", "auth.password-hashing", "ratelimit", "auth.authorization"):
        req = card.requirements[rid]
        assert req.verdict in (Verdict.failed, Verdict.partial), (rid, req.reason)
        live_fails = [c for c in req.checks if c.kind == "live" and c.status == Status.failed]
        if rid == "auth.password-hashing":
            # evidence is the stored credential read from the app's SQLite file
            assert live_fails and any(e.data or e.exchange for c in live_fails for e in c.evidence)
            continue
        assert live_fails, f"{rid}: no live failure"
        exchanges = [e.exchange for c in live_fails for e in c.evidence if e.exchange]
        assert exchanges, f"{rid}: a live failure without a request/response"
        assert all(x.curl.startswith("curl") and x.url for x in exchanges)
    assert set(settle()) <= before, "an app process outlived its score"


def test_good_app_keeps_its_promises_live(tmp_path: Path) -> None:
    card = score("backend", "todo-fastapi-good", task="todo-api", out_dir=tmp_path, formats=())
    broken = {
        rid: r.reason
        for rid, r in card.requirements.items()
        if r.verdict in (Verdict.failed, Verdict.partial, Verdict.error)
    }
    assert not broken, broken
    live = [c for r in card.requirements.values() for c in r.checks if c.kind == "live"]
    assert sum(c.status == Status.passed for c in live) >= 20


def test_an_app_that_never_starts_gives_errors_with_its_log_not_fails(tmp_path: Path) -> None:
    before = set(harness_processes())
    repo = tmp_path / "broken"
    repo.mkdir()
    (repo / "app.py").write_text(
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "raise RuntimeError('config file missing: /etc/todo.conf')\n"
        "if __name__ == '__main__':\n"
        "    app.run(port=5000)\n"
    )
    card = score("backend", repo, out_dir=tmp_path / "out", formats=())
    live = [c for r in card.requirements.values() for c in r.checks if c.kind == "live"]
    assert live and all(c.status == Status.error for c in live)
    logs = " ".join(str(e.data) for c in live for e in c.evidence if e.data)
    assert "config file missing" in logs
    status_codes = card.requirements["http.status-codes"]
    assert status_codes.verdict == Verdict.error
    assert set(settle()) <= before, "the crashed app left processes behind"


def test_ctrl_c_during_a_live_score_leaves_nothing_running(tmp_path: Path) -> None:
    before = set(harness_processes())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness",
            "score",
            "todo-flask-bad",
            "--agent",
            "backend",
            "--task",
            "todo-api",
            "--out",
            str(tmp_path),
            "--format",
            "json",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # wait until the app is up (the progress line says so), then interrupt
    deadline = time.monotonic() + 180
    seen = ""
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen += line
        if "app is up" in line or not line:
            break
    assert "app is up" in seen, seen[-2000:]
    assert set(harness_processes()) - before, "the app should be running before the interrupt"
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, seen + rest
    assert set(settle()) <= before, "processes left after Ctrl-C"
