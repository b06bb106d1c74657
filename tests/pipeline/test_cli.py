"""The command line as a user meets it: exit codes, one-line errors, where the reports are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def harness(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_missing_repo_is_a_usage_error_in_one_line() -> None:
    done = harness("score", "/no/such/repo", "--static")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "not a directory" in done.stderr


def test_missing_agent_file_is_a_usage_error(tmp_path: Path) -> None:
    done = harness("score", "todo-fastapi-good", "--agent", str(tmp_path / "nope.md"), "--static")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nope.md" in done.stderr


def test_unknown_format_is_a_usage_error() -> None:
    done = harness("score", "todo-fastapi-good", "--static", "--format", "pdf")
    assert done.returncode == 2


def test_static_score_gates_and_says_where_the_reports_are(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = harness(
        "score", "todo-flask-bad", "--agent", "backend", "--static", "--out", str(out),
        "--format", "json,sarif", "-q",
    )
    assert done.returncode == 1, done.stderr  # high-severity promises broken: the gate fails
    assert f"reports: {out}" in done.stdout
    assert "sql.parameterized" in done.stderr  # the gate names what failed
    card = json.loads((out / "scorecard.json").read_text())
    assert card["requirements"]["sql.parameterized"]["verdict"] == "fail"
    assert (out / "scorecard.sarif").exists()


def test_good_app_passes_the_gate_with_a_score_floor(tmp_path: Path) -> None:
    done = harness(
        "score", "todo-fastapi-good", "--agent", "backend-developer", "--static",
        "--out", str(tmp_path), "--format", "json", "--min-score", "0.9", "-q",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    card = json.loads((tmp_path / "scorecard.json").read_text())
    assert card["score"] >= 0.9


def test_checks_lists_a_check_for_every_requirement_in_the_vocabulary() -> None:
    from harness.catalogue import load_requirements

    done = harness("checks", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    by_kind: dict[str, set[str]] = {"static": set(), "live": set()}
    for row in rows:
        by_kind[row["kind"]].add(row["requirement"])
    for rid, req in load_requirements().items():
        if req.static:
            assert rid in by_kind["static"], f"{rid} promises static evidence but has no check"
        if req.live:
            assert rid in by_kind["live"], f"{rid} promises live evidence but has no probe"


def test_checks_rejects_an_unknown_requirement() -> None:
    done = harness("checks", "--requirement", "no.such.thing")
    assert done.returncode == 2
    assert "unknown requirement" in done.stderr
