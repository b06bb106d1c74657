"""aiohttp and Litestar todo APIs scored end to end: started in the sandbox the way their
frameworks start, their routes found, and the defect planted in each found live."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner._jail import bwrap_support

pytestmark = pytest.mark.live
ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "fixtures" / "apps"
JAIL, JAIL_WHY = bwrap_support()


def _score(app: str, out: Path) -> dict:
    if not JAIL:
        pytest.skip(f"no bubblewrap sandbox here: {JAIL_WHY}")
    argv = [sys.executable, "-m", "harness", "score", str(APPS / app), "--agent", "backend"]
    proc = subprocess.run(
        [*argv, "-q", "--out", str(out)], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert proc.returncode == 1, proc.stderr[-3000:]  # the gate fails on the planted defect
    return json.loads((out / "scorecard.json").read_text())


def _live_checks(card: dict) -> dict[str, dict]:
    return {
        c["check"]: c
        for req in card["requirements"].values()
        for c in req["checks"]
        if c["kind"] == "live"
    }


def _started(card: dict) -> None:
    errors = {k: v["reason"] for k, v in card["requirements"].items() if v["verdict"] == "error"}
    assert not errors, errors
    live = _live_checks(card)
    assert live, "no live check ran"
    assert all(c["status"] != "error" for c in live.values()), {
        k: c["message"] for k, c in live.items() if c["status"] == "error"
    }
    # signed in as two users: the probes found register, login and the todo routes
    assert card["requirements"]["auth.required"]["verdict"] == "pass"


def test_an_aiohttp_todo_api_is_scored_and_its_sql_injection_found(tmp_path: Path) -> None:
    routes = {(r.method, r.path) for r in detect_app(APPS / "todo-aiohttp-bad").routes}
    assert {("POST", "/login"), ("GET", "/todos"), ("DELETE", "/todos/{todo_id}")} <= routes
    card = _score("todo-aiohttp-bad", tmp_path / "out")
    _started(card)
    sql = card["requirements"]["sql.parameterized"]
    assert sql["verdict"] == "fail"
    live = {c["check"]: c["status"] for c in sql["checks"] if c["kind"] == "live"}
    assert live.get("live.sql-injection") == "fail", live  # the f-string search, exploited
    assert card["requirements"]["auth.authorization"]["verdict"] == "pass"


def test_a_litestar_todo_api_is_scored_and_its_open_todo_found(tmp_path: Path) -> None:
    routes = {(r.method, r.path) for r in detect_app(APPS / "todo-litestar-bad").routes}
    assert {("POST", "/register"), ("POST", "/todos"), ("GET", "/todos/{todo_id}")} <= routes
    card = _score("todo-litestar-bad", tmp_path / "out")
    _started(card)
    authz = card["requirements"]["auth.authorization"]
    assert authz["verdict"] == "fail"
    breach = [e["message"] for c in authz["checks"] for e in c["evidence"]]
    assert any("user B: GET /todos/" in m and "200" in m for m in breach), breach
    assert card["requirements"]["sql.parameterized"]["verdict"] == "pass"
    # Litestar serves its OpenAPI document at /schema/openapi.json unless told not to
    docs = {c["check"]: c["status"] for c in card["requirements"]["api.docs"]["checks"]}
    assert docs.get("live.docs") == "pass", docs
