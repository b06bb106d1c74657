"""What a probe needs before it can exercise anything, declared on the probe instead of written
as its opening lines: a signed-in user, a record collection, one or more records of user A.

Each precondition is checked before the probe body runs and fails one way, through the context
(``ProbeContext.user``/``resource``/``records_of_a``): ``ProbeSkip`` when the app has no such thing
at all (not_applicable), ``ProbeBlind`` when it shows signs of one that discovery could not use
(not_checkable), ``ProbeError`` when setup should have produced it and did not (error). Stack them
under ``@probe``; they run top to bottom, and the body reads what they checked through the same
getters (which no longer raise there)::

    @probe("live.x", requirement="...", title="...")
    @requires_signed_in_user("a", "b")
    async def x(ctx: ProbeContext) -> CheckResult:
        a, b = ctx.user("a"), ctx.user("b")  # both known to be signed in here
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from harness.probes._context import ProbeContext
from harness.scorecard import CheckResult

ProbeFunc = Callable[[ProbeContext], Awaitable[CheckResult]]


def _precondition(
    need: str, check: Callable[[ProbeContext], object]
) -> Callable[[ProbeFunc], ProbeFunc]:
    def decorate(func: ProbeFunc) -> ProbeFunc:
        @functools.wraps(func)
        async def run(ctx: ProbeContext) -> CheckResult:
            check(ctx)
            return await func(ctx)

        # kept on the function, in the order they run, so listings can say what a probe needs
        run.requires = [need, *getattr(func, "requires", [])]  # type: ignore[attr-defined]
        return run

    return decorate


def requires_signed_in_user(*labels: str) -> Callable[[ProbeFunc], ProbeFunc]:
    """The probe needs these users (``"a"``, ``"b"``; default A) signed in."""
    wanted = labels or ("a",)

    def check(ctx: ProbeContext) -> None:
        for label in wanted:
            ctx.user(label)

    names = " and ".join(label.upper() for label in wanted)
    return _precondition(f"signed-in user {names}", check)


requires_resource = _precondition("a record collection", ProbeContext.resource)
requires_resource.__doc__ = "The probe needs the app's main record collection."

requires_record = _precondition("a record of user A", ProbeContext.record_of_a)
requires_record.__doc__ = "The probe needs a record user A created during setup."


def requires_records(count: int) -> Callable[[ProbeFunc], ProbeFunc]:
    """The probe needs ``count`` records user A created during setup (a page or a filter is
    observed only over several)."""
    return _precondition(f"{count} records of user A", lambda ctx: ctx.records_of_a(count))
