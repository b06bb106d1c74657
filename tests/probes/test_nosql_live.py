"""The NoSQL injection probe never passes without a served control (real apps, no MongoDB
needed: the controls decide before any operator is judged)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.probes.conftest import APPS, ProcessApp
from tests.probes.test_vacuous_live import probe, said

pytestmark = [pytest.mark.live]

CLEAN = APPS / "todo_clean_app.py"


@pytest.fixture
def started(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProcessApp]:
    pytest.importorskip("flask", reason="the test apps are Flask apps")
    script = APPS / request.param
    mutant = script.name.endswith("_mutant.py")
    app = ProcessApp(script, tmp_path, support=(CLEAN,) if mutant else ())
    try:
        yield app
    finally:
        app.kill()


@pytest.mark.parametrize("started", ["todo_broken_login_mutant.py"], indirect=True)
def test_a_login_that_signs_in_nobody_is_no_control(started: ProcessApp) -> None:
    result = probe(started, {"injection.nosql"})["injection.nosql"]
    assert result.status.value == "not_checkable", said(result)
    assert "sign-in:" in result.message and "lookups:" in result.message, result.message


@pytest.mark.parametrize("started", ["todo_clean_app.py"], indirect=True)
def test_a_sql_app_passes_on_served_controls_and_says_it_has_no_mongo(
    started: ProcessApp,
) -> None:
    result = probe(started, {"injection.nosql"})["injection.nosql"]
    assert result.status.value == "pass", said(result)
    messages = " ".join(e.message for e in result.evidence)
    assert "controls: a wrong password gets no token" in messages, said(result)
    assert "no MongoDB server" in result.message
