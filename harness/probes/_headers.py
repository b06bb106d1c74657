"""Header probes: security headers and version banners, CORS preflights from a friendly and a
hostile origin, cache validators, request ids and metrics."""

from __future__ import annotations

import re
import secrets
from typing import Any

from harness.app import documented_origins
from harness.probes._context import ProbeContext, probe
from harness.probes._preconditions import requires_resource
from harness.scorecard import CheckResult, Evidence

HOSTILE_ORIGIN = "https://evil.example"  # only ever a header value; nothing is sent there
FRIENDLY_ORIGINS = ("http://localhost:3000", "http://localhost:5173", "http://127.0.0.1:3000")
_VERSIONED = re.compile(r"\d+\.\d+")
_DEV_SERVER = re.compile(r"^Werkzeug/[\d.]+( Python/[\d.]+)?$")


def _targets(ctx: ProbeContext) -> list[tuple[str, Any]]:
    """(path, user) pairs covering a public route, a protected read and an error."""
    out: list[tuple[str, Any]] = [(ctx.api.health_path or "/", None)]
    res = ctx.api.resource
    if res is not None:
        a = ctx.session.a_if_signed_in
        out.append((res.collection_path, a))
    out.append((f"/harness-no-such-route-{secrets.token_hex(3)}", None))
    return out


@probe(
    "live.security-headers",
    requirement="http.security-headers",
    title="responses carry nosniff, a frame policy and a CSP, and no version banner",
)
async def security_headers(ctx: ProbeContext) -> CheckResult:
    """Fails: a probed response lacks X-Content-Type-Options: nosniff, a frame policy
    (X-Frame-Options or CSP frame-ancestors) or a Content-Security-Policy, or carries a
    framework version banner.

    Passes: all present on every probed response; a development server's own Server banner
    is only noted."""
    problems: dict[str, Evidence] = {}
    notes: dict[str, Evidence] = {}
    seen: list[Evidence] = []
    for path, user in _targets(ctx):
        resp, ex = await ctx.exchange("GET", path, user=user, purpose="headers")
        if resp is None:
            continue
        h = {k.lower(): v for k, v in resp.headers.items()}
        csp = h.get("content-security-policy", "")
        missing = []
        if h.get("x-content-type-options", "").lower() != "nosniff":
            missing.append("X-Content-Type-Options: nosniff")
        if "x-frame-options" not in h and "frame-ancestors" not in csp:
            missing.append("a frame policy (X-Frame-Options or CSP frame-ancestors)")
        if not csp:
            missing.append("Content-Security-Policy")
        for item in missing:
            problems.setdefault(f"missing {item}", ctx.evidence(ex, f"GET {path}: no {item}"))
        if "x-powered-by" in h:
            problems.setdefault(
                "X-Powered-By banner",
                ctx.evidence(ex, f"GET {path}: X-Powered-By: {h['x-powered-by']}"),
            )
        server = h.get("server", "")
        if server and _VERSIONED.search(server):
            if _DEV_SERVER.search(server):
                # the development server's own banner (app.run()): a deployment matter, not
                # something the app's headers decide; reported, not failed on
                notes.setdefault(server, ctx.evidence(ex, f"GET {path}: Server: {server}"))
            else:
                problems.setdefault(
                    "versioned Server banner", ctx.evidence(ex, f"GET {path}: Server: {server}")
                )
        seen.append(ctx.evidence(ex, f"GET {path}: {resp.status_code}"))
    if not seen:
        return ctx.errored("the app answered none of the header probes")
    if problems:
        return ctx.failed("; ".join(problems), *problems.values())
    if notes:
        return ctx.passed(
            "nosniff, a frame policy and a CSP on every probed response; the only version "
            f"banner is the development server's (Server: {next(iter(notes))})",
            *seen,
            *notes.values(),
        )
    return ctx.passed(
        "nosniff, a frame policy and a CSP on every probed response; no version banner", *seen
    )


def _repo_origins(ctx: ProbeContext) -> list[str]:
    """The allow-list the repo documents (its example environment), which the runner set."""
    root = ctx.app.source_dir or ctx.app.workdir
    return documented_origins(root) if root is not None else []


@probe(
    "live.cors",
    requirement="http.cors",
    title="CORS allows the configured origin, never reflects a hostile one, never *+credentials",
)
async def cors(ctx: ProbeContext) -> CheckResult:
    """Fails: a hostile origin is reflected, * is sent with Allow-Credentials: true, * is used
    although the agent names origins, or no preflight from a promised origin, one the repo's
    example environment lists for its allow-list, or a common local one is allowed.

    Passes: the configured origin is allowed and the hostile one is not."""
    promised = [
        str(o) for o in (ctx.params.get("origins") or ctx.params.get("allowed_origins") or [])
    ]
    # the agent's origins, then those the repo documents (set by the runner), then defaults
    candidates = list(dict.fromkeys([*promised, *_repo_origins(ctx), *FRIENDLY_ORIGINS]))[:4]
    path = ctx.api.resource.collection_path if ctx.api.resource else (ctx.api.health_path or "/")

    async def preflight(origin: str) -> tuple[dict[str, str], Evidence]:
        resp, ex = await ctx.exchange(
            "OPTIONS",
            path,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
            purpose="cors",
        )
        h = {k.lower(): v for k, v in resp.headers.items()} if resp is not None else {}
        return h, ctx.evidence(ex, f"preflight from {origin}: {ex.status}")

    friendly: tuple[str, dict[str, str], Evidence] | None = None
    tried: list[Evidence] = []
    for origin in candidates:
        h, ev = await preflight(origin)
        tried.append(ev)
        allowed = h.get("access-control-allow-origin", "")
        if allowed in (origin, "*"):
            friendly = (origin, h, ev)
            break
    hostile_h, hostile_ev = await preflight(HOSTILE_ORIGIN)
    resp, gex = await ctx.exchange("GET", path, headers={"Origin": HOSTILE_ORIGIN}, purpose="cors")
    get_h = {k.lower(): v for k, v in resp.headers.items()} if resp is not None else {}
    get_ev = ctx.evidence(gex, f"simple GET from {HOSTILE_ORIGIN}: {gex.status}")
    for h, ev in ((hostile_h, hostile_ev), (get_h, get_ev)):
        allow = h.get("access-control-allow-origin", "")
        creds = h.get("access-control-allow-credentials", "").lower() == "true"
        if allow == HOSTILE_ORIGIN or allow == "null":
            return ctx.failed(f"the hostile origin {HOSTILE_ORIGIN} is reflected", ev)
        if allow == "*" and creds:
            return ctx.failed("wildcard origin together with Allow-Credentials: true", ev)
    if friendly is None:
        return ctx.failed(
            "no CORS handling: no preflight from " + ", ".join(candidates) + " was allowed",
            *tried,
            hostile_ev,
        )
    origin, h, ev = friendly
    if h.get("access-control-allow-origin") == "*":
        if promised:
            return ctx.failed(
                f"CORS allows any origin (*) although the agent names {', '.join(promised)}",
                ev,
                hostile_ev,
            )
        return ctx.passed(
            "CORS allows any origin (*) without credentials; the hostile origin is not reflected",
            ev,
            hostile_ev,
        )
    return ctx.passed(
        f"preflight from {origin} allowed; {HOSTILE_ORIGIN} not allowed", ev, hostile_ev, get_ev
    )


@probe(
    "live.cache-headers",
    requirement="perf.caching",
    title="cacheable GETs carry ETag/Last-Modified or Cache-Control",
)
@requires_resource
async def cache_headers(ctx: ProbeContext) -> CheckResult:
    """Fails: cacheable GETs (the list, a record) carry no ETag, Last-Modified or
    Cache-Control.

    Passes: they carry one of them."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    paths = [res.collection_path]
    if ctx.session.todo_a:
        paths.append(ctx.item_path(ctx.session.todo_a["id"]))
    seen: list[Evidence] = []
    found: list[Evidence] = []
    for path in paths:
        resp, ex = await ctx.exchange("GET", path, user=a, purpose="cache")
        if resp is None:
            continue
        h = {k.lower(): v for k, v in resp.headers.items()}
        present = [k for k in ("etag", "last-modified", "cache-control") if k in h]
        if present:
            found.append(ctx.evidence(ex, f"GET {path}: {', '.join(present)}"))
            if "etag" in h:
                _, aex = await ctx.exchange(
                    "GET", path, user=a, headers={"If-None-Match": h["etag"]}, purpose="cache"
                )
                found.append(ctx.evidence(aex, f"conditional GET: {aex.status}"))
        else:
            seen.append(ctx.evidence(ex, f"GET {path}: no ETag, Last-Modified or Cache-Control"))
    if found:
        return ctx.passed("cache validators or Cache-Control on the probed GETs", *found)
    if not seen:
        return ctx.errored("the app answered none of the cache probes")
    return ctx.failed("no ETag, Last-Modified or Cache-Control on cacheable GETs", *seen)


METRICS_PATHS = ("/metrics", "/api/metrics", "/api/v1/metrics", "/prometheus", "/stats")
REQUEST_ID_HEADERS = (
    "x-request-id",
    "x-correlation-id",
    "request-id",
    "x-trace-id",
    "traceparent",
    "x-amzn-trace-id",
)


@probe(
    "live.metrics",
    requirement="observability.metrics",
    title="a metrics endpoint answers, or request ids are returned or logged",
)
async def metrics(ctx: ProbeContext) -> CheckResult:
    """Fails: no metrics endpoint (/metrics, ...) answers and no request id appears on
    responses or in the log.

    Passes: metrics are served or request ids are returned or logged."""
    found: list[Evidence] = []
    paths = [op.path for op in ctx.api.operations if "metric" in op.path.lower()]
    for path in dict.fromkeys([*paths, *METRICS_PATHS]):
        resp, ex = await ctx.exchange("GET", path, purpose="metrics")
        if resp is not None and resp.status_code == 200:
            text = resp.text[:4000]
            if (
                "# TYPE" in text
                or "# HELP" in text
                or resp.headers.get("content-type", "").startswith("application/json")
            ):
                found.append(ctx.evidence(ex, f"metrics at {path}"))
                break
    rid = f"harness-{secrets.token_hex(6)}"
    target = ctx.api.health_path or "/"
    resp, ex = await ctx.exchange("GET", target, headers={"X-Request-ID": rid}, purpose="metrics")
    if resp is not None:
        h = {k.lower(): v for k, v in resp.headers.items()}
        ids = {k: h[k] for k in REQUEST_ID_HEADERS if k in h}
        if ids:
            found.append(ctx.evidence(ex, f"request id on the response: {ids}"))
        elif rid in ctx.app.logs():
            found.append(ctx.evidence(ex, "the sent X-Request-ID appears in the app's log"))
    if found:
        return ctx.passed("metrics or request ids are exposed", *found)
    return ctx.failed(
        "no metrics endpoint (" + ", ".join(METRICS_PATHS) + ") and no request id on responses "
        "or in the log",
        ctx.evidence(ex, "request with X-Request-ID"),
    )
