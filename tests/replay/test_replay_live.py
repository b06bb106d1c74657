"""`harness replay` against a real started app: the recorded exchanges of a scorecard are sent
again with freshly signed-in users, and with --serve the reports' curl lines run as printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from harness import score
from harness.replay import portable_curl, recorded, replay

ROOT = Path(__file__).resolve().parents[2]
AGENT = """---
name: owner-rules
description: Backend rules.
---

- Users can only read, update and delete their own todos; enforce authorization on every route.
"""


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("replay")
    agent = tmp / "agent.md"
    agent.write_text(AGENT)
    score(agent, ROOT / "fixtures" / "apps" / "todo-flask-bad", out_dir=tmp / "out")
    return tmp / "out" / "scorecard.json"


def test_exchanges_are_sent_again_with_fresh_users(scored: Path) -> None:
    result = replay(scored, only={"auth.authorization"})
    sent = [x for x in result.exchanges if x.skipped is None]
    assert sent and {x.as_user for x in sent} <= {"a", "b"}
    # user A's own read was answered with the fresh token as it was then
    own = [x for x in sent if x.as_user == "a" and x.method == "GET"]
    assert own and all(x.now_status == x.then_status == 200 for x in own), own
    assert all(x.requirement == "auth.authorization" for x in result.exchanges)


def test_serve_makes_the_report_curl_lines_runnable(scored: Path) -> None:
    from harness.report import load_scorecard

    card = load_scorecard(scored)
    line = next(
        portable_curl(x)
        for _, _, x in recorded(card, {"live.crud"})
        # the list: record ids of the first run need not exist in the fresh app
        if x.method == "GET"
        and x.as_user == "a"
        and x.status == 200
        and not any(c.isdigit() for c in x.url.rsplit(":", 1)[-1].split("/", 1)[-1])
    )
    assert line.startswith('curl -sS -i -X GET "$APP/') and "$TOKEN_A" in line
    answers: dict[str, str] = {}

    def run_curl(variables: dict[str, str]) -> None:
        done = subprocess.run(
            ["bash", "-c", line],
            env={**os.environ, **variables},
            capture_output=True,
            text=True,
            timeout=30,
        )
        answers["out"] = done.stdout + done.stderr

    def on_serve(url: str, variables: dict[str, str]) -> None:
        assert url.startswith("http://127.0.0.1:")
        # the event loop serves the relay while the curl runs beside it
        threading.Thread(target=run_curl, args=(variables,), daemon=True).start()

    replay(scored, only={"live.crud"}, serve_for=12, on_serve=on_serve)
    assert answers["out"].startswith("HTTP/1.1 200"), answers.get("out")


def test_cli_prints_then_and_now_as_json(scored: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness", "replay", str(scored), "--check", "live.crud", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["exchanges"] and {x["check"] for x in data["exchanges"]} == {"live.crud"}
    unknown = subprocess.run(
        [sys.executable, "-m", "harness", "replay", str(scored), "--check", "no.such"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert unknown.returncode == 2 and "no recorded live exchange" in unknown.stderr
