"""Own checks on the API surface as declared in the source: versioning, RESTful naming, a health
route and OpenAPI documentation."""

from __future__ import annotations

import re

from harness.catalogue import CheckSpec, failed, not_applicable, note, passed
from harness.scorecard._model import CheckResult, Evidence, Finding
from harness.static import _python_ast as pa
from harness.static._code_checks import JS_WRITE
from harness.static._declare import requires_routes, requires_web, static_check
from harness.static._evaluate import check_finding, cite, fail_with
from harness.static._model import Location, StaticContext
from harness.static._routes import handlers, route_paths

_INFRA = re.compile(
    r"(?i)^/?(health\w*|ready\w*|live\w*|ping|status|metrics|docs?|redoc|openapi(\.json)?|"
    r"swagger\w*|api-docs|favicon\.ico|static|)(/|$)"
)
_VERSION = re.compile(r"(?i)(^|/)v\d+(\.\d+)?(/|$)")
_VERB = re.compile(
    r"(?i)^(get|create|update|delete|remove|add|fetch|list|edit|make|insert|modify|set|"
    r"retrieve|do|save|new|toggle)"
    r"([A-Z_-]|$)"
)
_ALLOWED = {
    "login",
    "logout",
    "register",
    "refresh",
    "signup",
    "signin",
    "verify",
    "reset",
    "me",
    "search",
    "token",
    "settings",
    "status",
}


def _route_finding(spec: CheckSpec, method: str, path: str, where: str, message: str) -> Finding:
    file, _, line = where.rpartition(":")
    loc = Location(file or where, int(line) if line.isdigit() else 1, f"{method} {path}")
    return check_finding(spec, loc, message)


@static_check(
    "api.versioning.prefix",
    title="routes sit under a version prefix (/api/v1) or a version header is honoured",
    min_ratio=1.0,
)
def versioning(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: routes (health/docs/metrics excepted) outside /v<n> and no version header.

    Passes: all API routes under /v<n> (or /api/v<n>), or a version header."""
    opts = ctx.options_for(spec.id, spec.options)
    routes = [r for r in route_paths(ctx) if not _INFRA.match(r[1].lstrip("/"))]
    if not routes:
        return not_applicable(spec, "no API routes found")
    header = ctx.search(r"(?i)accept-version|api-version|x-api-version")
    versioned = [r for r in routes if _VERSION.search(r[1])]
    ratio = len(versioned) / len(routes)
    if ratio >= opts["min_ratio"] or header:
        ev = [
            note(
                f"{len(versioned)} of {len(routes)} routes versioned, e.g. "
                + ", ".join(p for _, p, _ in versioned[:3])
            )
        ]
        if header:
            ev.append(cite("version header", header))
        return passed(spec, f"{len(versioned)} of {len(routes)} API routes are versioned", *ev)
    bad = [r for r in routes if r not in versioned]
    return fail_with(
        spec,
        f"{len(bad)} of {len(routes)} API routes have no version prefix",
        [_route_finding(spec, m, p, w, f"{m} {p} is unversioned") for m, p, w in bad],
    )


@static_check(
    "api.restful.naming",
    title="paths name resources, not actions (no verbs such as /getUsers or /todos/delete)",
)
@requires_routes
def restful(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a verb in a path segment (/getTodos, /todos/{id}/toggle) or a GET handler that
    writes.

    Passes: all paths are nouns and GETs do not write."""
    routes = route_paths(ctx)
    bad = []
    for method, path, where in routes:
        for segment in path.strip("/").split("/"):
            if segment.startswith("{") or segment.lower() in _ALLOWED:
                continue
            if _VERB.match(segment):
                bad.append(
                    _route_finding(
                        spec, method, path, where, f"{method} {path}: verb '{segment}' in the path"
                    )
                )
                break
    for h in handlers(ctx):  # GET must not change state
        if h.method != "GET":
            continue
        writes = (
            [c for c in pa.calls(h.node) if pa.is_db_write(c)]
            if h.node is not None
            else JS_WRITE.findall(h.body)
        )
        if writes:
            bad.append(
                _route_finding(
                    spec, h.method, h.path, f"{h.file}:{h.line}", f"GET {h.path} changes state"
                )
            )
    if bad:
        return fail_with(spec, "paths contain verbs or GET routes change state", bad)
    return passed(
        spec,
        f"{len(routes)} route paths name resources",
        note("paths: " + ", ".join(sorted({p for _, p, _ in routes}))[:500]),
    )


@static_check(
    "api.health.route",
    title="a health-check route is declared (/health, /healthz, /ping...)",
)
@requires_routes
def health(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no /health, /healthz, /ready, /ping, /status route.

    Passes: such a route is declared."""
    routes = route_paths(ctx)
    hits = [
        r
        for r in routes
        if re.search(r"(?i)/(health\w*|healthz|ready\w*|live\w*|ping|status)/?$", r[1])
    ]
    if hits:
        return passed(
            spec, "health route declared", note(", ".join(f"{m} {p} ({w})" for m, p, w in hits))
        )
    return failed(
        spec,
        "no health-check route among the declared routes",
        note(f"{len(routes)} routes searched for /health, /healthz, /ready, /ping, /status"),
    )


_DOC_FILES = re.compile(r"(?i)(^|/)(openapi|swagger|api-docs?)[\w.-]*\.(ya?ml|json)$")
_DOC_LIBS = (
    r"\bflasgger\b|\bflask_smorest\b|\bflask_restx\b|\bapispec\b|\bspectree\b|\bdrf_spectacular\b|"
    r"\bdrf_yasg\b|\bflask_openapi3\b|swagger-ui-express|swagger-jsdoc|express-openapi|"
    r"@nestjs/swagger|"
    r"express-oas-generator|tsoa"
)


@static_check(
    "api.docs.openapi",
    title=(
        "an OpenAPI document is served or shipped (FastAPI, flasgger, swagger-ui-express, "
        "openapi.yaml)"
    ),
)
@requires_web
def docs(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no FastAPI app, doc library (flasgger, swagger-ui-express...) or openapi/swagger
    file.

    Passes: FastAPI without openapi_url=None, Litestar without openapi_config=None, a doc
    library, or a shipped OpenAPI file."""
    evidence: list[Evidence] = []
    fastapi = ctx.search(r"\bFastAPI\(", "python")
    disabled = ctx.search(r"openapi_url\s*=\s*None", "python")
    if fastapi and not disabled:
        evidence.append(cite("FastAPI serves /openapi.json and /docs", fastapi))
    litestar = ctx.search(r"\bLitestar\(", "python")
    if litestar and not ctx.search(r"openapi_config\s*=\s*None", "python"):
        evidence.append(cite("Litestar serves /schema/openapi.json and /schema", litestar))
    libs = ctx.search(_DOC_LIBS)
    if libs:
        evidence.append(cite("documentation library", libs))
    files = [p for p in ctx.all_files if _DOC_FILES.search(p)]
    if files:
        evidence.append(note("OpenAPI files: " + ", ".join(files[:5]), files=files[:5]))
    if evidence:
        return passed(spec, "the API is documented with OpenAPI", *evidence)
    return failed(
        spec,
        "no OpenAPI document, generator or docs route found",
        note(
            "searched for FastAPI, flasgger, flask-smorest, swagger-ui-express, "
            "swagger-jsdoc and openapi/swagger files"
        ),
    )


# the generic handler's classic leaks; an app error's own .message is deliberate, so not counted
_HANDLER_LEAK = re.compile(r"\.stack\b|\btraceback\b|format_exc\(")


@static_check(
    "errors.handler.global",
    title="an app-level error handler exists and answers without internals",
)
@requires_web
def error_handler(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no exception_handler/errorhandler/handler500/4-arg Express middleware, or one that
    returns a stack/traceback.

    Passes: a handler that answers with its own message."""
    found = ctx.fact("error_handler")
    if not found:
        return failed(
            spec,
            "no global error handler (FastAPI exception_handler, Flask errorhandler, "
            "Django handler500, "
            "Express (err, req, res, next) middleware)",
            note(
                f"searched {len(ctx.sources)} source file(s)",
                files=[f.path for f in ctx.sources[:10]],
            ),
        )
    leaks = []
    for loc in found:
        source = ctx.file(loc.file)
        if source is None:
            continue
        body = "\n".join(source.lines[loc.line - 1 : loc.line + 12])
        if source.language == "python":  # the decorated function, up to the next top-level line
            lines = source.lines[loc.line - 1 :]
            end = next(
                (
                    i
                    for i, ln in enumerate(lines[2:], 2)
                    if ln and not ln[0].isspace() and not ln.startswith("@")
                ),
                len(lines),
            )
            body = "\n".join(lines[:end])
        if _HANDLER_LEAK.search(body):
            leaks.append(
                check_finding(
                    spec,
                    Location(loc.file, loc.line, body[:400]),
                    "the global error handler answers with exception text or a stack trace",
                )
            )
    if leaks:
        return fail_with(spec, "the error handler exists but leaks internals", leaks)
    return passed(
        spec, "a global error handler answers with its own messages", cite("error handler", found)
    )
