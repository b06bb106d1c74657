"""Latency under a small concurrent load: bounded in count and concurrency."""

from __future__ import annotations

import asyncio
import math

from harness.probes._context import ProbeContext, ProbeError, probe
from harness.scorecard import CheckResult

DEFAULT_BOUND_MS = 200.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[rank]


def _candidates(ctx: ProbeContext) -> list[str]:
    """GET paths worth timing, best first: the record collection, then other parameterless
    reads, the health route, the root."""
    out: list[str] = []
    if ctx.api.resource is not None:
        out.append(ctx.api.resource.collection_path)
    out += [
        op.path
        for op in ctx.api.operations
        if op.method == "GET" and not op.path_params and not op.admin
    ]
    out += [ctx.api.health_path] if ctx.api.health_path else []
    return list(dict.fromkeys([*out, "/"]))[:8]


async def _measured_endpoint(ctx: ProbeContext):
    """The first candidate that answers 2xx: (path, user, response, exchange); with no such
    path, (None, None, None, [(path, status)] of every try)."""
    user = ctx.session.a_if_signed_in  # a token on a public route changes nothing
    tried: list[tuple[str, object]] = []
    for path in _candidates(ctx):
        resp, ex = await ctx.exchange("GET", path, user=user, purpose="latency")
        if resp is not None and resp.status_code < 300:
            return path, user, resp, ex
        tried.append((path, ex.status))
    return None, None, None, tried


@probe(
    "live.latency",
    requirement="perf.latency",
    title="p95 latency of simple reads under modest concurrency stays under the bound",
    phase="perf",
    requests=50,
    concurrency=5,
)
async def latency(ctx: ProbeContext) -> CheckResult:
    """Fails: the p95 latency of a read that answered 2xx for user A, under modest concurrency,
    is over the bound (the agent's, else the default).

    Passes: p95 within the bound; no read answered 2xx: not checkable, naming what was
    tried."""
    bound = float(
        ctx.params.get("p95_ms")
        or ctx.params.get("bound_ms")
        or ctx.params.get("max_ms")
        or ctx.options.get("bound_ms")
        or DEFAULT_BOUND_MS
    )
    n = min(int(ctx.options["requests"]), 500)
    conc = max(1, min(int(ctx.options["concurrency"]), 20))
    path, user, first, fex = await _measured_endpoint(ctx)
    if first is None:
        return ctx.not_checkable(
            "no GET endpoint answered 2xx to measure (tried "
            + ", ".join(f"GET {p} {s}" for p, s in fex)
            + ")",
            ctx.note("endpoints tried", tried=[f"GET {p}: {s}" for p, s in fex]),
        )
    for _ in range(2):
        await ctx.exchange("GET", path, user=user, purpose="latency", record=False)
    times: list[float] = []
    failures: list[int | None] = []
    gate = asyncio.Semaphore(conc)

    async def one() -> None:
        async with gate:
            resp, ex = await ctx.exchange("GET", path, user=user, purpose="latency", record=False)
        if resp is not None and resp.status_code < 400:
            times.append(ex.elapsed_ms or 0.0)
        else:
            failures.append(ex.status)

    await asyncio.gather(*(one() for _ in range(n)))
    if len(failures) > n // 10:
        raise ProbeError(
            f"{len(failures)} of {n} requests failed under load "
            f"(statuses {sorted(set(map(str, failures)))})",
            ctx.evidence(fex, "warm-up request"),
        )
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    ev = ctx.evidence(
        fex,
        f"GET {path}: {n} requests at concurrency {conc}",
        p50_ms=round(p50, 1),
        p95_ms=round(p95, 1),
        max_ms=round(max(times), 1),
        failures=len(failures),
    )
    if p95 > bound:
        return ctx.failed(f"p95 {p95:.0f} ms over the bound of {bound:g} ms (p50 {p50:.0f} ms)", ev)
    return ctx.passed(f"p95 {p95:.0f} ms within {bound:g} ms (p50 {p50:.0f} ms, {n} requests)", ev)
