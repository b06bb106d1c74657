"""NoSQL injection, live: MongoDB query operators where the app expects a string.

Two surfaces, each judged only against controls the app served:

- sign-in: user A's right password is accepted and a wrong one refused (the controls); then
  the login route gets A's identity with an operator instead of the password (``{"$ne": null}``,
  ``{"$gt": ""}``, ``{"$regex": ".*"}``, form ``password[$ne]=x``), and an operator identity
  with A's right password (``{"$in": [A]}``). A token or session cookie for any of them means
  the operator reached the query: a JSON object was evaluated as a filter.
- lookups: two records of user A with fresh titles; a listing filtered by the literal title of
  the first returns it and not the second (the control: the parameter is a filter); then the
  same parameter as an operator (``name[$regex]=^<first title>``, ``name[$in][]=<first title>``
  in the query string, which Express's parser turns into objects). The operator returning the
  first record without the second selects by the operator's meaning: fail. Ignored (everything
  back), stringified (nothing back) or refused is what a typed or sanitized filter does.

Bounded: at most a dozen sign-in requests and three requests per listing parameter.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from harness.apimodel import Operation, find_token, items_of, record_id
from harness.apimodel._json import json_body
from harness.apimodel._learn import value_for
from harness.probes._context import ProbeContext, ProbeError, probe, title_field
from harness.scorecard import CheckResult, Evidence

MAX_PARAMS = 6
MAX_SEARCH_ROUTES = 3
SEARCH_WORDS = {"search", "find", "query", "filter", "lookup"}
FILTER_PARAMS = ("title", "name", "q", "search", "filter", "status", "tag", "category")


def _password_field(fields: list[str]) -> str:
    return next((f for f in fields if "pass" in f.lower()), "password")


def _signed_in(ctx: ProbeContext, resp: Any) -> bool:
    """A token in the body or a fresh cookie: what a sign-in hands out."""
    if resp is None or not resp.is_success:
        return False
    token, _ = find_token(json_body(resp), ctx.api.auth.token_paths)
    return bool(token) or bool(resp.cookies)


async def _login(ctx: ProbeContext, body: dict[str, Any], form: bool, purpose: str) -> Any:
    login = ctx.api.auth.login
    assert login is not None
    if form:
        return await ctx.exchange(
            login.method, login.path, content=_bracketed(body), purpose=purpose,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
    return await ctx.exchange(login.method, login.path, json=body, purpose=purpose)


def _bracketed(body: dict[str, Any]) -> str:
    """A form body in the bracket syntax of qs-style parsers: ``password[$ne]=x``."""
    from urllib.parse import quote

    parts = []
    for key, value in body.items():
        if isinstance(value, dict):
            for op, arg in value.items():
                parts.append(f"{quote(key)}[{quote(op)}]={quote(str(arg))}")
        else:
            parts.append(f"{quote(key)}={quote(str(value))}")
    return "&".join(parts)


async def sign_in_surface(ctx: ProbeContext) -> tuple[list[Evidence], Evidence | None, str]:
    """(failures, control evidence when served, why not controlled)."""
    auth = ctx.api.auth
    a = ctx.session.a
    if auth.login is None or a is None:
        return [], None, "no sign-in route was learned"
    if not (a.signed_in and a.login_status is not None and 200 <= a.login_status < 300):
        return [], None, "user A could not sign in with the right password (no control)"
    fields = list(auth.login.fields) or [auth.identity_field or "email", "password"]
    pw = _password_field(fields)
    ident = auth.identity_field or next((f for f in fields if f != pw), "email")
    right = {f: value_for(f, a) for f in fields}
    form = auth.login.body_kind == "form"
    wrong = {**right, pw: "Wr0ng-" + secrets.token_hex(6)}
    resp, ex = await _login(ctx, wrong, form, "control: a wrong password")
    if resp is None or _signed_in(ctx, resp):
        return [], None, f"a wrong password was not refused (status {ex.status}): no control"
    resp, right_ex = await _login(ctx, right, form, "control: the right password")
    if not _signed_in(ctx, resp):
        return [], None, f"the right password was not accepted again (status {right_ex.status})"
    control = ctx.evidence(
        right_ex,
        f"controls: a wrong password gets no token or cookie (status {ex.status}), the right one "
        "does",
    )
    known = right[ident]
    payloads: list[tuple[dict[str, Any], bool, str]] = [
        ({**right, pw: {"$ne": None}}, False, 'password {"$ne": null}'),
        ({**right, pw: {"$gt": ""}}, False, 'password {"$gt": ""}'),
        ({**right, pw: {"$regex": ".*"}}, False, 'password {"$regex": ".*"}'),
        ({**right, ident: {"$ne": None}, pw: {"$ne": None}}, False, "both fields {$ne: null}"),
        ({**right, ident: {"$in": [known]}}, False, f'{ident} {{"$in": [A]}}, right password'),
        ({**right, pw: {"$ne": "x"}}, True, f"form {pw}[$ne]=x"),
        (
            {**right, ident: {"$regex": f"^{re.escape(known)}$"}},
            True,
            f"form {ident}[$regex]=^A$, right password",
        ),
    ]
    if form:
        payloads = [p for p in payloads if p[1]]  # a form-only route parses no JSON
    elif _signed_in(ctx, (await _login(ctx, wrong, True, "control: wrong password, as form"))[0]):
        # a JSON route that signs in a form body with a wrong password (an empty filter
        # matching the first user) would make every form payload look like an operator
        payloads = [p for p in payloads if not p[1]]
    found: list[Evidence] = []
    for body, as_form, label in payloads:
        resp, ex = await _login(ctx, body, as_form, "injection")
        if _signed_in(ctx, resp):
            found.append(ctx.evidence(ex, f"sign-in accepted with {label}: the operator "
                                          "reached the user lookup"))  # fmt: skip
    if not found:
        # a refusal after a rate limit or a lockout kicked in would show nothing
        resp, ex = await _login(ctx, right, form, "control: the right password after the payloads")
        if not _signed_in(ctx, resp):
            return [], None, f"the right password was refused after the payloads ({ex.status})"
    return found, control, ""


async def lookup_surface(ctx: ProbeContext) -> tuple[list[Evidence], Evidence | None, str]:
    res = ctx.api.resource
    if res is None:
        return [], None, "no record collection was recognised"
    a = ctx.session.a_if_signed_in
    if ctx.has_sign_in and a is None:
        return [], None, "user A is not signed in"
    tfield = title_field(res.create_example)
    tag = secrets.token_hex(4)
    titles = (f"Nosql{tag} first", f"Nosql{tag} second")
    ids = []
    for title in titles:
        rid, _data, _ex = await ctx.create(a, ctx.titled(title), purpose="lookup records")
        ids.append(rid)
    listing = [
        q for op in ctx.api.operations
        if op.method == "GET" and op.path == res.collection_path for q in op.query_params
    ]  # fmt: skip
    params = list(dict.fromkeys([*listing, *res.list_params, tfield, *FILTER_PARAMS]))
    found: list[Evidence] = []
    control: Evidence | None = None

    def which(resp: Any) -> tuple[bool, bool] | None:
        rows = items_of(json_body(resp), res.name) if resp is not None else None
        if rows is None or not resp.is_success:
            return None
        got = {str(record_id(r, None, res.id_field)) for r in rows if isinstance(r, dict)}
        return str(ids[0]) in got, str(ids[1]) in got

    for name in params[:MAX_PARAMS]:
        resp, ex = await ctx.exchange(
            "GET", res.collection_path, user=a, params={name: titles[0]}, purpose="control"
        )
        if which(resp) != (True, False):
            continue  # not a filter on the title: an operator there shows nothing
        control = control or ctx.evidence(
            ex, f"control: ?{name}=<first title> returns the first record and not the second"
        )
        first = re.escape(titles[0])
        for query, label in (
            (f"{name}[$regex]=^{first}$", f"?{name}[$regex]=^<first title>$"),
            (f"{name}[$in][]={titles[0]}", f"?{name}[$in][]=<first title>"),
        ):
            path = f"{res.collection_path}?{_encode(query)}"
            resp, ex = await ctx.exchange("GET", path, user=a, purpose="injection")
            if which(resp) == (True, False):
                why = f"{label} selects the first record by the operator's meaning"
                found.append(ctx.evidence(ex, why + ": it reached the query"))
                break
    # search routes that take the filter as a JSON body (POST /notes/search {"title": ...})
    tried = [f"?{p}=" for p in params[:MAX_PARAMS]]
    for op in _search_routes(ctx, res.create_path)[:MAX_SEARCH_ROUTES]:
        fields = [k for k, v in (op.body_example or {}).items() if isinstance(v, str)]
        for name in list(dict.fromkeys([*fields, tfield]))[:2]:
            tried.append(f"{op.key} {{{name}}}")
            resp, ex = await ctx.exchange(
                op.method, op.path, user=a, json={name: titles[0]}, purpose="control"
            )
            if which(resp) != (True, False):
                continue
            control = control or ctx.evidence(
                ex, f"control: {op.key} {{{name}: <first title>}} returns the first record only"
            )
            for value, label in (
                ({"$regex": f"^{re.escape(titles[0])}$"}, '{"$regex": "^<first title>$"}'),
                ({"$in": [titles[0]]}, '{"$in": [<first title>]}'),
            ):
                resp, ex = await ctx.exchange(
                    op.method, op.path, user=a, json={name: value}, purpose="injection"
                )
                if which(resp) == (True, False):
                    why = f"{op.key} {{{name}: {label}}} selects the first record by the operator"
                    found.append(ctx.evidence(ex, why + ": it reached the query"))
                    break
    if control is None:
        return [], None, f"nothing filters by {tfield} (tried {', '.join(tried)})"
    return found, control, ""


def _search_routes(ctx: ProbeContext, create_path: str) -> list[Operation]:
    """POST routes named like a search that take a JSON body (not the create route)."""
    out = []
    for op in ctx.api.operations:
        words = {w.lower() for w in re.split(r"[/_\-]", op.path) if w}
        if op.method == "POST" and op.path != create_path and words & SEARCH_WORDS:
            out.append(op)
    return out


def _encode(query: str) -> str:
    from urllib.parse import quote

    name, _, value = query.partition("=")
    return f"{quote(name, safe='[]$')}={quote(value, safe='')}"


@probe(
    "live.nosql-injection",
    requirement="injection.nosql",
    title="MongoDB operators in sign-in fields and list filters are not evaluated",
)
async def nosql_injection(ctx: ProbeContext) -> CheckResult:
    """Fails: an operator payload (`{"$ne": null}`, `{"$gt": ""}`, `{"$in": [...]}`, `{"$regex":
    ".*"}`, `password[$ne]=x` in a form) signs in without the password, or selects records a
    literal value did not.

    Passes: none does, while the controls were served: a wrong password refused and the right one
    accepted (checked again after the payloads), a literal lookup returning only its record.
    Without a served control: not checkable."""
    failures: list[Evidence] = []
    controls: list[Evidence] = []
    why: list[str] = []
    for surface, name in ((sign_in_surface, "sign-in"), (lookup_surface, "lookups")):
        try:
            found, control, reason = await surface(ctx)
        except ProbeError as exc:
            found, control, reason = [], None, str(exc)
        failures += found
        if control is not None:
            controls.append(control)
        else:
            why.append(f"{name}: {reason}")
    if failures:
        return ctx.failed(
            f"{len(failures)} MongoDB operator payload(s) were evaluated: "
            + "; ".join(e.message for e in failures[:3]),
            *failures, *controls,
        )  # fmt: skip
    if controls:
        mongo = any("private mongo server" in n for n in getattr(ctx.app, "notes", None) or [])
        store = "" if mongo else "; the app runs no MongoDB server here (no document query)"
        return ctx.passed(
            "operator payloads changed nothing where the controls were served"
            + (f" (not probed: {'; '.join(why)})" if why else "")
            + store,
            *controls,
        )
    if not ctx.has_sign_in and ctx.api.resource is None:
        return ctx.nothing_to_probe("no sign-in and no record collection: " + "; ".join(why))
    return ctx.not_checkable("no surface had a served control: " + "; ".join(why))
