"""Building the API model: task contract, else the app's OpenAPI, else its static routes; matched
to what the app serves and confirmed live."""

from __future__ import annotations

import asyncio
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import yaml

from harness.apimodel._graphql import discover_graphql
from harness.apimodel._http import cookie_header, curl_line, open_client, run_sync
from harness.apimodel._json import record_id
from harness.apimodel._learn import (
    Account,
    Send,
    SendOptions,
    confirm_send_mode,
    create_record,
    credentials,
    login,
    register,
)
from harness.apimodel._match import (
    AUTH_WORDS,
    Candidate,
    canonical,
    is_param,
    match_all,
    path_params,
    plain,
    prefix_of,
    split,
    strip_prefix,
    to_braces,
)
from harness.apimodel._model import ApiModel, AuthFlow, Endpoint, Operation, Resource, RouteMatch
from harness.apimodel._openapi import (
    NAMED_VALUES,
    fetch_app_document,
    is_openapi,
    load_document,
    operations,
    required_fields,
)
from harness.app._model import AppProfile
from harness.app._realtime import socket_packages
from harness.scorecard import Exchange

if TYPE_CHECKING:
    from typing_extensions import Unpack

DEFAULT_PREFIXES = ("", "/api/v1", "/api", "/v1", "/api/v2")
DEFAULT_CREATE = {"title": "Probe todo", "description": "created by the harness probe"}
_RESOURCE_NAMES = ("todo", "task", "item", "note", "post", "entry", "project")
_INFRA = {"docs", "redoc", "openapi.json", "swagger.json", "metrics", "static", "favicon.ico"}
_LOGIN_WORD_RANK = {"login": 0, "signin": 1, "sign-in": 1, "token": 2, "authenticate": 3}


def build_api_model(
    profile: AppProfile, *, task_dir: Path | None = None, app: Any | None = None
) -> ApiModel:
    """The API model of ``profile``'s app. With ``app`` (a RunningApp) the app's own OpenAPI
    document is fetched and the sign-in flow and main resource are confirmed live."""
    return run_sync(abuild_api_model(profile, task_dir=task_dir, app=app))


async def abuild_api_model(
    profile: AppProfile, *, task_dir: Path | None = None, app: Any | None = None
) -> ApiModel:
    notes: list[str] = []
    static_ops = ops_from_routes(profile)
    contract_doc, auth_spec = load_task(task_dir, notes)
    client = open_client(app) if app is not None else None
    try:
        doc_path, app_doc = None, None
        if client is not None:
            doc_path, app_doc, fetch_notes = await fetch_app_document(client, app.base_url)
            notes += fetch_notes
        app_ops = operations(app_doc, "openapi") if app_doc else []
        served = merge_ops(app_ops, static_ops)
        if contract_doc is not None:
            source = "task"
            ops, matches = apply_contract(
                operations(contract_doc, "task", apply_servers=False), served
            )
        else:
            source = "openapi" if app_ops else "static-routes"
            ops, matches = served, []
        api = ApiModel(
            source=source,
            operations=ops,
            matches=matches,
            openapi_url=doc_path,
            openapi_paths=sorted({op.path for op in app_ops}),
            realtime=list(profile.realtime),
            socket_packages=socket_packages(
                [*profile.declared_dependencies, *profile.inferred_dependencies]
            ),
            notes=notes,
        )
        for m in matches:
            notes.append(f"contract {m.wanted} -> {m.found or 'not found'} ({m.how})")
        derive_auth(api, auth_spec)
        derive_resources(api)
        api.health_path = _find_one(api, "GET", ("health",))
        send = None
        if client is not None:
            prefixes = [str(p) for p in (auth_spec.get("path_prefixes") or DEFAULT_PREFIXES)]
            transcript: list[tuple[Exchange, str]] = []
            send = _sender(client, app.base_url, app.curl_prefix, transcript)
            await confirm_live(api, send, prefixes, transcript)
        spare = api._accounts[0] if api._accounts else None  # kept for the probe session
        api.graphql = await discover_graphql(profile, send, credentials(api, spare)[0])
        if api.graphql is not None:
            api.notes += api.graphql.notes
            _drop_graphql_resources(api)
        if not api.operations:
            notes.append("no routes found statically, in an OpenAPI document, or live")
        return api
    finally:
        if client is not None:
            await client.aclose()


def _drop_graphql_resources(api: ApiModel) -> None:
    """The GraphQL endpoint is no REST collection: the GraphQL probes exercise it."""
    endpoint = api.graphql.endpoint if api.graphql else None
    if endpoint is None:
        return
    kept = [r for r in api.resources if r.collection_path.rstrip("/") != endpoint.rstrip("/")]
    if len(kept) != len(api.resources):
        api.notes.append(f"{endpoint} is the GraphQL endpoint, not a REST collection")
        api.resources = kept


def load_task(task_dir: Path | None, notes: list[str]) -> tuple[dict[str, Any] | None, dict]:
    """The task contract (openapi.yaml/json) and its auth summary (auth.yaml), when given."""
    if task_dir is None:
        return None, {}
    doc = None
    for name in ("openapi.yaml", "openapi.yml", "openapi.json"):
        path = Path(task_dir) / name
        if path.is_file():
            candidate = load_document(path)
            if is_openapi(candidate):
                doc = candidate
                notes.append(f"task contract: {path}")
                break
    auth: dict[str, Any] = {}
    path = Path(task_dir) / "auth.yaml"
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        auth = loaded if isinstance(loaded, dict) else {}
    if doc is None:
        notes.append(f"task dir {task_dir} has no OpenAPI contract; using the app's own routes")
    return doc, auth


def ops_from_routes(profile: AppProfile) -> list[Operation]:
    out: list[Operation] = []
    # Django serves its URLconf paths with their trailing slash only (APPEND_SLASH answers
    # the bare path with a redirect, which no POST follows): the slash is kept for it
    keep_slash = profile.framework == "django"
    for route in profile.routes:
        path = to_braces(route.path or "/")
        if keep_slash and path != "/" and (route.path or "").endswith("/"):
            path += "/"
        methods = ["GET"] if route.method.upper() in ("ANY", "*", "ALL") else [route.method.upper()]
        for method in methods:
            segs = [s.lower() for s in split(path)]
            fields = list(route.body_fields) if method not in ("GET", "DELETE", "HEAD") else []
            kind = route.body_kind if fields else None
            out.append(
                Operation(
                    method=method,
                    path=path,
                    path_params=path_params(path),
                    query_params=list(route.query_params),
                    body_schema=fields_schema(fields) if fields else None,
                    body_example={f: field_value(f) for f in fields} if fields else None,
                    body_kind="form" if kind == "form" else "json",
                    admin="admin" in segs,
                    upload=kind == "multipart"
                    or any(s in ("upload", "uploads", "avatar", "attachments") for s in segs),
                    origin="static-routes",
                )
            )
    return out


_NUMERIC = ("price", "amount", "quantity", "qty", "count", "age", "rating", "stock", "year")


def field_value(name: str) -> Any:
    """A plausible value for a body field known only by its name (read from the handler)."""
    low = name.lower()
    if low in NAMED_VALUES:
        return NAMED_VALUES[low]
    if any(w in low for w in _NUMERIC) or low.endswith(("_id", "Id")):
        return 1
    if low.startswith(("is_", "has_")) or low in ("active", "enabled", "public", "private"):
        return False
    return _formatted_value(low)


def _formatted_value(low: str) -> str:
    """Fields whose name implies a format validators check (an email column of a contact)."""
    if "email" in low:
        return "probe@example.com"
    if "phone" in low or low in ("mobile", "tel"):
        return "+15555550100"
    if low in ("url", "website", "homepage", "link") or low.endswith("_url"):
        return "https://example.com/probe"
    return "probe"


def fields_schema(fields: list[str]) -> dict[str, Any]:
    """A loose schema for fields read by a handler: all of them, types unknown."""
    return {"type": "object", "properties": {f: {} for f in fields}, "required": list(fields)}


def merge_ops(primary: list[Operation], secondary: list[Operation]) -> list[Operation]:
    """Operations of ``primary`` plus those of ``secondary`` it lacks (same method and path)."""
    seen = {(op.method, plain(op.path)) for op in primary}
    out = list(primary)
    for op in secondary:
        if (op.method, plain(op.path)) not in seen:
            seen.add((op.method, plain(op.path)))
            out.append(op)
    return out


def apply_contract(
    contract: list[Operation], served: list[Operation]
) -> tuple[list[Operation], list[RouteMatch]]:
    """Contract operations placed on the app's paths, plus the app's other operations."""
    cands = [Candidate(op.method, op.path) for op in served]
    wanted = [(op.method, op.path) for op in contract]
    found = match_all(wanted, cands)
    ops: list[Operation] = []
    matches: list[RouteMatch] = []
    used: set[tuple[str, str]] = set()
    for op in contract:
        m = found[(op.method, op.path)]
        placed = op.model_copy(deep=True)
        placed.contract_path = op.path
        if m is not None:
            placed.path = to_braces(m.candidate.path)
            placed.path_params = path_params(placed.path)
            used.add((m.candidate.method, m.candidate.path))
            src = next(
                s for s in served if (s.method, s.path) == (m.candidate.method, m.candidate.path)
            )
            if src.auth_required is not None:
                placed.auth_required = src.auth_required
            if src.body_kind == "form":
                placed.body_kind = "form"
            placed.admin = placed.admin or src.admin
        matches.append(
            RouteMatch(
                wanted=f"{op.method} {op.path}",
                found=f"{m.candidate.method} {placed.path}" if m else None,
                how=m.how if m else "unmatched",
                score=round(m.score, 3) if m else 0.0,
            )
        )
        ops.append(placed)
    ops += [s for s in served if (s.method, s.path) not in used]
    return ops, matches


def _find_one(api: ApiModel, method: str, tail: tuple[str, ...]) -> str | None:
    """The path of the best operation whose canonical form is ``tail``."""
    hits = [op for op in api.operations if op.method == method and canonical(op.path) == tail]
    if not hits:
        return None

    def rank(op: Operation) -> tuple[int, int, int]:
        last = split(op.path)[-1].lower() if split(op.path) else ""
        return (0 if op.contract_path else 1, _LOGIN_WORD_RANK.get(last, 5), len(op.path))

    return sorted(hits, key=rank)[0].path


def _endpoint(
    api: ApiModel, method: str, path: str | None, spec: dict[str, Any]
) -> Endpoint | None:
    if path is None:
        return None
    op = api.find(method, path)
    fields = required_fields(op.body_schema) if op and op.body_schema else []
    if not fields and isinstance(spec.get("body"), dict):
        fields = list(spec["body"])
    success = [int(s) for s in spec.get("success_status") or []] or (
        op.success_status if op else []
    )
    return Endpoint(
        method=method,
        path=path,
        fields=fields,
        body_kind=op.body_kind if op else "json",
        success_status=success,
    )


# sign-up routes named otherwise: /users/new, /auth/new, /accounts/create, /create_user...
_SIGNUP_TAILS: tuple[tuple[str, ...], ...] = (
    ("user", "new"),
    ("account", "new"),
    ("auth", "new"),
    ("user", "create"),
    ("account", "create"),
    ("auth", "create"),
    ("create-user",),
    ("new-user",),
    ("new-account",),
)


def _signup_path(api: ApiModel) -> str | None:
    found = _find_one(api, "POST", ("register",))
    for tail in _SIGNUP_TAILS:
        found = found or _find_one(api, "POST", tail)
    if found is None and _find_one(api, "POST", ("login",)):
        # POST /users or /accounts next to a login: creating one is signing up
        found = _find_one(api, "POST", ("user",)) or _find_one(api, "POST", ("account",))
    return found


def derive_auth(api: ApiModel, spec: dict[str, Any]) -> None:
    auth = AuthFlow()
    register_path = _signup_path(api)
    auth.registration = _endpoint(api, "POST", register_path, spec.get("register") or {})
    auth.login = _endpoint(api, "POST", _find_one(api, "POST", ("login",)), spec.get("login") or {})
    auth.refresh = _endpoint(
        api, "POST", _find_one(api, "POST", ("refresh",)), spec.get("refresh") or {}
    )
    auth.me_path = _find_one(api, "GET", ("me",))
    token = spec.get("token") or {}
    auth.token_paths = [str(p) for p in token.get("json_paths") or []]
    send = token.get("send") or {}
    if send.get("header"):
        auth.header_name = str(send["header"])
        auth.scheme = str(send.get("scheme", "Bearer"))
    refresh = spec.get("refresh") or {}
    if refresh.get("refresh_token_json_paths"):
        auth.refresh_token_paths = [str(p) for p in refresh["refresh_token_json_paths"]]
    samples = spec.get("sample_credentials") or {}
    auth.strong_password = samples.get("strong_password")
    if samples.get("weak_passwords"):
        auth.weak_passwords = [str(p) for p in samples["weak_passwords"]]
    if auth.login and auth.login.fields:
        auth.identity_field = next((f for f in auth.login.fields if "pass" not in f.lower()), None)
    if auth.login is None and auth.registration is None:
        auth.kind = "none"
    api.auth = auth
    for step, ep in (
        ("register", auth.registration),
        ("login", auth.login),
        ("refresh", auth.refresh),
    ):
        api.notes.append(f"auth {step}: {ep.method + ' ' + ep.path if ep else 'none found'}")


def derive_resources(api: ApiModel) -> None:
    groups: dict[str, dict[str, Any]] = {}
    for op in api.operations:
        segs = split(op.path)
        if not segs or op.admin:
            continue
        canon = canonical(op.path)
        if any(w in AUTH_WORDS or w == "health" for w in canon):
            continue
        if {s.lower() for s in segs} & _INFRA:
            continue
        item = is_param(segs[-1])
        # grouped without a trailing slash (Django's /projects/ and /projects/{pk}/ are one
        # resource); the collection keeps the path it is served at
        coll = "/" + "/".join(segs[:-1] if item else segs)
        if coll == "/" or (item and len(segs) < 2) or is_param(split(coll)[-1]):
            continue
        g = groups.setdefault(coll, {"col": {}, "item": {}, "item_path": None, "path": coll})
        if item:
            g["item"][op.method] = op
            g["item_path"] = g["item_path"] or op.path
        else:
            g["col"][op.method] = op
            g["path"] = op.path
    # POST /task next to GET /tasks (+ /tasks/{id}): one resource created at another path
    for coll, g in list(groups.items()):
        if "POST" in g["col"]:
            continue
        twin = next(
            (
                c
                for c, o in groups.items()
                if c != coll
                and canonical(c) == canonical(coll)
                and "POST" in o["col"]
                and not o["item"]
            ),
            None,
        )
        if twin is not None:
            other = groups.pop(twin)
            g["col"]["POST"] = other["col"]["POST"]
            g["post_path"] = other["path"]
    resources: list[tuple[float, Resource]] = []
    for coll, g in groups.items():
        name = split(coll)[-1]
        crud = sum(
            [
                "GET" in g["col"],
                "POST" in g["col"],
                "GET" in g["item"],
                bool({"PUT", "PATCH"} & set(g["item"])),
                "DELETE" in g["item"],
            ]
        )
        if crud < 2:
            continue  # an action (POST /calculator) or a lone read is no record collection
        ops = [*g["col"].values(), *g["item"].values()]
        rank = float(crud)
        rank += 2 if any(op.contract_path for op in ops) else 0
        rank += 1 if canonical(coll)[-1:] and canonical(coll)[-1] in _RESOURCE_NAMES else 0
        rank -= 3 if canonical(coll)[-1:] == ("user",) else 0
        rank -= 0.1 * len(split(coll))
        create = g["col"].get("POST")
        listing = g["col"].get("GET")
        body = None
        if create is not None and isinstance(create.body_example, dict) and create.body_example:
            body = dict(create.body_example)
        item_path = g["item_path"]
        resources.append(
            (
                rank,
                Resource(
                    name=name,
                    collection_path=g["path"],
                    post_path=g.get("post_path"),
                    item_path=item_path,
                    id_param=path_params(item_path)[-1] if item_path else None,
                    collection_methods=sorted(g["col"]),
                    item_methods=sorted(g["item"]),
                    create_example=body or dict(DEFAULT_CREATE),
                    create_schema=create.body_schema if create else None,
                    list_params=list(listing.query_params) if listing else [],
                    auth_required=next(
                        (op.auth_required for op in ops if op.auth_required is not None), None
                    ),
                ),
            )
        )
    resources.sort(key=lambda t: -t[0])
    api.resources = [r for _, r in resources]


# ---------------------------------------------------------------- live confirmation


def _sender(
    client: httpx.AsyncClient,
    base_url: str,
    prefix: str = "curl",
    transcript: list[tuple[Exchange, str]] | None = None,
) -> Send:
    """A ``Send`` over ``client``; every exchange is kept in ``transcript`` when given."""
    base = base_url.rstrip("/")

    async def send(method: str, path: str, **options: Unpack[SendOptions]) -> httpx.Response | None:
        sent = {**(options.get("headers") or {}), **cookie_header(options.get("cookies"))}
        json, data = options.get("json"), options.get("data")
        resp: httpx.Response | None = None
        error = None
        t0 = time.perf_counter()
        try:
            resp = await client.request(method, base + path, json=json, data=data, headers=sent)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        if transcript is not None:
            body = resp.request.content if resp is not None else None
            ex = Exchange(
                method=method,
                url=base + path,
                curl=curl_line(prefix, method, base + path, sent, body or None),
                request_headers=sent,
                request_body=body.decode("utf-8", "replace")[:2048] if body else None,
                status=resp.status_code if resp is not None else None,
                response_headers={k.lower(): v for k, v in resp.headers.items()} if resp else {},
                body_excerpt=resp.text[:2048] if resp is not None else "",
                elapsed_ms=round((time.perf_counter() - t0) * 1000, 2),
                error=error,
            )
            transcript.append((ex, resp.text[:262144] if resp is not None else ""))
        return resp

    return send


async def _exists(send: Send, method: str, path: str) -> int | None:
    """Status of a cheap request; 404 (and no answer) mean the route is not there."""
    resp = await send(method, path, json={} if method == "POST" else None)
    return None if resp is None else resp.status_code


def _alternatives(path: str, prefixes: list[str]) -> list[str]:
    bare = "/" + "/".join(strip_prefix(split(path)))
    out = []
    for prefix in prefixes:
        cand = (prefix.rstrip("/") + bare) if bare != "/" else (prefix or "/")
        if cand not in out and cand != path:
            out.append(cand)
    return out


_LOGIN_GUESSES = ("/login", "/auth/login", "/token", "/signin", "/auth/token", "/users/login")
_REGISTER_GUESSES = (
    "/register",
    "/auth/register",
    "/signup",
    "/users/register",
    "/auth/signup",
    "/users/signup",
    "/auth/new",
)
_REFRESH_GUESSES = ("/refresh", "/auth/refresh", "/token/refresh", "/auth/token/refresh")
_RESOURCE_GUESSES = ("/todos", "/tasks", "/items", "/notes")


async def _relocate(
    api: ApiModel, send: Send, method: str, path: str, prefixes: list[str], guesses: tuple[str, ...]
) -> str | None:
    """Where ``method path`` really answers: itself, under another prefix, or a guess."""
    # an app that answers every path alike (a catch-all handler, a stub server) serves none of
    # the guesses: a status equal to that of a path nobody serves proves nothing
    nothing = await _exists(send, method, f"/harness-no-such-route-{secrets.token_hex(3)}")
    catch_all = nothing not in (None, 404, 405)

    def served(st: int | None, *, missing: tuple[int, ...]) -> bool:
        if st is None or st in missing or st == 501:
            return False
        return not (catch_all and st == nothing)

    status = await _exists(send, method, path)
    if api.find(method, path) is not None:  # a route read from the source
        there = status is not None and status != 404
    else:
        there = served(status, missing=(404,))
    if there:
        return path
    cands = _alternatives(path, prefixes)
    for guess in guesses:
        cands += [c for c in [p.rstrip("/") + guess for p in prefixes] if c not in cands]
    statuses = await asyncio.gather(*(_exists(send, method, c) for c in cands[:30]))
    for cand, st in zip(cands, statuses, strict=False):
        if served(st, missing=(404, 405)):
            api.matches.append(
                RouteMatch(
                    wanted=f"{method} {path}",
                    found=f"{method} {cand}",
                    how="live",
                    score=0.6,
                    confirmed=True,
                )
            )
            api.notes.append(f"{method} {path} is not served; {method} {cand} answers {st}")
            return cand
    return None


def _move(api: ApiModel, method: str, old: str, new: str) -> None:
    for op in api.operations:
        if op.method == method and op.path == old:
            op.path, op.path_params, op.confirmed = new, path_params(new), True
    if new != old:
        old_prefix, new_prefix = prefix_of(old), prefix_of(new)
        for op in api.operations:  # siblings from the same source likely moved the same way
            if (
                not op.confirmed
                and op.path.startswith(old_prefix + "/")
                and old_prefix != new_prefix
            ):
                bare = op.path[len(old_prefix) :]
                if prefix_of(bare) == "":
                    op.path = new_prefix + bare
                    op.path_params = path_params(op.path)


async def confirm_live(
    api: ApiModel,
    send: Send,
    prefixes: list[str],
    transcript: list[tuple[Exchange, str]] | None = None,
) -> None:
    """Check the key routes answer, relocate the ones that do not, learn the sign-in flow and
    create one record of the main resource."""
    auth = api.auth
    for ep, guesses in ((auth.login, _LOGIN_GUESSES), (auth.registration, _REGISTER_GUESSES)):
        if ep is None:
            continue
        found = await _relocate(api, send, ep.method, ep.path, prefixes, guesses)
        if found is None:
            api.notes.append(f"{ep.method} {ep.path} does not answer live")
        elif found != ep.path:
            _move(api, ep.method, ep.path, found)
            ep.path = found
    if auth.login is None:
        found = await _relocate(api, send, "POST", "/login", prefixes, _LOGIN_GUESSES)
        if found:
            auth.login = Endpoint(path=found)
    if auth.registration is None:
        found = await _relocate(api, send, "POST", "/register", prefixes, _REGISTER_GUESSES)
        if found:
            auth.registration = Endpoint(path=found)
    if auth.login or auth.registration:
        auth.kind = "unknown" if auth.kind == "none" else auth.kind
    if auth.refresh is not None:
        found = await _relocate(api, send, "POST", auth.refresh.path, prefixes, _REFRESH_GUESSES)
        if found is None:
            api.notes.append(f"refresh endpoint {auth.refresh.path} does not answer live")
            auth.refresh = None
        else:
            auth.refresh.path = found
    elif not any(op.origin in ("static-routes", "openapi") for op in api.operations):
        # no route list to trust: a refresh endpoint may exist unseen
        found = await _relocate(api, send, "POST", "/refresh", prefixes, _REFRESH_GUESSES)
        if found:
            auth.refresh = Endpoint(path=found, fields=["refresh_token"])

    res = api.resource
    if res is not None:
        found = await _relocate(api, send, "GET", res.collection_path, prefixes, ())
        if found and found != res.collection_path:
            old = res.collection_path
            res.collection_path = found
            if res.item_path and res.item_path.startswith(old):
                res.item_path = found + res.item_path[len(old) :]
    else:
        found = await _relocate(api, send, "GET", "/todos", prefixes, _RESOURCE_GUESSES)
        if found:
            api.resources = [
                Resource(
                    name=split(found)[-1],
                    collection_path=found,
                    item_path=found + "/{id}",
                    id_param="id",
                    create_example=dict(DEFAULT_CREATE),
                )
            ]
            api.notes.append(f"main resource found live at {found}")
    if api.health_path:
        status = await _exists(send, "GET", api.health_path)
        if status is None or status == 404:
            api.notes.append(f"GET {api.health_path} does not answer")

    account = Account.fresh("model")
    if auth.strong_password:
        account.password = auth.strong_password + account.password[-6:]
    mark = len(transcript) if transcript is not None else 0
    await sign_in(api, send, account)
    if transcript is not None:
        account.transcript = transcript[mark:]
    if account.signed_in:
        api.keep_account(account)
    if account.signed_in and api.resource is not None:
        await confirm_resource(api, send, account)


async def sign_in(api: ApiModel, send: Send, account: Account) -> None:
    """Register and sign in ``account``, learning the flow into ``api.auth``; notes on failure."""
    auth = api.auth
    reg = await register(send, api, account)
    if auth.registration is not None:
        api.notes.append(
            f"register {auth.registration.path} fields {auth.registration.fields}: "
            f"{reg.status_code if reg is not None else 'no answer'}"
        )
    if auth.login is not None and (reg is None or reg.is_success or auth.registration is None):
        resp = await login(send, api, account)
        api.notes.append(
            f"login {auth.login.path} ({auth.login.body_kind}, fields {auth.login.fields}): "
            f"{resp.status_code if resp is not None else 'no answer'}"
            + (f", token at {auth.token_paths[0]}" if account.token and auth.token_paths else "")
        )
    if not account.signed_in:
        api.notes.append("could not sign in live; probes that need a user will report an error")
        return
    protected = api.resource.collection_path if api.resource else auth.me_path
    api.notes.append(await confirm_send_mode(send, api, account, protected))
    if account.user_id is None and isinstance(account.login_body, dict):
        account.user_id = record_id(account.login_body.get("user"), "user")


async def confirm_resource(api: ApiModel, send: Send, account: Account) -> None:
    res = api.resource
    assert res is not None
    resp, sent = await create_record(send, api, account)
    if resp is None or not resp.is_success:
        status = resp.status_code if resp is not None else "no answer"
        api.notes.append(f"creating a {res.name} record with {sent} failed: {status}")
        return
    try:
        body = resp.json()
    except ValueError:
        body = None
    rid = record_id(body, res.name.rstrip("s"))
    api.notes.append(f"created a {res.name} record ({resp.status_code}) with fields {sorted(sent)}")
    if rid is None:
        return
    item = res.item_path or res.collection_path.rstrip("/") + "/{id}"
    param = path_params(item)[-1] if path_params(item) else "id"
    headers, cookies = credentials(api, account)
    got = await send(
        "GET", item.replace("{" + param + "}", str(rid)), headers=headers, cookies=cookies
    )
    if got is not None and got.is_success:
        res.item_path, res.id_param, res.confirmed = item, param, True
    else:
        api.notes.append(
            f"GET {item} for the new record: {got.status_code if got else 'no answer'}"
        )
