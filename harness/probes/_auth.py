"""Authentication and authorization probes: forged tokens, cross-user access, admin routes, token
lifetime and refresh, weak passwords at registration, CSRF exposure of cookie sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from harness.apimodel import (
    AUTH_WORDS,
    Account,
    Endpoint,
    Operation,
    canonical,
    find_token,
    items_of,
    record_id,
    unwrap,
)
from harness.apimodel._json import JWT, json_body
from harness.apimodel._learn import value_for
from harness.probes._context import (
    IDENTITY_FIELDS,
    ProbeContext,
    ProbeError,
    Record,
    identity_value,
    probe,
    title_field,
)
from harness.probes._preconditions import requires_resource, requires_signed_in_user
from harness.probes._wrong_password import wrong_password_accepted
from harness.scorecard import CheckResult, Evidence

DEFAULT_MAX_LIFETIME_S = 24 * 3600


# ---------------------------------------------------------------- JWT handling (no verification)


def _b64d(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(header, payload) of a JWT, without verifying it; None when it is not one."""
    if not token or not JWT.match(token):
        return None
    try:
        head, body, _sig = token.split(".")
        return json.loads(_b64d(head)), json.loads(_b64d(body))
    except (ValueError, json.JSONDecodeError):
        return None


def forge_wrong_key(token: str) -> str | None:
    """The same header and payload, signed HS256 with a key the app cannot know."""
    parts = jwt_parts(token)
    if parts is None:
        return None
    _, payload = parts
    head = _b64e(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64e(json.dumps(payload).encode())
    key = b"harness-wrong-key-" + secrets.token_bytes(8)
    sig = _b64e(hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


def forge_alg_none(token: str) -> str | None:
    parts = jwt_parts(token)
    if parts is None:
        return None
    head = _b64e(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{head}.{_b64e(json.dumps(parts[1]).encode())}."


def sign_in_record(ctx: ProbeContext, account: Account) -> Record | None:
    """The recorded response that handed ``account`` its token or cookie."""
    needle = account.token[:24] if account.token else None
    for rec in ctx.session.records:
        if rec.purpose != "sign-in" or rec.status is None or rec.status >= 300:
            continue
        if needle and needle in rec.text:
            return rec
        if not needle and "set-cookie" in rec.exchange.response_headers:
            return rec
    return None


# ---------------------------------------------------------------- auth.required


@probe(
    "live.auth-required",
    requirement="auth.required",
    title="protected endpoints refuse missing, malformed and forged credentials with 401",
)
async def auth_required(ctx: ProbeContext) -> CheckResult:
    """Fails: a protected read (a record of user A, a /me route) is served, or crashes, with no
    credentials, a malformed token, a token signed with another key or alg none; or the login
    issues a token or session cookie for user A with a wrong password.

    Passes: every such request is refused with 401 (403 counted) while user A's own
    credentials are served on the same reads: the control. No protected read found: not
    checkable."""
    session = ctx.session
    auth = ctx.api.auth
    if not ctx.has_sign_in:
        return ctx.without_sign_in(
            "the app has no sign-in flow (no register or login route, statically or live): "
            "nothing is meant to be protected by credentials",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    a = ctx.user("a")
    # (path, query) pairs that user A may read: the main resource and reads keyed by identity
    candidates: list[tuple[str, dict[str, Any] | None]] = []
    res = ctx.api.resource
    if res is not None:
        candidates.append((res.collection_path, None))
        if session.todo_a:
            candidates.append((ctx.item_path(session.todo_a["id"]), None))
    for op, query, _ in identity_reads(ctx, a):
        candidates.append((op.path, query))
    if not candidates and auth.me_path:
        candidates.append((auth.me_path, None))
    targets: list[tuple[str, dict[str, Any] | None, int]] = []
    refused: list[Evidence] = []
    for path, query in candidates[:4]:
        control, cex = await ctx.exchange("GET", path, user=a, params=query, purpose="control")
        # a read keyed by the user may find nothing yet (404) once the credentials are accepted
        empty = query is not None and control is not None and control.status_code == 404
        if control is not None and (control.is_success or empty):
            targets.append((path, query, control.status_code))
        else:
            refused.append(ctx.evidence(cex, f"control with A's credentials: {cex.status}"))
    if not targets:
        if refused:
            raise ProbeError(
                "user A's own credentials are refused on every protected read tried; cannot "
                "tell a refusal of forged credentials from a broken route",
                *refused,
            )
        return ctx.nothing_to_probe(
            "no protected read was found (no record collection, no read keyed by the user, no "
            "/me route): nothing to present forged credentials to",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    header = auth.header_name
    scheme = f"{auth.scheme} " if auth.scheme else ""
    variants: list[tuple[str, dict[str, str], dict[str, str]]] = [
        ("no credentials", {}, {}),
        ("malformed token", {header: f"{scheme}not.a.valid-token"}, {}),
    ]
    if a.token:
        wrong, none = forge_wrong_key(a.token), forge_alg_none(a.token)
        if wrong:
            variants.append(("token re-signed with a wrong key", {header: scheme + wrong}, {}))
        if none:
            variants.append(("alg=none token", {header: scheme + none}, {}))
        if not wrong:
            tampered = a.token[:-4] + ("AAAA" if not a.token.endswith("AAAA") else "BBBB")
            variants.append(("tampered opaque token", {header: scheme + tampered}, {}))
    for name in a.cookies if auth.kind in ("cookie", "unknown") else []:
        variants.append((f"forged cookie {name}", {}, {name: "harness-forged-value"}))
    bad: list[Evidence] = []
    odd: list[str] = []
    seen: list[Evidence] = []
    for target, query, accepted in targets:
        for label, headers, cookies in variants:
            resp, ex = await ctx.exchange(
                "GET",
                target,
                headers=headers,
                cookies=cookies,
                params=query,
                purpose="unauthenticated",
            )
            if resp is None:
                bad.append(ctx.evidence(ex, f"{label}: no answer"))
            elif resp.is_success or resp.status_code >= 500 or resp.status_code == accepted:
                bad.append(ctx.evidence(ex, f"{label} on GET {target}: {resp.status_code}"))
            else:
                seen.append(ctx.evidence(ex, f"{label} on GET {target}: {resp.status_code}"))
                if resp.status_code != 401:
                    odd.append(f"{label}: {resp.status_code}")
    wrong = await wrong_password_accepted(ctx)
    if wrong:
        return ctx.failed(
            "the login issued credentials for user A with a wrong password", *wrong, *bad[:5]
        )
    if bad:
        return ctx.failed(
            f"{len(bad)} of {len(variants) * len(targets)} requests with missing or forged "
            "credentials were served or crashed",
            *bad[:6],
        )
    msg = f"all {len(seen)} requests with missing or forged credentials were refused"
    if odd:
        msg += f" (not with 401: {', '.join(sorted(set(odd)))})"
    return ctx.passed(msg, *seen[:6])


# ---------------------------------------------------------------- auth.authorization


@probe(
    "live.authorization",
    requirement="auth.authorization",
    title="user B cannot read, change or delete user A's records; non-admins get 403 on admin",
)
@requires_signed_in_user("a", "b")
async def authorization(ctx: ProbeContext) -> CheckResult:
    """A refusal of user B counts only where user A's own request of the same shape succeeded:
    an item route that answers 500 (or 401) to everyone refuses B for no reason of ownership."""
    a, b = ctx.user("a"), ctx.user("b")
    if ctx.api.resource is None:
        return await identity_authorization(ctx, a, b)
    res = ctx.resource()
    original = ctx.titled(f"Owned by A {secrets.token_hex(3)}")
    tfield = title_field(original)
    rid, _, cex = await ctx.create(a, original, purpose="authorization")
    path = ctx.item_path(rid)
    evidence: list[Evidence] = [ctx.evidence(cex, "user A creates a record")]
    controls: list[Evidence] = []

    # positive control 1: the owner reads the record back
    own, oex = await ctx.exchange("GET", path, user=a, purpose="owner-read")
    own_ok = _is_record(own, res, rid, tfield, original[tfield])
    item_routes = True
    if not own_ok:
        no_item_route = own is not None and own.status_code in (404, 405) and not res.item_methods
        if not no_item_route:
            return ctx.errored(
                f"user A's own read of the record just created answered {oex.status}"
                + ("" if own is None or not own.is_success else " without the record")
                + ": a refusal of user B on this route would show nothing about ownership",
                ctx.evidence(cex, "user A creates a record"),
                ctx.evidence(oex, f"user A reads it: {oex.status}"),
            )
        item_routes = False  # a list-only collection: the list is what B must not see
    else:
        controls.append(ctx.evidence(oex, f"user A reads its record: {oex.status}"))

    breaches: list[Evidence] = []
    refused: dict[str, Evidence] = {}
    hijack = {**original, tfield: "hijacked by B"}
    if item_routes:
        for method in ("GET", "PUT", "PATCH", "DELETE"):
            body = hijack if method in ("PUT", "PATCH") else None
            kwargs: dict[str, Any] = {"json": body} if body is not None else {}
            resp, ex = await ctx.exchange(method, path, user=b, purpose="cross-user", **kwargs)
            ev = ctx.evidence(ex, f"user B: {method} {path} -> {ex.status}")
            if resp is not None and resp.is_success:
                breaches.append(ev)
            else:
                refused[method] = ev
    resp, lex = await ctx.exchange("GET", res.collection_path, user=b, purpose="cross-user")
    listed = items_of(json_body(resp), res.name) if resp is not None else None
    if listed and any(record_id(item, None, res.id_field) == rid for item in listed):
        breaches.append(ctx.evidence(lex, "user B's list contains user A's record"))
    else:
        refused["list"] = ctx.evidence(lex, f"user B's list ({lex.status}) lacks A's record")

    if not item_routes:
        # positive control: the owner's list shows the record
        mine, mex = await ctx.exchange("GET", res.collection_path, user=a, purpose="owner-read")
        rows = items_of(json_body(mine), res.name) if mine is not None else None
        if not rows or not any(record_id(r, None, res.id_field) == rid for r in rows):
            return ctx.errored(
                f"the collection has no item route and user A's own list ({mex.status}) does not "
                "show the record just created: B's empty list shows nothing about ownership",
                ctx.evidence(mex, "user A lists its records"),
            )
        controls.append(ctx.evidence(mex, "user A's list shows its record"))
    else:
        after, aex = await ctx.exchange("GET", path, user=a, purpose="owner-read")
        state = unwrap(json_body(after), res.name) if after is not None else None
        if after is None or after.status_code == 404:
            breaches.append(ctx.evidence(aex, "user A's record is gone after user B's requests"))
        elif state and state.get(tfield) not in (None, original[tfield]):
            breaches.append(
                ctx.evidence(aex, f"user A's record changed: {tfield}={state.get(tfield)!r}")
            )
        else:
            evidence.append(ctx.evidence(aex, "user A's record is unchanged"))

    admin_note = "no admin route found"
    for op in ctx.api.admin_routes[:4]:
        if op.path_params:
            continue
        resp, ex = await ctx.exchange(op.method, op.path, user=a, purpose="admin")
        if resp is not None and resp.is_success:
            breaches.append(ctx.evidence(ex, f"non-admin user A is served {op.key}"))
        else:
            evidence.append(ctx.evidence(ex, f"non-admin user A on {op.key}: {ex.status}"))
            admin_note = "admin routes refuse a non-admin user"
    if breaches:
        return ctx.failed(
            f"{len(breaches)} cross-user or role breaches on {res.name}", *breaches, *evidence[:2]
        )
    if not item_routes:
        return ctx.passed(
            f"user B's list does not show user A's record, which user A's own list shows; "
            f"{res.name} has no item route; {admin_note}",
            *controls,
            refused["list"],
            *evidence[:4],
        )

    # positive controls 2 and 3: the owner updates, then deletes, its own record
    unserved: list[str] = []
    update, problem = await _owner_update(ctx, a, path, original, tfield, res, own)
    if problem:
        return ctx.errored(problem, *update)
    if update and update[0].exchange and (update[0].exchange.status or 0) in _BODY_REFUSED:
        # every update body was refused from the owner too: B's refused update shows nothing,
        # so no pass is claimed over it
        return ctx.not_checkable(
            "user A's own update of its record was refused with every body tried "
            f"({update[0].message}): whether user B can change A's record is unseen; user B "
            "was refused the read" + ("" if "DELETE" not in refused else " and the delete"),
            *update,
            *controls[:2],
            *[refused[m] for m in ("GET", "DELETE") if m in refused],
        )
    if update:
        controls += update
    else:
        unserved.append("update")
    delete, problem = await _owner_delete(ctx, a, path, res)
    if problem:
        return ctx.errored(problem, *delete)
    if delete:
        controls += delete
    else:
        unserved.append("delete")
    msg = "user B got no access to user A's record (read"
    msg += "" if "update" in unserved else ", update"
    msg += "" if "delete" in unserved else ", delete"
    msg += ", list), where user A's own requests succeeded"
    if unserved:
        msg += f"; the app serves no {' or '.join(unserved)} of a record to its owner either"
    shown = [refused[m] for m in ("GET", "PUT", "DELETE", "list") if m in refused]
    return ctx.passed(f"{msg}; {admin_note}", *controls[:4], *shown, *evidence[:2])


def _is_record(resp: Any, res: Any, rid: Any, tfield: str, title: Any) -> bool:
    """Whether ``resp`` is a 2xx that carries the record (its id or its name)."""
    if resp is None or not resp.is_success:
        return False
    body = json_body(resp)
    state = unwrap(body, res.name)
    if state is None and isinstance(body, dict):
        state = body
    if isinstance(state, dict):
        if record_id(state, None, res.id_field) == rid or str(rid) == str(
            record_id(state, None, res.id_field)
        ):
            return True
        if state.get(tfield) == title:
            return True
    return isinstance(title, str) and title in resp.text


def _shows(resp: Any, value: str) -> bool:
    """A 2xx whose body carries ``value`` (an update taken: the new name comes back)."""
    return resp is not None and resp.is_success and value in resp.text


_BODY_REFUSED = (400, 422)  # the owner's update body refused: the probe's shape, not ownership


def _unserved(status: int, method: str, res: Any) -> bool:
    """The app serves no such method on the item: 405/501, or 404 where the sources name no
    such route (the record was just read, so a 404 is the route's absence)."""
    return status in (405, 501) or (status == 404 and method not in res.item_methods)


async def _owner_update(
    ctx: ProbeContext,
    a: Account,
    path: str,
    original: dict[str, Any],
    tfield: str,
    res: Any,
    read: Any,
) -> tuple[list[Evidence], str]:
    """User A changes its own record: (evidence, problem). No evidence and no problem: the app
    serves no update of a record (404/405 to PUT and PATCH alike); one 400/422 exchange and no
    problem: the app refused the probe's update body from the owner too."""
    new_title = f"Renamed by A {secrets.token_hex(3)}"
    methods = [m for m in ("PUT", "PATCH") if m in res.item_methods] or ["PUT", "PATCH"]
    # PUT replaces the record: the create body, then the record as read back (an app may want
    # every stored field); PATCH changes the one field
    state = unwrap(json_body(read), res.name) if read is not None else None
    stored = {
        k: v
        for k, v in (state or {}).items()
        if k != res.id_field
        and k not in ("id", "_id")
        and not k.endswith(("_at", "At"))
        and k.lower() not in IDENTITY_FIELDS
        and k.lower() not in ("owner_id", "ownerid")
    }
    attempts = [
        (m, {**original, tfield: new_title} if m == "PUT" else {tfield: new_title}) for m in methods
    ]
    if "PUT" in methods and stored and set(stored) != set(original):
        attempts.append(("PUT", {**stored, tfield: new_title}))
    refused_body: Evidence | None = None
    for method, body in attempts:
        resp, ex = await ctx.exchange(method, path, user=a, json=body, purpose="owner-update")
        ev = ctx.evidence(ex, f"user A: {method} {path} -> {ex.status}")
        if resp is not None and _unserved(resp.status_code, method, res):
            continue
        if resp is not None and resp.status_code in _BODY_REFUSED:
            refused_body = refused_body or ev
            continue
        if resp is None or not resp.is_success:
            return [ev], (
                f"user A's own {method} of its record answered {ex.status}: a refusal of user B "
                "on this route would show nothing about ownership"
            )
        got, gex = await ctx.exchange("GET", path, user=a, purpose="owner-read")
        if _shows(resp, new_title) or _shows(got, new_title):
            return [ev], ""
        return [ev, ctx.evidence(gex, "user A reads it back")], (
            f"user A's own {method} answered {ex.status} but the record did not change: a "
            "refused update by user B would show nothing"
        )
    return ([refused_body] if refused_body else []), ""


async def _owner_delete(
    ctx: ProbeContext, a: Account, path: str, res: Any
) -> tuple[list[Evidence], str]:
    """User A deletes its own record: (evidence, problem); no evidence and no problem when the
    app serves no delete."""
    resp, ex = await ctx.exchange("DELETE", path, user=a, purpose="owner-delete")
    ev = ctx.evidence(ex, f"user A: DELETE {path} -> {ex.status}")
    if resp is not None and _unserved(resp.status_code, "DELETE", res):
        return [], ""
    if resp is None or not resp.is_success:
        return [ev], (
            f"user A's own DELETE of its record answered {ex.status}: a refusal of user B on "
            "this route would show nothing about ownership"
        )
    return [ev], ""


# ---------------------------------------------------------------- identity-keyed operations


def _auth_op(op: Operation) -> bool:
    canon = canonical(op.path)
    return any(w in AUTH_WORDS or w == "health" for w in canon) or op.admin


def identity_fields(names: list[str]) -> list[str]:
    return [n for n in names if n.lower().replace("-", "_") in IDENTITY_FIELDS]


def identity_reads(
    ctx: ProbeContext, who: Account
) -> list[tuple[Operation, dict[str, Any], list[str]]]:
    """GET routes that name the user in a query parameter (``/get_secret?username=``), with
    the query that asks for ``who``'s data: (operation, query, identity parameters)."""
    out = []
    for op in ctx.api.operations:
        if op.method != "GET" or op.path_params or _auth_op(op):
            continue
        ids = identity_fields(op.query_params)
        if not ids:
            continue
        query = {q: identity_value(q, who) or "probe" for q in op.query_params}
        out.append((op, query, ids))
    return out


def identity_writes(ctx: ProbeContext) -> list[Operation]:
    """POST/PUT routes whose body names the user (``/set_secret {"username", "secret"}``)."""
    return [
        op
        for op in ctx.api.operations
        if op.method in ("POST", "PUT", "PATCH")
        and not op.path_params
        and not _auth_op(op)
        and isinstance(op.body_example, dict)
        and identity_fields(list(op.body_example))
    ]


def _identity_body(op: Operation, who: Account, marker: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name, value in (op.body_example or {}).items():
        ident = identity_value(name, who)
        if ident is not None:
            body[name] = ident
        elif isinstance(value, str):
            body[name] = marker
        else:
            body[name] = value
    return body


async def identity_authorization(ctx: ProbeContext, a: Account, b: Account) -> CheckResult:
    """No record collection: store data as A through routes that name the user, then ask for
    it (and overwrite it) as B naming A."""
    writes, reads = identity_writes(ctx), identity_reads(ctx, a)
    if not writes and not reads:
        return ctx.nothing_to_probe(
            "no record collection and no route that names the user in its query or body: "
            "there is no per-user data to reach across users",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    mark_a = f"harness-a-{secrets.token_hex(4)}"
    evidence: list[Evidence] = []
    breaches: list[Evidence] = []
    for op in writes[:3]:
        kwargs = _body_kwargs(op, _identity_body(op, a, mark_a))
        resp, ex = await ctx.exchange(op.method, op.path, user=a, purpose="authorization", **kwargs)
        evidence.append(ctx.evidence(ex, f"user A stores data via {op.key}: {ex.status}"))
    controlled: list[str] = []  # reads where user A got its own data back

    async def own_read(op: Operation, query: dict[str, Any]) -> tuple[Any, Any]:
        # other probes run at the same time and may write user A's data through the same
        # route: store the mark again before concluding that A cannot read it back
        for attempt in range(3):
            own, oex = await ctx.exchange(
                "GET", op.path, user=a, params=query, purpose="owner-read"
            )
            if own is None or not own.is_success or not writes or mark_a in own.text:
                break
            if attempt < 2:
                for w in writes[:3]:
                    kwargs = _body_kwargs(w, _identity_body(w, a, mark_a))
                    await ctx.exchange(w.method, w.path, user=a, purpose="authorization", **kwargs)
        return own, oex

    for op, query, _ in reads[:3]:
        own, oex = await own_read(op, query)
        if own is None or not own.is_success or (writes and mark_a not in own.text):
            evidence.append(ctx.evidence(oex, f"user A reads {op.key}: {oex.status}"))
            continue  # B refused where A is refused too shows nothing about ownership
        controlled.append(op.key)
        evidence.insert(0, ctx.evidence(oex, f"user A reads its own data via {op.key}"))
        resp, ex = await ctx.exchange("GET", op.path, user=b, params=query, purpose="cross-user")
        if resp is not None and resp.is_success and mark_a in resp.text:
            breaches.append(ctx.evidence(ex, f"user B reads user A's data via {op.key}"))
        else:
            evidence.append(ctx.evidence(ex, f"user B asks {op.key} for user A: {ex.status}"))
    mark_b = f"harness-b-{secrets.token_hex(4)}"
    for op in writes[:3]:
        kwargs = _body_kwargs(op, _identity_body(op, a, mark_b))
        resp, ex = await ctx.exchange(op.method, op.path, user=b, purpose="cross-user", **kwargs)
        if resp is not None and resp.is_success:
            after = [
                (await ctx.exchange("GET", r.path, user=a, params=q, purpose="owner-read"))
                for r, q, _ in reads[:2]
            ]
            hit = next((x for x in after if x[0] is not None and mark_b in x[0].text), None)
            if hit is not None:
                breaches.append(ctx.evidence(ex, f"user B overwrites user A's data via {op.key}"))
                breaches.append(ctx.evidence(hit[1], "user A now reads user B's value"))
                continue
        evidence.append(ctx.evidence(ex, f"user B writes {op.key} naming user A: {ex.status}"))
    if breaches:
        return ctx.failed(
            f"{len(breaches)} cross-user breaches via routes that name the user", *breaches
        )
    if not controlled:
        return ctx.errored(
            "user A could not read its own data back through any route that names the user ("
            + ", ".join(op.key for op, _, _ in reads[:3])
            + "): a refusal of user B shows nothing about ownership"
            if reads
            else "no route reads back what user A stored: whether user B can reach it is unseen",
            *evidence[:8],
        )
    return ctx.passed(
        "user B could neither read nor overwrite user A's data through routes that name the "
        "user (" + ", ".join(op.key for op in [*writes[:3], *(r for r, _, _ in reads[:3])]) + ")",
        *evidence[:8],
    )


def _body_kwargs(op: Operation, body: dict[str, Any]) -> dict[str, Any]:
    return {"data": body} if op.body_kind == "form" else {"json": body}


# ---------------------------------------------------------------- auth.token-expiry


@probe(
    "live.token-expiry",
    requirement="auth.token-expiry",
    title="issued tokens carry an expiry within the promised lifetime",
)
@requires_signed_in_user("a")
async def token_expiry(ctx: ProbeContext) -> CheckResult:
    """Fails: the access token has no exp claim, lives longer than the bound (the agent's
    lifetime, else 24 h), or the session cookie has neither Max-Age nor Expires.

    Passes: the token expires within the bound, or the session cookie carries an expiry."""
    a = ctx.user("a")
    limit = int(
        ctx.params.get("max_lifetime_s")
        or ctx.options.get("max_lifetime_s")
        or DEFAULT_MAX_LIFETIME_S
    )
    rec = sign_in_record(ctx, a)
    base = [ctx.evidence(rec.exchange, "the sign-in response")] if rec else []
    if a.token and jwt_parts(a.token):
        header, payload = jwt_parts(a.token)  # type: ignore[misc]
        claims = {k: payload.get(k) for k in ("exp", "iat", "nbf") if k in payload}
        info = ctx.note("decoded access token (not verified)", header=header, claims=claims)
        exp = payload.get("exp")
        if not isinstance(exp, (int, float)):
            return ctx.failed("the access token has no exp claim: it never expires", info, *base)
        start = payload.get("iat") if isinstance(payload.get("iat"), (int, float)) else time.time()
        lifetime = float(exp) - float(start)
        if lifetime > limit:
            return ctx.failed(
                f"the access token lives {lifetime / 3600:.1f} h, over the bound of "
                f"{limit / 3600:.1f} h",
                info,
                *base,
            )
        return ctx.passed(
            f"the access token expires after {lifetime / 60:.0f} min (bound {limit / 3600:.1f} h)",
            info,
            *base,
        )
    if a.cookies and rec is not None:
        cookie = rec.exchange.response_headers.get("set-cookie", "")
        lowered = cookie.lower()
        if "max-age=" in lowered or "expires=" in lowered:
            return ctx.passed("the session cookie carries Max-Age/Expires", *base)
        return ctx.failed("the session cookie has no Max-Age or Expires attribute", *base)
    body = a.login_body if isinstance(a.login_body, dict) else {}
    expires = body.get("expires_in") or body.get("expiresIn")
    if isinstance(expires, (int, float)):
        verdict = ctx.passed if expires <= limit else ctx.failed
        return verdict(f"the opaque token states expires_in={expires} s (bound {limit} s)", *base)
    return ctx.not_checkable(
        "the token is opaque and states no lifetime; its expiry cannot be observed live",
        *base,
    )


# ---------------------------------------------------------------- auth.token-refresh


@probe(
    "live.token-refresh",
    requirement="auth.token-refresh",
    title="a refresh endpoint issues a new access token",
)
@requires_signed_in_user("a")
async def token_refresh(ctx: ProbeContext) -> CheckResult:
    """Fails: no refresh endpoint is found (routes, OpenAPI, live guesses), or it issues no new
    access token.

    Passes: a refresh call with the refresh token (or cookie) issues a new access token."""
    a = ctx.user("a")
    ep = ctx.api.auth.refresh
    if ep is None:
        return ctx.failed(
            "no refresh endpoint was found (routes, OpenAPI document, or live guesses)",
            ctx.note("auth operations", operations=[op.key for op in ctx.api.operations][:40]),
        )
    # "refresh" is djangorestframework-simplejwt's field
    fields = [f for f in ep.fields if "refresh" in f.lower() or f == "token"] or [
        "refresh_token",
        "refreshToken",
        "refresh",
    ]
    attempts: list[tuple[str, dict[str, Any]]] = []
    if a.refresh_token:
        for f in fields:
            attempts.append((f"JSON {f}", {"json": {f: a.refresh_token}}))
        attempts.append(
            ("bearer refresh token", {"headers": {"Authorization": f"Bearer {a.refresh_token}"}})
        )
    attempts.append(("current credentials", {"user": a, "json": {}}))
    seen: list[Evidence] = []
    for label, kwargs in attempts:
        resp, ex = await ctx.exchange(ep.method, ep.path, purpose="refresh", **kwargs)
        body = json_body(resp) if resp is not None else None
        token, where = find_token(body, ctx.api.auth.token_paths)
        if resp is not None and resp.is_success and token:
            fresh = "a new" if token != a.token else "the same"
            return ctx.passed(
                f"{ep.method} {ep.path} ({label}) issued {fresh} access token at {where}",
                ctx.evidence(ex, "refresh response"),
            )
        seen.append(ctx.evidence(ex, f"{label}: {ex.status}"))
    return ctx.failed(f"{ep.method} {ep.path} issued no access token", *seen)


# ---------------------------------------------------------------- auth.password-policy


@probe(
    "live.password-policy",
    requirement="auth.password-policy",
    title="registration refuses trivially weak passwords",
)
async def password_policy(ctx: ProbeContext) -> CheckResult:
    """Fails: a trivially weak password (short, all digits, 'password', the user name) is
    accepted at registration.

    Passes: every weak password is refused while the harness's strong one registered. No
    registration route: not checkable."""
    ep = ctx.api.auth.registration
    if ep is None:
        login = ctx.api.auth.login
        if login is None:
            return ctx.without_sign_in(
                "the app has no sign-up and no sign-in: no user ever chooses a password"
            )
        return ctx.not_checkable(
            f"the app signs users in at {login.method} {login.path} but no sign-up route was "
            "found (statically or live, under any usual name): users are seeded or created "
            "elsewhere, so no password could be chosen to test the policy",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:30]),
        )
    fields = ep.fields or ["email", "password"]
    # the control: a strong password accepted with the same fields; without it a refused weak
    # password may have been refused for anything else (a missing field, a taken name)
    control = await _policy_control(ctx, ep, fields)
    if isinstance(control, CheckResult):
        return control
    weak = list(ctx.options.get("weak_passwords") or ctx.api.auth.weak_passwords)[:3]
    accepted: list[Evidence] = []
    refused: list[Evidence] = []
    for password in weak:
        acc = Account.fresh("w")
        acc.password = password
        body = {f: value_for(f, acc) for f in fields}
        resp, ex = await ctx.exchange(
            ep.method, ep.path, purpose="client-mistake", **ep.request_kwargs(body)
        )
        ev = ctx.evidence(ex, f"registering with the password {password!r}: {ex.status}")
        if resp is not None and resp.status_code == 429:
            refused.append(ctx.evidence(ex, "rate limited; inconclusive"))
        elif resp is None or resp.is_success or resp.status_code >= 500:
            accepted.append(ev)
        else:
            refused.append(ev)
    if accepted:
        return ctx.failed(f"{len(accepted)} weak passwords were not refused", *accepted, control)
    if all("inconclusive" in e.message for e in refused):
        return ctx.not_checkable(
            "every weak registration was rate limited: the policy was never reached", *refused
        )
    return ctx.passed(f"all {len(refused)} weak passwords were refused", *refused, control)


async def _policy_control(ctx: ProbeContext, ep: Endpoint, fields: list[str]) -> Any:
    """Evidence that the sign-up takes a strong password with these fields (user A's own
    registration when it went through), or the not_checkable result saying it does not."""
    a = ctx.session.a
    if a is not None and a.register_status is not None and 200 <= a.register_status < 300:
        return ctx.note(
            f"control: user A registered at {ep.method} {ep.path} ({a.register_status})"
        )
    acc = Account.fresh("w")
    body = {f: value_for(f, acc) for f in fields}
    resp, ex = await ctx.exchange(ep.method, ep.path, purpose="sign-in", **ep.request_kwargs(body))
    if resp is not None and resp.is_success:
        return ctx.evidence(ex, f"control: a strong password was accepted ({ex.status})")
    return ctx.not_checkable(
        f"{ep.method} {ep.path} refused a registration with a strong password too ({ex.status}): "
        "a refused weak password would prove nothing",
        ctx.evidence(ex, "the strong-password control"),
    )


# ---------------------------------------------------------------- http.csrf


@probe(
    "live.csrf",
    requirement="http.csrf",
    title="cookie-authenticated state changes are protected against cross-site requests",
)
@requires_signed_in_user("a")
@requires_resource
async def csrf(ctx: ProbeContext) -> CheckResult:
    """Fails: a cookie session without SameSite=Strict/Lax accepts a cross-site state-changing
    request without a CSRF token.

    Passes: credentials travel in a header (no ambient cookie), the session cookie is
    SameSite=Strict/Lax, or the cross-site write is refused."""
    a = ctx.user("a")
    res = ctx.resource()
    rec = sign_in_record(ctx, a)
    base = [ctx.evidence(rec.exchange, "the sign-in response")] if rec else []
    cookie_auth = ctx.api.auth.kind == "cookie"
    if not cookie_auth and a.cookies:
        # a token and a cookie: does the cookie alone authenticate?
        resp, ex = await ctx.exchange("GET", res.collection_path, cookies=a.cookies, purpose="csrf")
        cookie_auth = resp is not None and resp.is_success
        base.append(ctx.evidence(ex, f"cookie alone on GET {res.collection_path}: {ex.status}"))
    if not cookie_auth:
        return ctx.passed(
            f"credentials travel in the {ctx.api.auth.header_name} header; no ambient cookie "
            "authenticates a request",
            *base,
        )
    set_cookie = rec.exchange.response_headers.get("set-cookie", "") if rec else ""
    lowered = set_cookie.lower()
    if "samesite=strict" in lowered or "samesite=lax" in lowered:
        return ctx.passed("the session cookie is SameSite=Strict/Lax", *base)
    body = ctx.titled("cross-site write")
    resp, ex = await ctx.exchange(
        "POST",
        res.create_path,
        cookies=a.cookies,
        json=body,
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        purpose="csrf",
    )
    ev = ctx.evidence(ex, "a cross-site POST with the session cookie and no CSRF token")
    if resp is not None and resp.is_success:
        return ctx.failed(
            "cookie session without SameSite=Strict/Lax accepts a cross-site state-changing "
            "request without a CSRF token",
            ev,
            *base,
        )
    return ctx.passed(f"the cross-site write was refused ({ex.status})", ev, *base)
