"""How an own static check is declared: registered under the requirement its id starts with, and
guarded by what it needs before it has anything to judge, instead of opening lines that repeat.

A precondition that does not hold makes the check not applicable with its reason; the check's
function is not called. Stack them under ``@static_check``; they run top to bottom::

    @static_check("code.layering.inline-db", title="route handlers delegate data access ...")
    @requires_handlers
    @requires_database
    def layering(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
        ...  # the app has route handlers and a database here
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from harness.catalogue import CheckSpec, check, not_applicable
from harness.scorecard._model import CheckResult
from harness.static._model import StaticContext
from harness.static._routes import handlers, route_paths
from harness.static._stores import uses_database

StaticFunc = Callable[[StaticContext, CheckSpec], CheckResult]


def static_check(id: str, *, title: str, **settings: Any) -> Callable[[StaticFunc], StaticFunc]:
    """Register a function as the static check ``id``, which verifies the requirement its id
    starts with (``db.pooling.connections`` verifies ``db.pooling``). ``settings`` go on to
    :func:`harness.catalogue.check`: ``languages``, an ``options`` model, option defaults."""
    requirement, dot, _ = id.rpartition(".")
    if not dot:
        raise ValueError(f"static check id {id!r} does not start with its requirement id")
    return check(id, requirement=requirement, kind="static", title=title, **settings)


def requires(
    need: str, holds: Callable[[StaticContext], object], missing: str
) -> Callable[[StaticFunc], StaticFunc]:
    """A precondition named ``need``: when ``holds(ctx)`` is falsy the check does not apply and
    says ``missing``."""

    def decorate(func: StaticFunc) -> StaticFunc:
        @functools.wraps(func)
        def run(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
            if not holds(ctx):
                return not_applicable(spec, missing)
            return func(ctx, spec)

        # kept on the function, in the order they run, so listings can say what a check needs
        run.requires = [need, *getattr(func, "requires", [])]  # type: ignore[attr-defined]
        return run

    return decorate


def requires_fact(*names: str, missing: str) -> Callable[[StaticFunc], StaticFunc]:
    """One of the named facts (checks/static.yaml) holds somewhere in the sources."""
    return requires(" or ".join(names), lambda ctx: any(ctx.fact(n) for n in names), missing)


requires_web = requires_fact("web", missing="no web routes or app object found")
requires_routes = requires("routes", route_paths, "no routes found")
requires_handlers = requires("route handlers", handlers, "no route handlers found")
requires_database = requires("a database", uses_database, "the app uses no database")
