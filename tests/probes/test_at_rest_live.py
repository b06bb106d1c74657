"""Secrets at rest, live: an API-key vault that stores keys as sent, base64-encoded or sealed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.scorecard import CheckResult
from tests.probes.conftest import APPS, ProcessApp

pytestmark = [pytest.mark.live]
PLAIN = APPS / "vault_plain_app.py"


@pytest.fixture
def started(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProcessApp]:
    pytest.importorskip("flask", reason="the test apps are Flask apps")
    script = APPS / request.param
    support = (PLAIN,) if script != PLAIN else ()
    app = ProcessApp(script, tmp_path, support=support)
    try:
        yield app
    finally:
        app.kill()


def at_rest(app: ProcessApp) -> CheckResult:
    api = build_api_model(detect_app(app.workdir), app=app)
    run = run_probes(app, api, requirements={"data.encryption-at-rest"})
    (result,) = [r for r in run.results if r.requirement == "data.encryption-at-rest"]
    return result


@pytest.mark.parametrize(
    ("started", "expected", "said"),
    [
        ("vault_plain_app.py", "fail", "stored as sent"),
        ("vault_base64_mutant.py", "fail", "stored as base64"),
        ("vault_sealed_mutant.py", "pass", "the row was found, the secret transformed"),
    ],
    indirect=["started"],
)
def test_a_stored_secret_is_judged_by_what_the_database_holds(
    started: ProcessApp, expected: str, said: str
) -> None:
    got = at_rest(started)
    evidence = " | ".join(e.message for e in got.evidence)
    assert got.status.value == expected, f"{got.message} | {evidence}"
    assert said in evidence
