"""How own static checks are declared: the requirement comes from the id, and a precondition that
does not hold ends the check as not_applicable with its reason before the body runs. Contexts are
built from real repos on disk (build_context); no analyzer runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.catalogue import CheckSpec, get_check, passed
from harness.scorecard._model import CheckResult, Status
from harness.static import (
    StaticContext,
    build_context,
    requires,
    requires_database,
    requires_fact,
    requires_handlers,
    static_check,
)
from harness.static._run import run_own

FLASK_MEMORY_APP = """from flask import Flask, jsonify

app = Flask(__name__)
todos = []


@app.get("/todos")
def list_todos():
    return jsonify(todos)
"""

FLASK_NO_STORE_APP = """from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping():
    return "pong"
"""


def _repo(tmp_path: Path, source: str) -> StaticContext:
    (tmp_path / "app.py").write_text(source)
    return build_context(tmp_path, None)


def _spec() -> CheckSpec:
    # a spec that is not registered: the registry (and the generated docs) stay as they are
    return CheckSpec(id="demo.needs.db", requirement="demo.needs", kind="static", title="demo")


def _guarded(calls: list[str]):
    @requires_handlers
    @requires_database
    def body(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
        """Fails: never.

        Passes: whenever it runs."""
        calls.append(spec.id)
        return passed(spec, "ran")

    return body


def test_a_missing_database_ends_the_check_before_its_body(tmp_path: Path) -> None:
    calls: list[str] = []
    result = _guarded(calls)(_repo(tmp_path, FLASK_NO_STORE_APP), _spec())
    assert result.status is Status.not_applicable
    assert result.message == "the app uses no database"
    assert calls == []


def test_the_body_runs_when_every_precondition_holds(tmp_path: Path) -> None:
    calls: list[str] = []
    result = _guarded(calls)(_repo(tmp_path, FLASK_MEMORY_APP), _spec())
    assert result.status is Status.passed and calls == ["demo.needs.db"]


def test_preconditions_run_top_to_bottom_and_are_listed(tmp_path: Path) -> None:
    body = _guarded([])
    assert body.requires == ["route handlers", "a database"]  # type: ignore[attr-defined]
    assert "Fails:" in (body.__doc__ or "")  # the generated docs read the wrapped docstring
    (tmp_path / "lib.py").write_text("items = []\n")  # a store, but no route handler
    result = body(build_context(tmp_path, None), _spec())
    assert result.message == "no route handlers found"


def test_requires_fact_and_a_computed_precondition(tmp_path: Path) -> None:
    ctx = _repo(tmp_path, FLASK_NO_STORE_APP)

    def body(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
        return passed(spec, "ran")

    web = requires_fact("web", missing="no web app")(body)
    jwt = requires_fact("jwt", "passwords", missing="no tokens or passwords")(body)
    go = requires("Go sources", lambda c: "go" in c.languages, "no Go sources")(body)
    assert web(ctx, _spec()).status is Status.passed
    assert jwt(ctx, _spec()).message == "no tokens or passwords"
    assert go(ctx, _spec()).message == "no Go sources"


def test_registered_checks_keep_their_requirement_and_preconditions(tmp_path: Path) -> None:
    layering = get_check("code.layering.inline-db")
    assert layering.requirement == "code.layering"
    assert layering.func.requires == ["route handlers", "a database"]  # type: ignore[union-attr]
    # through the runner, as a scoring run calls it
    result = run_own(layering, _repo(tmp_path, FLASK_NO_STORE_APP))
    assert result.status is Status.not_applicable
    assert result.message == "the app uses no database"


def test_an_id_without_its_requirement_is_refused() -> None:
    with pytest.raises(ValueError, match="does not start with its requirement"):
        static_check("nodots", title="x")
