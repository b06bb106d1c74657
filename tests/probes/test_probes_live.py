"""The probes against two real apps started here: one keeps every probed promise, one breaks
them. Each probe must pass on the first and fail on the second."""

from __future__ import annotations

import pytest

from harness.apimodel import build_api_model
from harness.app import AppProfile, Route
from harness.probes import run_probes
from harness.scorecard import Status

pytestmark = pytest.mark.live

# requirement -> verdict on the good app, verdict on the bad app
EXPECTED = {
    "auth.required": ("pass", "fail"),
    "auth.authorization": ("pass", "fail"),
    "auth.password-hashing": ("pass", "fail"),
    "auth.password-policy": ("pass", "fail"),
    "auth.token-expiry": ("pass", "fail"),
    "sql.parameterized": ("pass", "fail"),
    "http.security-headers": ("pass", "fail"),
    "http.cors": ("pass", "fail"),
    "ratelimit": ("pass", "fail"),
    "validation.input": ("pass", "fail"),
    "errors.no-leak": ("pass", "pass"),
    "data.no-sensitive-fields": ("pass", "fail"),
    "api.pagination": ("pass", "fail"),
    "api.versioning": ("pass", "fail"),
    "api.envelope": ("pass", "fail"),
    "api.error-format": ("pass", "fail"),
    "api.health": ("pass", "pass"),
    "http.status-codes": ("pass", "fail"),
    "db.soft-delete": ("pass", "fail"),
    "logging.audit": ("pass", "fail"),
    "logging.no-sensitive": ("pass", "fail"),
    "output.xss-encoding": ("pass", "pass"),
    "robustness.no-crash": ("pass", "pass"),
    "lifecycle.graceful-shutdown": ("pass", "fail"),
    "validation.upload": ("not_applicable", "not_applicable"),
}


def verdicts(results) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for r in results:
        out.setdefault(r.requirement, []).append(r.status.value)
    order = ("fail", "error", "pass", "not_checkable")
    return {req: next((s for s in order if s in sts), "not_applicable") for req, sts in out.items()}


def routes(*pairs: str) -> list[Route]:
    return [Route(method=p.split()[0], path=p.split()[1], file="app.py", line=1) for p in pairs]


GOOD_ROUTES = routes(
    "GET /health",
    "POST /api/v1/auth/register",
    "POST /api/v1/auth/login",
    "GET /api/v1/todos",
    "POST /api/v1/todos",
    "GET /api/v1/todos/{todo_id}",
    "PUT /api/v1/todos/{todo_id}",
    "DELETE /api/v1/todos/{todo_id}",
)
BAD_ROUTES = routes(
    "GET /health",
    "POST /register",
    "POST /login",
    "GET /todos",
    "POST /todos",
    "GET /todos/{todo_id}",
    "PUT /todos/{todo_id}",
    "DELETE /todos/{todo_id}",
)


def _probe(app, profile_routes):
    profile = AppProfile(root=str(app.workdir), language="python", routes=profile_routes)
    api = build_api_model(profile, app=app)
    run = run_probes(app, api, requirements=set(EXPECTED))
    return api, run


def _check(run, column: int) -> None:
    got = verdicts(run.results)
    wrong = {
        req: (
            got.get(req),
            want[column],
            next(r.message for r in run.results if r.requirement == req),
        )
        for req, want in EXPECTED.items()
        if got.get(req) != want[column]
    }
    assert not wrong, wrong
    for r in run.results:
        assert r.evidence, f"{r.check} has no evidence"
        if r.status in (Status.passed, Status.failed):
            assert any(e.exchange or e.kind == "note" for e in r.evidence)


def test_good_app_keeps_its_promises(good_app) -> None:
    api, run = _probe(good_app, GOOD_ROUTES)
    assert api.auth.confirmed and api.resource and api.resource.confirmed, api.notes
    _check(run, 0)
    # every live result that looked at HTTP carries a reproducible curl line for this app
    curls = [e.exchange.curl for r in run.results for e in r.evidence if e.exchange]
    assert curls and all(good_app.base_url in c for c in curls)


def test_bad_app_breaks_them(bad_app) -> None:
    api, run = _probe(bad_app, BAD_ROUTES)
    assert api.auth.confirmed, api.notes
    _check(run, 1)


def test_model_without_static_routes_finds_the_api_live(good_app) -> None:
    """A detector that found nothing: the sign-in flow and the collection are found live."""
    api = build_api_model(AppProfile(root=str(good_app.workdir)), app=good_app)
    assert api.auth.login is not None and api.auth.login.path == "/api/v1/auth/login"
    assert api.resource is not None and api.resource.collection_path == "/api/v1/todos"
    assert api.auth.confirmed
