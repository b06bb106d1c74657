"""The rate-limit burst: failed logins (or reads, without a login route) until a 429, bounded
in count and time. It runs after the other probes so that a lockout cannot spoil them."""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from harness.probes._context import ProbeContext, ProbeError, probe
from harness.scorecard import CheckResult, Exchange

MAX_REQUESTS = 120


@probe(
    "live.rate-limit",
    requirement="ratelimit",
    title="a burst of failed logins meets 429 before it ends",
    phase="burst",
    requests=40,
    seconds=10.0,
    concurrency=4,
    timeout_s=30.0,
)
async def rate_limit(ctx: ProbeContext) -> CheckResult:
    """Fails: a bounded burst of failed logins (or requests to the promised route) is served to
    the end with no 429.

    Passes: a 429 comes before the burst ends (Retry-After noted)."""
    limit = ctx.params.get("limit")
    n = int(ctx.options["requests"])
    if isinstance(limit, int) and limit > 0:
        n = min(MAX_REQUESTS, max(n, limit + 5))
    seconds = float(ctx.options["seconds"])
    conc = max(1, min(int(ctx.options["concurrency"]), 10))
    auth = ctx.api.auth
    nobody = f"probe-nobody-{secrets.token_hex(4)}"
    wrong = f"Wr0ng-{secrets.token_hex(6)}!"
    ctx.session.cache["burst_password"] = wrong
    kwargs: dict[str, Any]
    if auth.login is not None:
        method, path = auth.login.method, auth.login.path
        ident = auth.identity_field or "email"
        body = {ident: f"{nobody}@example.com" if "mail" in ident else nobody, "password": wrong}
        if auth.login.fields:
            body = {
                f: body.get(f, wrong if "pass" in f else f"{nobody}@example.com")
                for f in auth.login.fields
            }
        kwargs = auth.login.request_kwargs(body)
        what = "failed logins"
    else:
        # brute force needs a login to guess at; a burst of reads on some other route says
        # nothing about it (and a public catalogue or calculator has no users to protect)
        return ctx.without_sign_in(
            "the app has no login route (statically, in an OpenAPI document, or live): there is "
            "no sign-in to brute-force",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    earlier = next((r for r in ctx.session.records if r.status == 429), None)
    deadline = time.monotonic() + seconds
    sent = 0
    first: Exchange | None = None
    hit: Exchange | None = None
    statuses: dict[str, int] = {}
    stop = asyncio.Event()

    async def worker() -> None:
        nonlocal sent, first, hit
        while not stop.is_set() and sent < n and time.monotonic() < deadline:
            sent += 1
            _, ex = await ctx.exchange(method, path, purpose="burst", record=False, **kwargs)
            first = first or ex
            key = str(ex.status)
            statuses[key] = statuses.get(key, 0) + 1
            if ex.status == 429:
                hit = hit or ex
                stop.set()

    await asyncio.gather(*(worker() for _ in range(conc)))
    if hit is not None:
        retry = hit.response_headers.get("retry-after")
        return ctx.passed(
            f"429 after {sent} {what} on {method} {path}"
            + (f" (Retry-After: {retry})" if retry else " (no Retry-After header)"),
            ctx.evidence(hit, "the first 429", statuses=statuses),
        )
    if first is None:
        raise ProbeError(f"no request of the burst could be sent to {method} {path}")
    served = sum(
        v for k, v in statuses.items() if k.isdigit() and int(k) < 500 and int(k) not in (404, 405)
    )
    if served < sent // 2:
        raise ProbeError(
            f"the burst mostly failed ({statuses}); the rate limit cannot be judged",
            ctx.evidence(first, "first burst request"),
        )
    evidence = [
        ctx.evidence(first, f"{sent} {what} in {seconds:g} s, none answered 429", statuses=statuses)
    ]
    if earlier is not None:
        evidence.append(ctx.evidence(earlier.exchange, "an earlier 429 on another route"))
    return ctx.failed(f"{sent} {what} on {method} {path}: every one served, no 429", *evidence)
