"""Input probes against real apps. Command injection: eval and shell=True on an input the handler
reads must fail with the exchange that shows execution; a calculator that only does arithmetic
(an AST walk) must pass even though it computes the arithmetic canary. Input validation: fields
the app never reads are not held against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.catalogue import get_check
from harness.probes import run_probes
from tests.probes.conftest import APPS, ProcessApp

pytestmark = [pytest.mark.live]


@pytest.fixture
def started(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProcessApp]:
    pytest.importorskip("flask", reason="the test apps are Flask apps")
    app = ProcessApp(APPS / request.param, tmp_path)
    try:
        yield app
    finally:
        app.kill()


def verdict(app: ProcessApp) -> tuple[str, str, list]:
    api = build_api_model(detect_app(app.workdir), app=app)
    run = run_probes(app, api, requirements={"injection.command"})
    [result] = [r for r in run.results if r.requirement == "injection.command"]
    return result.status.value, result.message, result.evidence


@pytest.mark.parametrize("started", ["calc_eval_app.py"], indirect=True)
def test_eval_calculator_fails(started: ProcessApp) -> None:
    status, message, evidence = verdict(started)
    assert status == "fail", message
    shown = [e for e in evidence if e.exchange is not None and "/calculator" in e.exchange.url]
    assert shown, message
    assert any("python eval" in e.message for e in shown), [e.message for e in shown]


@pytest.mark.parametrize("started", ["calc_safe_app.py"], indirect=True)
def test_arithmetic_only_calculator_passes(started: ProcessApp) -> None:
    status, message, _ = verdict(started)
    assert status == "pass", message
    # it did compute the arithmetic canary: the pass is not for want of reaching the field
    assert "plain arithmetic is evaluated" in message, message


@pytest.mark.parametrize("started", ["shell_lookup_app.py"], indirect=True)
def test_shell_lookup_fails(started: ProcessApp) -> None:
    status, message, evidence = verdict(started)
    assert status == "fail", message
    shown = [e for e in evidence if e.exchange is not None and "/lookup" in e.exchange.url]
    assert any("(shell)" in e.message for e in shown), [e.message for e in evidence]


@pytest.mark.parametrize("started", ["notes_strict_app.py"], indirect=True)
def test_validation_ignores_fields_the_app_does_not_read(started: ProcessApp) -> None:
    """The probe's default create body (title, description) is ignored by this app: a wrong
    type or oversize `title` answered 201 is not an invalid input accepted. Nor is it a pass:
    the only refusal is of malformed JSON, which shows that JSON is parsed, not that input is
    validated; the field the app reads (`text`) is not known, so the verdict is not_checkable."""
    api = build_api_model(detect_app(started.workdir), app=started)
    run = run_probes(started, api, requirements={"validation.input"})
    [result] = [
        r
        for r in run.results
        if r.requirement == "validation.input"
        and get_check(r.check).phase != "exhaust"
    ]
    assert result.status.value == "not_checkable", result.message
    assert "malformed-JSON body alone" in result.message, result.message
    assert any("malformed JSON: 400" in e.message for e in result.evidence), result.message
