"""Probe preconditions: a probe that needs a user or a record says so on the probe, and a
missing one ends it the same way whichever probe asked (the body never runs)."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx

from harness.apimodel import ApiModel, AuthFlow, Operation, Resource
from harness.probes import (
    ProbeContext,
    Session,
    live_checks,
    requires_record,
    requires_records,
    requires_resource,
    requires_signed_in_user,
)
from harness.probes._run import _run_one
from harness.scorecard import CheckResult


class _NoApp:
    """No request reaches an app in these cases: every one stops before the probe body."""

    base_url = "http://127.0.0.1:9"
    curl_prefix = "curl"


def _run(  # type: ignore[no-untyped-def]
    func, operations: list[str], resource: Resource | None = None, seeds: list | None = None
) -> CheckResult:
    ops = [Operation(method=o.split()[0], path=o.split()[1]) for o in operations]
    api = ApiModel(source="static-routes", operations=ops, auth=AuthFlow(kind="none"))
    if resource is not None:
        api.resources = [resource]
    spec = dataclasses.replace(live_checks()[0], func=func)

    async def go() -> CheckResult:
        async with httpx.AsyncClient() as client:
            session = Session(app=_NoApp(), api=api, client=client, seeds=seeds or [])
            result = await _run_one(ProbeContext(session, spec))
            assert not session.records, "a precondition must not send requests"
            return result

    return asyncio.run(go())


ran: list[str] = []


async def _body(ctx: ProbeContext) -> CheckResult:
    """The probe's own docstring, kept by the decorators."""
    ran.append(ctx.spec.id)
    return ctx.passed("the body ran")


def test_a_user_on_an_app_with_auth_routes_but_no_learned_sign_in_is_not_checkable() -> None:
    ran.clear()
    result = _run(requires_signed_in_user()(_body), ["POST /auth/credentials", "GET /todos"])
    assert result.status.value == "not_checkable", result.message
    assert (
        "POST /auth/credentials" in result.message
        and "no user could be signed in" in result.message
    )
    assert ran == []


def test_a_user_on_an_app_without_sign_in_is_not_applicable() -> None:
    ran.clear()
    result = _run(requires_signed_in_user("a", "b")(_body), ["GET /health"])
    assert result.status.value == "not_applicable", result.message
    assert ran == []


def test_a_record_collection_that_discovery_missed_is_not_checkable() -> None:
    ran.clear()
    result = _run(requires_resource(_body), ["GET /widgets", "POST /widgets"])
    assert result.status.value == "not_checkable", result.message
    assert "no record collection was recognised" in result.message
    assert ran == []


def test_a_record_of_user_a_that_setup_did_not_create_is_an_error() -> None:
    ran.clear()
    todos = Resource(name="todos", collection_path="/todos")
    result = _run(requires_record(_body), ["GET /todos", "POST /todos"], resource=todos)
    assert result.status.value == "error", result.message
    assert "no record of user A" in result.message
    assert ran == []


def test_the_body_runs_when_the_precondition_holds() -> None:
    ran.clear()
    todos = Resource(name="todos", collection_path="/todos")
    result = _run(requires_resource(_body), ["GET /todos", "POST /todos"], resource=todos)
    assert result.status.value == "pass", result.message
    assert len(ran) == 1


def test_decorated_probes_keep_their_docstring_and_list_what_they_need() -> None:
    func = requires_resource(requires_signed_in_user("a", "b")(_body))
    assert func.__doc__ == _body.__doc__
    assert func.requires == ["a record collection", "signed-in user A and B"]  # type: ignore[attr-defined]


def _seeded(count: int) -> tuple[Resource, list[dict[str, object]]]:
    todos = Resource(name="todos", collection_path="/todos")
    return todos, [{"id": i, "data": {"id": i}, "exchange": None} for i in range(count)]


def test_fewer_records_of_user_a_than_the_probe_needs_stop_it_with_the_count() -> None:
    ran.clear()
    todos, seeds = _seeded(2)
    result = _run(requires_records(3)(_body), ["GET /todos", "POST /todos"], todos, seeds)
    assert result.status.value == "error", result.message
    assert "only 2 records of user A" in result.message and "needs 3" in result.message
    assert ran == []


def test_enough_records_of_user_a_let_the_body_run() -> None:
    ran.clear()
    todos, seeds = _seeded(3)
    result = _run(requires_records(3)(_body), ["GET /todos", "POST /todos"], todos, seeds)
    assert result.status.value == "pass", result.message
    assert len(ran) == 1
    assert requires_records(3)(_body).requires == ["3 records of user A"]  # type: ignore[attr-defined]


def test_the_probes_that_need_a_user_or_records_declare_it() -> None:
    needs = {s.id: getattr(s.func, "requires", []) for s in live_checks()}
    assert needs["live.authorization"] == ["signed-in user A and B"]
    assert needs["live.csrf"] == ["signed-in user A", "a record collection"]
    assert needs["live.pagination"] == ["3 records of user A"]
    assert needs["live.timestamps"] == ["a record of user A"]
    assert needs["live.crud"] == ["a record collection"]
    assert needs["live.health"] == []
