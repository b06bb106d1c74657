"""`harness rejudge`: a stored scorecard judged again from the results it holds, with another
agent file or after a rule change, without the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import rejudge, score

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "---\nname: before\n---\n\n- Hash passwords with bcrypt.\n- Use parameterized queries.\n"
AFTER = BEFORE + "- Never hardcode secrets or API keys in the code.\n"


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("rejudge")
    agent = tmp / "before.md"
    agent.write_text(BEFORE)
    score(agent, ROOT / "fixtures" / "apps" / "todo-flask-bad", live=False, out_dir=tmp / "card")
    return tmp / "card" / "scorecard.json"


def _verdicts(card) -> dict[str, str]:
    return {rid: v.verdict.value for rid, v in card.requirements.items()}


def test_the_same_agent_gives_the_same_verdicts(stored: Path) -> None:
    original = json.loads(stored.read_text())
    again = rejudge(stored)
    assert _verdicts(again) == {r: v["verdict"] for r, v in original["requirements"].items()}
    assert [i.verdict.value for i in again.items] == [i["verdict"] for i in original["items"]]
    assert again.score == original["score"]
    assert "re-judged" in again.run.notes[-1]


def test_stored_results_are_what_is_judged_not_the_app(stored: Path, tmp_path: Path) -> None:
    data = json.loads(stored.read_text())
    assert data["requirements"]["sql.parameterized"]["verdict"] == "fail"
    # a rule change seen as data: every sql check now passes; and the app is gone
    for check in data["requirements"]["sql.parameterized"]["checks"]:
        check["status"] = "pass"
    data["repo"]["path"] = str(tmp_path / "gone")
    changed = tmp_path / "scorecard.json"
    changed.write_text(json.dumps(data))
    assert rejudge(changed).requirements["sql.parameterized"].verdict.value == "pass"


def test_a_new_promise_without_stored_results_is_not_checkable(stored: Path, tmp_path: Path):
    after = tmp_path / "after.md"
    after.write_text(AFTER)
    card = rejudge(stored, agent=after)
    new = card.requirements["secrets.no-hardcoded"]
    assert new.verdict.value == "not_checkable" and "not promised when" in (new.reason or "")
    assert card.agent is not None and card.agent.name == "before"  # the file's own name field
    assert card.requirements["auth.password-hashing"].verdict.value == "fail"


def test_cli_writes_the_rejudged_scorecard(stored: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "harness", "rejudge", str(stored), "-o", "-"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["requirements"].keys() == json.loads(stored.read_text())[
        "requirements"
    ].keys()
    missing = subprocess.run(
        [sys.executable, "-m", "harness", "rejudge", str(stored), "--agent",
         str(tmp_path / "none.md"), "--out", str(tmp_path / "x")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert missing.returncode == 2
