"""--startup-timeout and HARNESS_STARTUP_TIMEOUT: an app that never listens is given up on
after the time asked for, the wait is shown while it lasts, and the cause is said once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import harness

pytestmark = pytest.mark.live

DEAF_APP = """import time

from flask import Flask

time.sleep(100000)  # importing the app never finishes, so it never listens
app = Flask(__name__)


@app.route("/todos")
def todos():
    return {"items": []}
"""


@pytest.fixture
def deaf(tmp_path: Path) -> Path:
    repo = tmp_path / "deaf"
    repo.mkdir()
    (repo / "app.py").write_text(DEAF_APP)
    (repo / "requirements.txt").write_text("flask\n")
    return repo


def _run(repo: Path, out: Path, *args: str, env: dict[str, str] | None = None):
    return harness(
        "score", str(repo), "--agent", "backend", "--out", str(out), *args,
        env={"COLUMNS": "80", **(env or {})},
    )  # fmt: skip


def test_environment_sets_the_wait_and_a_flag_overrides_it(deaf: Path, tmp_path: Path) -> None:
    done = _run(deaf, tmp_path / "a", env={"HARNESS_STARTUP_TIMEOUT": "4"})
    assert done.returncode == 1, done.stderr
    notes = " ".join(json.loads((tmp_path / "a" / "scorecard.json").read_text())["run"]["notes"])
    assert "within 4s" in notes, notes
    # shown while it waits (not a terminal: one line per stage on stderr)
    assert "installing and starting the app (local, 4 s to listen)" in done.stderr
    # one cause, said once, however many requirements it left unchecked
    flat = " ".join(done.stdout.split())
    assert flat.count("the app did not start") == 1, done.stdout
    assert "requirements could not be checked" in flat

    flagged = _run(deaf, tmp_path / "b", "--startup-timeout", "3",
                   env={"HARNESS_STARTUP_TIMEOUT": "4"})  # fmt: skip
    assert flagged.returncode == 1, flagged.stderr
    notes = " ".join(json.loads((tmp_path / "b" / "scorecard.json").read_text())["run"]["notes"])
    assert "within 3s" in notes, notes


def test_a_bad_timeout_is_a_usage_error(deaf: Path, tmp_path: Path) -> None:
    for bad in ("0", "-1", "soon"):
        done = _run(deaf, tmp_path / "c", "--startup-timeout", bad)
        assert done.returncode == 2, (bad, done.stderr)
        assert "startup-timeout" in done.stderr
