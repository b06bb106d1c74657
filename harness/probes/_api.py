"""API design probes: CRUD completeness, pagination, filtering and sorting, versioning, naming,
documentation, health, idempotent PUT/DELETE, timestamps, soft delete and upload checks."""

from __future__ import annotations

import asyncio
import re
import secrets
from pathlib import Path
from typing import Any

from harness.apimodel import Account, Operation, items_of, record_id, sign_in, unwrap
from harness.apimodel._json import json_body
from harness.apimodel._match import plain, split, strip_prefix
from harness.probes._context import ProbeBlind, ProbeContext, ProbeError, ProbeSkip, probe
from harness.probes._preconditions import requires_record, requires_records, requires_resource
from harness.probes._session import SEED_TITLES, title_field
from harness.probes._storage import find_record_row, table_columns
from harness.scorecard import CheckResult, Evidence


def gone(resp: Any, name: str, id_field: str = "id") -> bool:
    """A read after delete finds nothing: 404/410, another 4xx, or a 2xx without a record (an
    error body with 200 is a status-code problem, judged elsewhere, not a surviving record)."""
    if resp is None:
        return False
    if 400 <= resp.status_code < 500 and resp.status_code != 401:
        return True
    return resp.is_success and record_id(json_body(resp), name.rstrip("s"), id_field) is None


def _titles(rows: list[Any], tfield: str) -> list[str]:
    return [str(r.get(tfield)) for r in rows if isinstance(r, dict) and r.get(tfield) is not None]


# ---------------------------------------------------------------- CRUD


@probe(
    "live.crud",
    requirement="api.crud",
    title="create, read, list, update and delete all work on the main resource",
)
@requires_resource
async def crud(ctx: ProbeContext) -> CheckResult:
    """Fails: user A's create of the main resource fails or answers without an id, or a read,
    list, update (PUT or PATCH, read back) or delete of the new record is missing or broken.

    Passes: all five work on the new record, the update read back changed."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    tfield = title_field(res.create_example)
    missing: list[Evidence] = []
    done: list[Evidence] = []
    body = {**res.create_example, tfield: f"CRUD {secrets.token_hex(3)}"}
    resp, ex = await ctx.exchange("POST", res.create_path, user=a, json=body, purpose="crud")
    if resp is not None and resp.status_code in (401, 403) and ctx.users_seeded():
        raise ctx.cannot_seed(f"create: POST {res.create_path} -> {ex.status}")
    if resp is None or not resp.is_success:
        return ctx.failed(
            f"create: POST {res.collection_path} -> {ex.status}", ctx.evidence(ex, "create")
        )
    done.append(ctx.evidence(ex, f"create {ex.status}"))
    rid = record_id(json_body(resp), res.name.rstrip("s"), res.id_field)
    if rid is None:
        return ctx.failed("create answers without an id", ctx.evidence(ex, "create"))
    path = ctx.item_path(rid)
    resp, ex = await ctx.exchange("GET", path, user=a, purpose="crud")
    (done if resp is not None and resp.is_success else missing).append(
        ctx.evidence(ex, f"read {ex.status}")
    )
    resp, ex = await ctx.exchange("GET", res.collection_path, user=a, purpose="crud")
    ok = resp is not None and resp.is_success and items_of(json_body(resp), res.name) is not None
    (done if ok else missing).append(ctx.evidence(ex, f"list {ex.status}"))
    changed = {**body, tfield: body[tfield] + " updated"}
    updated = False
    for method in ("PUT", "PATCH"):
        resp, ex = await ctx.exchange(method, path, user=a, json=changed, purpose="crud")
        if resp is not None and resp.is_success:
            got, gex = await ctx.exchange("GET", path, user=a, purpose="crud")
            state = unwrap(json_body(got), res.name)
            if state and state.get(tfield) == changed[tfield]:
                done.append(ctx.evidence(ex, f"update ({method}) {ex.status}, read back"))
                updated = True
                break
            missing.append(
                ctx.evidence(gex, f"update ({method}) answered {ex.status} but did not change")
            )
            break
    if not updated and not any("update" in e.message for e in missing):
        missing.append(ctx.evidence(ex, f"update: PUT/PATCH {path} -> {ex.status}"))
    resp, ex = await ctx.exchange("DELETE", path, user=a, purpose="crud")
    if resp is not None and resp.is_success:
        got, gex = await ctx.exchange("GET", path, user=a, purpose="crud")
        if gone(got, res.name, res.id_field):
            done.append(ctx.evidence(ex, f"delete {ex.status}, then read {gex.status}"))
        else:
            missing.append(
                ctx.evidence(
                    gex, f"delete answered {ex.status} but the record still reads {gex.status}"
                )
            )
    else:
        missing.append(ctx.evidence(ex, f"delete {ex.status}"))
    if missing:
        return ctx.failed(
            f"{len(missing)} CRUD operations on {res.collection_path} missing or broken",
            *missing,
            *done,
        )
    return ctx.passed(
        f"create, read, list, update and delete all work on {res.collection_path}", *done
    )


# ---------------------------------------------------------------- pagination


PAGE_SHAPES: tuple[tuple[str, str | None], ...] = (
    ("limit", "offset"),
    ("limit", "skip"),
    ("per_page", "page"),
    ("page_size", "page"),
    ("pageSize", "page"),
    ("size", "page"),
    ("limit", "page"),
    ("perPage", "page"),
    ("first", None),
)
_ECHO_KEYS = ("limit", "per_page", "page_size", "pageSize", "size", "perPage", "page_limit")


def _echoed_limit(body: Any) -> int | None:
    if not isinstance(body, dict):
        return None
    for node in (
        body,
        body.get("meta"),
        body.get("pagination"),
        body.get("page"),
        body.get("data"),
    ):
        if isinstance(node, dict):
            for key in _ECHO_KEYS:
                if isinstance(node.get(key), int):
                    return int(node[key])
    return None


@probe(
    "live.pagination",
    requirement="api.pagination",
    title="list endpoints honour a page size and cap or refuse an absurd one",
)
@requires_records(3)
async def pagination(ctx: ProbeContext) -> CheckResult:
    """Fails: no page-size parameter (limit, per_page, page_size, ...) is honoured, or an
    absurd size (100000) crashes, is echoed as is, or returns more than the cap (the agent's
    max page size, else 100).

    Passes: a size of 2 returns 2 of user A's records (the next page differs) and the absurd
    size is refused or capped. Needs 3 seeded records; otherwise not checkable."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    resp, base_ex = await ctx.exchange("GET", res.collection_path, user=a, purpose="pagination")
    rows = items_of(json_body(resp), res.name)
    if rows is None:
        ctype = resp.headers.get("content-type", "no type") if resp is not None else "no answer"
        raise ProbeBlind(
            f"GET {res.collection_path} answered {base_ex.status} ({ctype}) with no list of "
            "records the harness can count: page sizes cannot be observed",
            ctx.evidence(base_ex, "list"),
        )
    cap = int(ctx.params.get("max_page_size") or ctx.options.get("max_page_size") or 100)
    hint = [s for s in PAGE_SHAPES if s[0] in res.list_params]
    for size_name, page_name in [*hint, *PAGE_SHAPES]:
        query = {size_name: 2}
        resp, ex = await ctx.exchange(
            "GET", res.collection_path, user=a, params=query, purpose="pagination"
        )
        page = items_of(json_body(resp), res.name)
        if page is None or len(page) != 2 or (len(rows) <= 2 and len(page) == len(rows)):
            continue
        evidence = [ctx.evidence(ex, f"?{size_name}=2 gives 2 of {len(rows)}+ records")]
        if page_name:
            nxt = {
                size_name: 2,
                page_name: 2,  # offset 2 or page 2: the next page either way
            }
            resp2, ex2 = await ctx.exchange(
                "GET", res.collection_path, user=a, params=nxt, purpose="pagination"
            )
            page2 = items_of(json_body(resp2), res.name) or []
            ids1 = {record_id(r, None, res.id_field) for r in page}
            ids2 = {record_id(r, None, res.id_field) for r in page2}
            evidence.append(
                ctx.evidence(
                    ex2,
                    f"next page via {page_name}: {'different' if ids1 != ids2 else 'same'} records",
                )
            )
        resp3, ex3 = await ctx.exchange(
            "GET", res.collection_path, user=a, params={size_name: 100000}, purpose="pagination"
        )
        if resp3 is not None and 400 <= resp3.status_code < 500:
            return ctx.passed(
                f"?{size_name} honoured; ?{size_name}=100000 refused with {resp3.status_code}",
                *evidence,
                ctx.evidence(ex3, "absurd page size"),
            )
        if resp3 is None or resp3.status_code >= 500:
            return ctx.failed(
                f"?{size_name}=100000 crashed ({ex3.status})", ctx.evidence(ex3, "absurd page size")
            )
        big = json_body(resp3)
        echoed = _echoed_limit(big)
        count = len(items_of(big, res.name) or [])
        ev3 = ctx.evidence(ex3, f"?{size_name}=100000: {count} records, echoed size {echoed}")
        if echoed is not None and echoed > cap:
            return ctx.failed(
                f"?{size_name}=100000 is taken as is (echoed {echoed}, cap {cap})", *evidence, ev3
            )
        if count > cap:
            return ctx.failed(
                f"?{size_name}=100000 returned {count} records, over the cap {cap}", *evidence, ev3
            )
        if echoed is not None:
            return ctx.passed(
                f"?{size_name} honoured; ?{size_name}=100000 capped at {echoed}", *evidence, ev3
            )
        return await _observe_cap(ctx, size_name, cap, evidence)
    return ctx.failed(
        f"no page-size parameter was honoured ({', '.join(s for s, _ in PAGE_SHAPES)}); "
        f"the list returns {len(rows)} records at once",
        ctx.evidence(base_ex, "unpaginated list"),
    )


async def _observe_cap(
    ctx: ProbeContext, size_name: str, cap: int, evidence: list[Evidence]
) -> CheckResult:
    """Give a fresh user cap+1 records and ask for them all: capped or not."""
    res = ctx.resource()
    bulk_max = int(ctx.options.get("max_bulk", 150))
    if cap + 1 > bulk_max:
        return ctx.passed(
            f"?{size_name} honoured; a cap of {cap} would need more than {bulk_max} records to "
            "observe, so it was not checked",
            *evidence,
        )
    c = Account.fresh("c")
    await sign_in(ctx.api, ctx.send, c)
    if not c.signed_in and ctx.api.auth.kind != "none":
        raise ProbeError("could not sign in a third user to observe the page-size cap", *evidence)
    user = c if c.signed_in else None
    tfield = title_field(res.create_example)
    gate = asyncio.Semaphore(6)

    async def make(i: int) -> bool:
        async with gate:
            resp, _ = await ctx.exchange(
                "POST",
                res.create_path,
                user=user,
                json={**res.create_example, tfield: f"Bulk {i}"},
                purpose="pagination",
                record=False,
            )
        return resp is not None and resp.is_success

    made = sum(await asyncio.gather(*(make(i) for i in range(cap + 1))))
    resp, ex = await ctx.exchange(
        "GET", res.collection_path, user=user, params={size_name: 100000}, purpose="pagination"
    )
    count = len(items_of(json_body(resp), res.name) or [])
    ev = ctx.evidence(ex, f"{made} records, ?{size_name}=100000 returns {count}")
    if made <= cap:
        raise ProbeError(f"only {made} of {cap + 1} records could be created", ev)
    if count > cap:
        return ctx.failed(
            f"?{size_name}=100000 returned {count} records: no cap at {cap}", *evidence, ev
        )
    return ctx.passed(
        f"?{size_name} honoured and capped ({count} of {made} records)", *evidence, ev
    )


# ---------------------------------------------------------------- filtering and sorting


SEARCH_PARAMS = ("q", "search", "title", "filter", "query", "name", "keyword", "text")
SORT_SHAPES: tuple[tuple[dict[str, str], dict[str, str]], ...] = (
    ({"sort": "title"}, {"sort": "-title"}),
    ({"sort": "title", "order": "asc"}, {"sort": "title", "order": "desc"}),
    ({"sort_by": "title", "order": "asc"}, {"sort_by": "title", "order": "desc"}),
    ({"sortBy": "title", "order": "asc"}, {"sortBy": "title", "order": "desc"}),
    ({"order_by": "title"}, {"order_by": "-title"}),
    ({"ordering": "title"}, {"ordering": "-title"}),
    ({"sort": "title:asc"}, {"sort": "title:desc"}),
    ({"sort": "title", "direction": "asc"}, {"sort": "title", "direction": "desc"}),
)


def _is_sorted(values: list[str], reverse: bool) -> bool:
    for key in (lambda s: s, str.lower):
        if values == sorted(values, key=key, reverse=reverse):
            return True
    return False


@probe(
    "live.filtering",
    requirement="api.filtering",
    title="list filters and sort parameters change the result as expected",
)
@requires_records(3)
async def filtering(ctx: ProbeContext) -> CheckResult:
    """Fails: neither a search/filter parameter nor a sort parameter changes the list as asked
    (filtering alone or sorting alone is a fail naming the missing half).

    Passes: a filter returns only matching seeded records and a sort parameter orders them
    both ways."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    seeds = ctx.session.seeds
    tfield = title_field(res.create_example)
    target = SEED_TITLES[1]  # "Probe bravo"
    found: list[Evidence] = []
    tried: list[str] = []
    params = list(
        dict.fromkeys([p for p in res.list_params if p in SEARCH_PARAMS] + list(SEARCH_PARAMS))
    )
    for name in params:
        for value in ("bravo", target):
            resp, ex = await ctx.exchange(
                "GET", res.collection_path, user=a, params={name: value}, purpose="filtering"
            )
            rows = items_of(json_body(resp), res.name)
            tried.append(f"{name}={value}")
            titles = _titles(rows or [], tfield)
            if rows and titles and all("bravo" in t.lower() for t in titles):
                found.append(ctx.evidence(ex, f"?{name}={value} returns only matching records"))
                break
        if found:
            break
    flag = next(
        (k for k in ("completed", "done", "is_completed", "isCompleted") if k in seeds[1]["body"]),
        None,
    )
    if flag:
        resp, ex = await ctx.exchange(
            "GET", res.collection_path, user=a, params={flag: "true"}, purpose="filtering"
        )
        rows = items_of(json_body(resp), res.name) or []
        if rows and all(isinstance(r, dict) and r.get(flag) is True for r in rows):
            found.append(ctx.evidence(ex, f"?{flag}=true returns only {flag} records"))
        tried.append(f"{flag}=true")
    sorted_ok: Evidence | None = None
    for asc, desc in SORT_SHAPES:
        r1, _ = await ctx.exchange(
            "GET", res.collection_path, user=a, params=asc, purpose="filtering"
        )
        r2, e2 = await ctx.exchange(
            "GET", res.collection_path, user=a, params=desc, purpose="filtering"
        )
        t1 = _titles(items_of(json_body(r1), res.name) or [], tfield)
        t2 = _titles(items_of(json_body(r2), res.name) or [], tfield)
        if len(t1) >= 2 and t1 != t2 and _is_sorted(t1, False) and _is_sorted(t2, True):
            sorted_ok = ctx.evidence(e2, f"sorting by {asc} / {desc} orders the titles both ways")
            break
    label = "/".join(" ".join(f"{k}={v}" for k, v in a_.items()) for a_, _ in SORT_SHAPES[:3])
    if found and sorted_ok:
        return ctx.passed(
            "filtering and sorting both change the result as expected", *found, sorted_ok
        )
    if found:
        return ctx.failed(
            f"filtering works but no sort parameter is honoured (tried {label}...)", *found
        )
    if sorted_ok:
        return ctx.failed(
            f"sorting works but no filter is honoured (tried {', '.join(tried[:6])}...)", sorted_ok
        )
    return ctx.failed(f"no filter ({', '.join(tried[:6])}...) and no sort parameter is honoured")


# ---------------------------------------------------------------- versioning, naming, docs, health


_VERSION_SEG = re.compile(r"^v\d+(\.\d+)?$", re.I)


@probe(
    "live.versioning",
    requirement="api.versioning",
    title="routes sit under a version prefix or carry a version header",
)
@requires_resource
async def versioning(ctx: ProbeContext) -> CheckResult:
    """Fails: the collection has no /v1-style prefix and its responses no version header.

    Passes: the collection answers under a version prefix, or responses carry an api-version
    style header."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    resp, ex = await ctx.exchange("GET", res.collection_path, user=a, purpose="versioning")
    if resp is None:
        raise ProbeError("the collection does not answer", ctx.evidence(ex, "list"))
    versioned = any(_VERSION_SEG.match(s) for s in split(res.collection_path))
    headers = {k.lower(): v for k, v in resp.headers.items()}
    header = next(
        (k for k in ("api-version", "x-api-version", "version", "x-version") if k in headers), None
    )
    if versioned and resp.status_code != 404:
        return ctx.passed(
            f"the API is served under a version prefix: {res.collection_path}",
            ctx.evidence(ex, "versioned route answers"),
        )
    if header:
        return ctx.passed(
            f"responses carry a version header ({header}: {headers[header]})",
            ctx.evidence(ex, "version header"),
        )
    return ctx.failed(
        f"unversioned: {res.collection_path} has no /v1-style prefix and no version header",
        ctx.evidence(ex, "unversioned route"),
    )


_VERBS = {
    "get",
    "create",
    "add",
    "update",
    "edit",
    "delete",
    "remove",
    "fetch",
    "list",
    "insert",
    "save",
    "modify",
    "destroy",
    "new",
    "set",
    "make",
    "retrieve",
}
_RPC_OK = {
    "login",
    "logout",
    "register",
    "signup",
    "signin",
    "refresh",
    "token",
    "verify",
    "reset",
    "health",
    "me",
    "docs",
    "metrics",
}


def _verb_segment(seg: str) -> bool:
    """getTodos, create-todo, delete_item, or a bare /create: a verb leads the segment."""
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", seg).replace("-", " ").replace("_", " ")
    split_words = words.lower().split()
    return bool(split_words) and split_words[0] in _VERBS


@probe(
    "live.restful",
    requirement="api.restful",
    title="plural nouns for collections, no verbs in CRUD paths, methods match semantics",
)
@requires_resource
async def restful(ctx: ProbeContext) -> CheckResult:
    """Fails: a discovered route has a verb segment (/getTodos, /todos/{id}/delete) or the
    collection is not a plural noun.

    Passes: every route is a noun path and the collection is plural; the seeded create and a
    list read are cited."""
    res = ctx.resource()
    problems: list[str] = []
    for op in ctx.api.operations:
        segs = [s for s in strip_prefix(plain(op.path)) if s != "{}"]
        if any(s.replace("-", "").replace("_", "") in _RPC_OK for s in segs):
            continue
        for seg in segs:
            if _verb_segment(seg):
                problems.append(f"verb in path: {op.method} {op.path}")
                break
    name = split(res.collection_path)[-1]
    if not name.lower().endswith("s") or name.lower().endswith("ss"):
        problems.append(f"collection {res.collection_path} is not a plural noun")
    a = ctx.session.a_if_signed_in
    seed = ctx.session.todo_a
    live: list[Evidence] = []
    if seed is not None:
        live.append(
            ctx.evidence(
                seed["exchange"], f"POST {res.collection_path} creates ({seed['exchange'].status})"
            )
        )
        _, ex2 = await ctx.exchange("GET", res.collection_path, user=a, purpose="restful")
        live.append(ctx.evidence(ex2, f"GET {res.collection_path} reads ({ex2.status})"))
    note = ctx.note("routes inspected", routes=[op.key for op in ctx.api.operations][:60])
    if problems:
        return ctx.failed("; ".join(problems[:6]), note, *live)
    return ctx.passed(
        f"{len(ctx.api.operations)} routes: plural collections, no verbs in CRUD paths", note, *live
    )


DOC_UI_PATHS = (
    "/docs",
    "/redoc",
    "/swagger",
    "/swagger-ui",
    "/api-docs",
    "/api/docs",
    "/apidocs",
    "/swagger-ui.html",
    "/schema",  # Litestar's default (ReDoc)
)


@probe(
    "live.docs",
    requirement="api.docs",
    title="an OpenAPI document is served (or shipped) and covers the routes",
)
async def docs(ctx: ProbeContext) -> CheckResult:
    """Fails: no OpenAPI document or docs UI is served (/docs, /openapi.json, ...) or shipped,
    or the served document covers too few of the routes found in the source.

    Passes: a served document covers the routes, a docs UI answers, or an OpenAPI file is
    shipped."""
    api = ctx.api
    if api.openapi_url:
        resp, ex = await ctx.exchange("GET", api.openapi_url, purpose="docs")
        if resp is not None and resp.status_code == 200:
            doc_paths = {strip_prefix(plain(p)) for p in api.openapi_paths}
            found = {m.found.split(" ", 1)[1] for m in api.matches if m.found}
            static = {
                strip_prefix(plain(op.path))
                for op in api.operations
                if (op.origin != "task" or op.path in found) and not _infra(op.path)
            }
            covered = {p for p in static if p in doc_paths}
            ratio = len(covered) / len(static) if static else 1.0
            ev = ctx.evidence(
                ex,
                f"OpenAPI document at {api.openapi_url}",
                covered=len(covered),
                routes=len(static),
            )
            if ratio < float(ctx.options.get("min_coverage", 0.8)):
                missing = sorted("/" + "/".join(p) for p in static - doc_paths)[:10]
                return ctx.failed(
                    f"the served document covers {ratio:.0%} of the routes",
                    ev,
                    ctx.note("undocumented", routes=missing),
                )
            return ctx.passed(
                f"OpenAPI served at {api.openapi_url}, covering {ratio:.0%} of the static routes",
                ev,
            )
    for path in DOC_UI_PATHS:
        resp, ex = await ctx.exchange("GET", path, purpose="docs")
        if (
            resp is not None
            and resp.status_code == 200
            and re.search(r"swagger|redoc|openapi", resp.text[:20000], re.I)
        ):
            return ctx.passed(f"API documentation UI served at {path}", ctx.evidence(ex, "docs UI"))
    shipped = _shipped_document(Path(ctx.app.workdir))
    if shipped:
        return ctx.passed(
            f"an OpenAPI document is shipped in the repo ({shipped}) though not served",
            ctx.note("shipped document", file=shipped),
        )
    return ctx.failed(
        "no OpenAPI document is served ("
        + ", ".join(DOC_UI_PATHS[:4])
        + ", /openapi.json...) or shipped"
    )


def _infra(path: str) -> bool:
    """Routes nobody expects in the API document: docs, metrics, health."""
    low = path.lower()
    return any(w in low for w in ("openapi", "swagger", "/docs", "redoc", "metrics", "health"))


def _shipped_document(root: Path) -> str | None:
    names = (
        "openapi.yaml",
        "openapi.yml",
        "openapi.json",
        "swagger.json",
        "swagger.yaml",
        "swagger.yml",
    )
    for depth in ("", "*/", "*/*/"):
        for name in names:
            for hit in root.glob(depth + name):
                if "node_modules" not in hit.parts:
                    return str(hit.relative_to(root))
    return None


HEALTH_PATHS = (
    "/health",
    "/healthz",
    "/api/health",
    "/api/v1/health",
    "/status",
    "/ping",
    "/api/status",
    "/health/live",
    "/livez",
    "/readyz",
)


@probe("live.health", requirement="api.health", title="a health endpoint answers 200 quickly")
async def health(ctx: ProbeContext) -> CheckResult:
    """Fails: no health path (/health, /healthz, /ready, /ping, /status, ...) answers 200, or
    it answers slower than the bound.

    Passes: GET on a health path answers 200 within the bound."""
    bound = float(ctx.params.get("max_ms") or ctx.options.get("max_ms", 1000))
    tried: list[Evidence] = []
    for path in dict.fromkeys([p for p in (ctx.api.health_path,) if p] + list(HEALTH_PATHS)):
        resp, ex = await ctx.exchange("GET", path, purpose="health")
        if resp is not None and resp.status_code == 200:
            ev = ctx.evidence(ex, f"GET {path}: 200 in {ex.elapsed_ms} ms")
            if (ex.elapsed_ms or 0) > bound:
                return ctx.failed(
                    f"{path} answers 200 but slowly ({ex.elapsed_ms} ms > {bound:g} ms)", ev
                )
            return ctx.passed(f"GET {path} answers 200 in {ex.elapsed_ms} ms", ev)
        tried.append(ctx.evidence(ex, f"GET {path}: {ex.status}"))
    return ctx.failed("no health endpoint answers 200", *tried[:4])


# ---------------------------------------------------------------- idempotency


@probe(
    "live.idempotency",
    requirement="api.idempotency",
    title="repeated PUT and DELETE leave the same state and answer sanely",
)
@requires_resource
async def idempotency(ctx: ProbeContext) -> CheckResult:
    """Fails: a repeated PUT changes the state again or errors, or a repeated DELETE answers
    5xx or 2xx as if the record still existed.

    Passes: the second PUT leaves the same state and the second DELETE answers 404/410 (or
    another sane status)."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    tfield = title_field(res.create_example)
    rid, _, cex = await ctx.create(
        a, ctx.titled(f"Idem {secrets.token_hex(3)}"), purpose="idempotency"
    )
    path = ctx.item_path(rid)
    target = {**res.create_example, tfield: f"Idem final {secrets.token_hex(3)}"}
    problems: list[Evidence] = []
    seen: list[Evidence] = [ctx.evidence(cex, "created")]
    method = "PUT"
    r1, e1 = await ctx.exchange("PUT", path, user=a, json=target, purpose="idempotency")
    if r1 is None or r1.status_code in (404, 405):
        method = "PATCH"
        r1, e1 = await ctx.exchange("PATCH", path, user=a, json=target, purpose="idempotency")
    if r1 is not None and r1.is_success:
        r2, e2 = await ctx.exchange(method, path, user=a, json=target, purpose="idempotency")
        got, ge = await ctx.exchange("GET", path, user=a, purpose="idempotency")
        state = unwrap(json_body(got), res.name) or {}
        if r2 is None or not r2.is_success:
            problems.append(ctx.evidence(e2, f"second {method} answered {e2.status}"))
        elif state.get(tfield) != target[tfield]:
            problems.append(
                ctx.evidence(ge, f"after two {method}s the record reads {state.get(tfield)!r}")
            )
        else:
            seen.append(
                ctx.evidence(e2, f"{method} twice: {e1.status}, {e2.status}; state as sent")
            )
    else:
        seen.append(
            ctx.evidence(e1, f"no working PUT/PATCH ({e1.status}); update idempotency not observed")
        )
    d1, de1 = await ctx.exchange("DELETE", path, user=a, purpose="idempotency")
    d2, de2 = await ctx.exchange("DELETE", path, user=a, purpose="idempotency")
    if d1 is None or not d1.is_success:
        problems.append(ctx.evidence(de1, f"first DELETE answered {de1.status}"))
    elif d2 is None or d2.status_code >= 500:
        problems.append(ctx.evidence(de2, f"second DELETE crashed ({de2.status})"))
    elif d2.status_code not in (200, 202, 204, 404, 410):
        problems.append(ctx.evidence(de2, f"second DELETE answered {de2.status}"))
    else:
        seen.append(ctx.evidence(de2, f"DELETE twice: {de1.status}, {de2.status}"))
    resp, lex = await ctx.exchange(
        "GET", res.collection_path, user=a, params={"limit": 100}, purpose="idempotency"
    )
    rows = items_of(json_body(resp), res.name) or []
    dupes = [r for r in rows if isinstance(r, dict) and r.get(tfield) == target[tfield]]
    if dupes:
        problems.append(ctx.evidence(lex, f"{len(dupes)} copies of the record remain after DELETE"))
    if problems:
        return ctx.failed(f"{len(problems)} idempotency problems", *problems, *seen)
    return ctx.passed("repeated PUT/DELETE leave the same state with sane statuses", *seen)


# ---------------------------------------------------------------- timestamps, soft delete


_CREATED = ("created_at", "createdAt", "created", "created_on", "date_created", "inserted_at")
_UPDATED = ("updated_at", "updatedAt", "updated", "modified_at", "updated_on", "last_modified")


@probe(
    "live.timestamps",
    requirement="db.timestamps",
    title="records carry created and updated timestamps",
)
@requires_record
async def timestamps(ctx: ProbeContext) -> CheckResult:
    """Fails: neither the record user A created nor its table in the app's database carries a
    created and an updated timestamp.

    Passes: the response carries both, or the table has both columns (not all exposed)."""
    res = ctx.resource()
    seed = ctx.record_of_a()
    record = unwrap(seed["data"], res.name) or {}
    created = next((k for k in _CREATED if k in record), None)
    updated = next((k for k in _UPDATED if k in record), None)
    ev = ctx.evidence(seed["exchange"], "the create response")
    if created and updated:
        return ctx.passed(f"records carry {created} and {updated}", ev)
    row = find_record_row(ctx.app, seed["id"], res.name)
    if row is not None:
        cols = table_columns(ctx.app, row[0])
        c = next((k for k in cols if k in _CREATED), None)
        u = next((k for k in cols if k in _UPDATED), None)
        note = ctx.note(f"table {row[0]} columns", columns=cols)
        if c and u:
            return ctx.passed(
                f"the {row[0]} table has {c} and {u} (not all exposed in responses)", ev, note
            )
        return ctx.failed(
            f"no created/updated timestamp pair in the response or the {row[0]} table", ev, note
        )
    return ctx.failed(
        f"the record has {'no updated' if created else 'no created'} timestamp and its table "
        "is not readable",
        ev,
    )


@probe(
    "live.soft-delete",
    requirement="db.soft-delete",
    title="deleted records are flagged, hidden from reads, not removed",
)
@requires_resource
async def soft_delete(ctx: ProbeContext) -> CheckResult:
    """Fails: after DELETE the record is still served, or its row is gone from the database
    (hard delete), or the row stays without a deletion flag.

    Passes: the row stays, flagged (deleted_at, is_deleted, ...), and reads no longer serve
    it. Needs a readable database; otherwise not checkable."""
    res = ctx.resource()
    a = ctx.session.a_if_signed_in
    rid, _, _ = await ctx.create(
        a, ctx.titled(f"Soft {secrets.token_hex(3)}"), purpose="soft-delete"
    )
    path = ctx.item_path(rid)
    d, dex = await ctx.exchange("DELETE", path, user=a, purpose="soft-delete")
    declared = any(op.method == "DELETE" for op in ctx.api.operations)
    unserved = d is not None and (
        d.status_code == 405 or (d.status_code == 404 and bool(ctx.api.operations))
    )
    if unserved and not declared and "DELETE" not in res.item_methods:
        raise ProbeSkip(
            f"the app deletes no {res.name}: DELETE {path} answered {dex.status} and none of its "
            "routes deletes, so there is no deletion to be soft",
            ctx.evidence(dex, "delete"),
        )
    if d is None or not d.is_success:
        raise ProbeBlind(
            f"DELETE {path} of user A's own record answered {dex.status}: no deletion could be "
            "observed",
            ctx.evidence(dex, "delete"),
        )
    g, gex = await ctx.exchange("GET", path, user=a, purpose="soft-delete")
    if not gone(g, res.name, res.id_field):
        return ctx.failed(
            "the deleted record is still served", ctx.evidence(gex, "read after delete")
        )
    row = find_record_row(ctx.app, rid, res.name)
    if row is None:
        files = [str(p) for p in ctx.app.db_files()]
        if not files:
            raise ProbeBlind(
                "the deleted record is hidden, but the app's storage is not readable",
                ctx.evidence(gex, "read after delete"),
            )
        return ctx.failed(
            "hard delete: the row is gone from the database",
            ctx.evidence(dex, "delete"),
            ctx.note("database files", files=files),
        )
    table, columns, values = row
    flags = {
        k: v
        for k, v in zip(columns, values, strict=False)
        if re.search(r"delet|archiv|removed|active", k, re.I)
    }
    if any(
        v not in (None, 0, "", "0", False) for k, v in flags.items() if "active" not in k
    ) or any(v in (0, False) for k, v in flags.items() if "active" in k):
        return ctx.passed(
            f"the row stays in {table}, flagged {flags}, and is hidden from reads",
            ctx.evidence(gex, "read after delete"),
        )
    return ctx.failed(
        f"the row stays in {table} without a deletion flag ({flags or 'no flag column'})",
        ctx.evidence(gex, "read after delete"),
    )


# ---------------------------------------------------------------- uploads


@probe(
    "live.upload",
    requirement="validation.upload",
    title="oversize and wrong-type uploads are refused with 4xx",
)
async def upload(ctx: ProbeContext) -> CheckResult:
    """Fails: an oversize or wrong-type file is accepted (2xx) or crashes the upload route.

    Passes: every such upload is refused with 4xx on a route that accepted a small file of an
    ordinary type (the control: PNG, JPEG, PDF or text, the first it takes). Not applicable without
    an upload route; not checkable when no route took the control."""
    ops = [op for op in ctx.api.upload_routes if op.method in ("POST", "PUT")]
    if not ops:
        raise ProbeSkip(
            "the app has no upload route",
            ctx.note("routes", routes=[op.key for op in ctx.api.operations][:40]),
        )
    a = ctx.session.a_if_signed_in
    size_mb = float(ctx.options.get("oversize_mb", 11))
    bad: list[Evidence] = []
    ok: list[Evidence] = []
    unserved: list[Evidence] = []
    for op in [op for op in ops if not op.path_params][:2]:
        field = "file"
        if op.body_schema and isinstance(op.body_schema.get("properties"), dict):
            field = next(iter(op.body_schema["properties"]), "file")
        control = await _upload_control(ctx, op, a, field)
        if isinstance(control, Evidence):
            unserved.append(control)
            continue
        kind, control_ev = control
        ok.append(control_ev)
        name, _, mime = _CONTROL_FILES[kind]
        stem = name.rsplit(".", 1)[1]
        cases = {
            "wrong type": ("probe.exe", b"MZ\x90\x00" + b"\x00" * 512, "application/x-msdownload"),
            "oversize": (
                f"probe-big.{stem}",
                _CONTROL_FILES[kind][1] + b"\x00" * int(size_mb * 1024 * 1024),
                mime,
            ),
        }
        for label, file in cases.items():
            resp, ex = await _multipart(ctx, op.method, op.path, a, field, file)
            if resp is not None and 400 <= resp.status_code < 500:
                ok.append(ctx.evidence(ex, f"{label} upload refused: {resp.status_code}"))
            else:
                bad.append(ctx.evidence(ex, f"{label} upload: {ex.status}"))
    if bad:
        return ctx.failed(f"{len(bad)} bad uploads were accepted or crashed", *bad, *ok[:2])
    if not ok:
        raise ProbeBlind(
            "no upload route took a small ordinary file (or none is reachable without path "
            "parameters): refusals of bad uploads there would show nothing",
            *unserved[:4],
        )
    return ctx.passed("oversize and wrong-type uploads are refused", *ok)


# Small files of ordinary types: the first one a route takes is the control of its upload probe.
_CONTROL_FILES: dict[str, tuple[str, bytes, str]] = {
    "png": ("probe.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    "jpeg": ("probe.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9", "image/jpeg"),
    "pdf": ("probe.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    "text": ("probe.txt", b"probe upload\n", "text/plain"),
}


async def _upload_control(
    ctx: ProbeContext, op: Operation, user: Any, field: str
) -> tuple[str, Evidence] | Evidence:
    """(file kind, evidence) of the first small ordinary file the route takes, else the evidence
    of the last refusal."""
    last: Evidence | None = None
    for kind, file in _CONTROL_FILES.items():
        resp, ex = await _multipart(ctx, op.method, op.path, user, field, file)
        if resp is not None and resp.is_success:
            return kind, ctx.evidence(ex, f"control: a small {kind} file is taken ({ex.status})")
        last = ctx.evidence(ex, f"control: a small {kind} file: {ex.status or ex.error}")
    assert last is not None
    return last


async def _multipart(
    ctx: ProbeContext, method: str, path: str, user: Any, name: str, file: tuple[str, bytes, str]
) -> tuple[Any, Any]:
    import httpx

    request = httpx.Request(method, "http://x/", files={name: file})
    body = request.read()
    return await ctx.exchange(
        method,
        path,
        user=user,
        content=body,
        headers={"Content-Type": request.headers["content-type"]},
        purpose="upload",
        timeout=30,
    )
