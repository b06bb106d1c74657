"""No vacuous verdicts, against real apps: a clean todo API with sign-in and mutants of it that
each break one promise. A pass must rest on a positive control (the owner's own requests, a
benign value of the same shape served); a mutant never gets ``pass`` on what it breaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.catalogue import get_check
from harness.probes import run_probes
from harness.scorecard import CheckResult
from tests.probes.conftest import APPS, ProcessApp

pytestmark = [pytest.mark.live]

CLEAN = APPS / "todo_clean_app.py"
REQUIREMENTS = {
    "auth.authorization",
    "output.xss-encoding",
    "sql.parameterized",
    "injection.command",
    "validation.input",
}


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


def probe(app: ProcessApp, requirements: set[str] = REQUIREMENTS) -> dict[str, CheckResult]:
    """The live results per requirement, routes read from the app's own sources."""
    api = build_api_model(detect_app(app.workdir), app=app)
    run = run_probes(app, api, requirements=requirements)
    # the GraphQL checks of the same requirements have their own tests (no GraphQL here), and the
    # resource-exhaustion probes (phase "exhaust") share validation.input: these cases are about
    # the requirement's own probe
    own = [
        r
        for r in run.results
        if not r.check.startswith("live.graphql-") and get_check(r.check).phase != "exhaust"
    ]
    return {r.requirement: r for r in own}


def said(result: CheckResult) -> str:
    lines = [e.message for e in result.evidence][:6]
    return f"{result.status.value}: {result.message} | " + " | ".join(lines)


@pytest.mark.parametrize("started", ["todo_clean_app.py"], indirect=True)
def test_clean_app_passes_on_controls_that_were_served(started: ProcessApp) -> None:
    got = probe(started)
    for req in REQUIREMENTS:
        assert got[req].status.value == "pass", f"{req}: {said(got[req])}"
    auth = got["auth.authorization"]
    # the owner's own read, update and delete are the evidence the refusals of B rest on
    shown = {(e.exchange.method, e.exchange.status) for e in auth.evidence if e.exchange}
    assert {("GET", 200), ("PUT", 200), ("DELETE", 204)} <= shown, said(auth)
    assert "where user A's own requests succeeded" in auth.message
    assert "read, update, delete, list" in auth.message
    assert "served" in got["sql.parameterized"].message, said(got["sql.parameterized"])


@pytest.mark.parametrize("started", ["todo_items500_mutant.py"], indirect=True)
def test_item_routes_that_always_500_do_not_pass_authorization(started: ProcessApp) -> None:
    got = probe(started, {"auth.authorization", "sql.parameterized"})
    auth = got["auth.authorization"]
    assert auth.status.value == "error", said(auth)
    assert "user A's own read" in auth.message and "500" in auth.message, auth.message
    # the owner's 500 is in the evidence, so a reader sees why nothing was decided
    assert any(e.exchange and e.exchange.status == 500 for e in auth.evidence), said(auth)
    # the SQL probe does not blame injection for a route that crashes on plain ids too
    sql = got["sql.parameterized"]
    assert not any("path id" in e.message for e in sql.evidence), said(sql)


@pytest.mark.parametrize("started", ["todo_broken_login_mutant.py"], indirect=True)
def test_broken_login_passes_nothing_that_needs_a_user(started: ProcessApp) -> None:
    got = probe(started)
    assert got["auth.authorization"].status.value == "error", said(got["auth.authorization"])
    assert "could not sign in" in got["auth.authorization"].message
    for req in REQUIREMENTS:
        assert got[req].status.value != "pass", f"{req}: {said(got[req])}"


@pytest.mark.parametrize("started", ["todo_any_password_mutant.py"], indirect=True)
def test_login_accepting_any_password_fails_auth_required(started: ProcessApp) -> None:
    got = probe(started, {"auth.required"})
    req = got["auth.required"]
    assert req.status.value == "fail", said(req)
    assert "wrong password" in req.message
    replay = [e for e in req.evidence if e.exchange and e.exchange.url.endswith("/login")]
    assert replay and replay[0].exchange.status == 200, said(req)


@pytest.mark.parametrize("started", ["todo_any_password_limited_mutant.py"], indirect=True)
def test_any_password_is_caught_before_the_rate_limit_probe_trips_the_limiter(
    started: ProcessApp,
) -> None:
    got = probe(started, {"auth.required", "ratelimit"})
    # the burst of failed logins got 429s; the wrong-password sign-in was sent before it
    assert got["ratelimit"].status.value == "pass", said(got["ratelimit"])
    assert got["auth.required"].status.value == "fail", said(got["auth.required"])
    assert "wrong password" in got["auth.required"].message


@pytest.mark.parametrize("started", ["todo_clean_app.py"], indirect=True)
def test_clean_login_refuses_a_wrong_password(started: ProcessApp) -> None:
    req = probe(started, {"auth.required"})["auth.required"]
    assert req.status.value == "pass", said(req)


@pytest.mark.parametrize("started", ["todo_html_mutant.py"], indirect=True)
def test_query_value_reflected_into_html_fails_xss(started: ProcessApp) -> None:
    got = probe(started, {"output.xss-encoding", "auth.authorization"})
    xss = got["output.xss-encoding"]
    assert xss.status.value == "fail", said(xss)
    hits = [
        e for e in xss.evidence if e.exchange and e.exchange.url.split("?")[0].endswith("/hello")
    ]
    assert hits, said(xss)
    assert "unescaped as text/html" in hits[0].message, hits[0].message
    assert "<script>" in (hits[0].exchange.body_excerpt or "")
    # the rest of the app is the clean one: its promises still pass
    assert got["auth.authorization"].status.value == "pass", said(got["auth.authorization"])


@pytest.mark.parametrize("started", ["calc_safe_app.py"], indirect=True)
def test_routes_without_a_record_collection_are_not_checkable(started: ProcessApp) -> None:
    """A calculator serves POST /calculator and no collection: input validation of records
    cannot be exercised, which is said as not_checkable with the routes, not not_applicable."""
    got = probe(started, {"validation.input"})
    result = got["validation.input"]
    assert result.status.value == "not_checkable", said(result)
    assert "/calculator" in result.message, result.message


@pytest.mark.parametrize(
    ("started", "verdict"),
    [("todo_clean_app.py", "pass"), ("todo_quiet_mutant.py", "error")],
    indirect=["started"],
)
def test_secrets_in_logs_needs_log_lines_to_search(started: ProcessApp, verdict: str) -> None:
    """The clean app's access log is searched and holds no secret; the quiet mutant writes no
    line at all, which shows nothing about what it would log."""
    got = probe(started, {"logging.no-sensitive", "auth.authorization"})
    result = got["logging.no-sensitive"]
    assert result.status.value == verdict, said(result)
    if verdict == "error":
        assert "no log line at all" in result.message, result.message
    else:
        assert started.logs().strip(), "the clean app's output was captured"


@pytest.mark.parametrize("started", ["todo_versioned_update_mutant.py"], indirect=True)
def test_an_update_refused_to_the_owner_too_is_not_a_pass(started: ProcessApp) -> None:
    """Every update is refused with 400 before ownership is looked at: user B's refused update
    shows nothing, so authorization is not_checkable (the owner's 400s in the evidence)."""
    got = probe(started, {"auth.authorization"})
    auth = got["auth.authorization"]
    assert auth.status.value == "not_checkable", said(auth)
    assert "whether user B can change A's record is unseen" in auth.message, auth.message
    assert any(
        e.exchange and e.exchange.method in ("PUT", "PATCH") and e.exchange.status == 400
        for e in auth.evidence
    ), said(auth)


@pytest.mark.parametrize("started", ["todo_list500_mutant.py"], indirect=True)
def test_latency_times_a_read_that_answers_when_the_collection_does_not(
    started: ProcessApp,
) -> None:
    got = probe(started, {"perf.latency"})["perf.latency"]
    assert got.status.value in ("pass", "fail"), said(got)  # decided, not an error
    measured = " ".join(e.message for e in got.evidence)
    assert "GET /todos:" not in measured and "requests at concurrency" in measured


@pytest.mark.parametrize("started", ["upload_refuse_all_mutant.py"], indirect=True)
def test_uploads_refused_before_the_file_is_looked_at_are_not_a_pass(started: ProcessApp) -> None:
    """The route refuses a small ordinary file too: its refusals of oversize and .exe uploads
    say nothing, so the upload check is not_checkable, not pass."""
    results = probe(started, {"validation.upload"})
    got = next(r for r in results.values() if r.check == "live.upload")
    assert got.status.value == "not_checkable", said(got)
    assert "no upload route took a small ordinary file" in got.message


@pytest.mark.parametrize("started", ["upload_safe_app.py"], indirect=True)
def test_uploads_refused_where_a_small_file_is_taken_pass(started: ProcessApp) -> None:
    results = probe(started, {"validation.upload"})
    got = next(r for r in results.values() if r.check == "live.upload")
    assert got.status.value == "pass", said(got)
    assert any("control: a small" in e.message for e in got.evidence), said(got)
