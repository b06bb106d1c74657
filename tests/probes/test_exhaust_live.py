"""Resource exhaustion, live: small realistic Flask and FastAPI apps, each with a bounded twin.
The unbounded ones must fail the probe aimed at them (a regex search service, a zip-to-text
converter, an upload service, a token generator, a gzip log ingester, a product catalogue, an
API-key store that takes any body size); the twins must not. Each app runs as its own process;
the probes are the real ones, payloads included."""

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


@pytest.fixture
def started(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProcessApp]:
    pytest.importorskip("flask", reason="the test apps are Flask and FastAPI apps")
    pytest.importorskip("uvicorn", reason="the FastAPI apps serve with uvicorn")
    app = ProcessApp(APPS / request.param, tmp_path)
    try:
        yield app
    finally:
        app.kill()


def results(app: ProcessApp, requirements: set[str]) -> dict[str, CheckResult]:
    api = build_api_model(detect_app(app.workdir), app=app)
    run = run_probes(app, api, requirements=requirements)
    return {r.check: r for r in run.results}


def _said(r: CheckResult) -> str:
    return r.message + " | " + " | ".join(e.message for e in r.evidence[:8])


CASES = [
    (
        "regex_search_app.py",
        {
            "regex-redos": ("fail", "stalled past the 2 s budget"),
            "body-size": ("pass", "refused (413)"),
        },
    ),
    ("regex_search_safe_app.py", {"regex-redos": ("pass", "answered within the budget")}),
    (
        "zip_text_app.py",
        {"decompression-bomb": ("fail", "expands to 200 MB"), "upload-size": ("pass", "refused")},
    ),
    ("zip_text_safe_app.py", {"decompression-bomb": ("pass", "refused")}),
    (
        "upload_app.py",
        {
            "upload-size": ("fail", "accepted a 16.5 MB upload"),
            "size-param": ("not_checkable", "too little data to tell"),
        },
    ),
    ("upload_safe_app.py", {"upload-size": ("pass", "413")}),
    (
        "token_service_app.py",
        {"size-param": ("fail", "POST /passphrase: words=1000000 answered 200")},
    ),
    ("token_service_safe_app.py", {"size-param": ("pass", "refused length=1000000")}),
    ("log_ingest_app.py", {"decompression-bomb": ("fail", "expands to 200 MB")}),
    ("log_ingest_safe_app.py", {"decompression-bomb": ("pass", "413")}),
    (
        "fastapi_catalog_app.py",
        {
            "regex-redos": ("fail", "stalled past the 2 s budget"),
            "size-param": ("fail", "count=1000000 answered 200"),
            "body-size": ("fail", "accepted a 4 MB JSON body"),
        },
    ),
    (
        "fastapi_catalog_safe_app.py",
        {
            "regex-redos": ("pass", "answered within the budget"),
            "size-param": ("pass", "refused count=1000000"),
            "body-size": ("pass", "refused (422)"),
        },
    ),
    ("vault_plain_app.py", {"body-size": ("fail", "accepted a 4 MB JSON body")}),
]


@pytest.mark.parametrize(
    ("started", "expected"), CASES, indirect=["started"], ids=[c[0] for c in CASES]
)
def test_resource_limits_are_judged_by_what_the_app_does(
    started: ProcessApp, expected: dict[str, tuple[str, str]]
) -> None:
    got = results(started, {"robustness.resource-limits"})
    for name, (status, said) in expected.items():
        r = got[f"live.resource-limits.{name}"]
        assert r.status.value == status, f"{name}: {r.status.value}: {_said(r)}"
        assert said in _said(r), f"{name}: {_said(r)}"
    assert started.alive(), "the probes must leave the app running"


@pytest.mark.parametrize("started", ["zip_text_app.py"], indirect=True)
def test_the_bomb_counts_against_an_upload_promise_too(started: ProcessApp) -> None:
    """One run for both requirements: the bomb is sent once and judged under each."""
    got = results(started, {"validation.upload", "robustness.resource-limits"})
    mine, twin = got["live.decompression-bomb"], got["live.resource-limits.decompression-bomb"]
    assert mine.status.value == twin.status.value == "fail", _said(mine)
    bombs = [e for e in mine.evidence if e.exchange and "expands to" in e.message]
    assert len(bombs) == 1 and bombs[0].exchange.status == 200
