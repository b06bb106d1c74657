"""Mass assignment, live: a client sends fields it must not set (``role: "admin"``, ``isAdmin``,
``is_admin``, ``verified``, ``balance``, another user's ``ownerId``) with a registration, a
profile update and a record it creates, and the harness reads back what was stored: the user's
own profile (``/me``), the admin route with that user's token, the record as its owner.

A fail is a read-back showing the field took effect where user A's (who never sent it) does not.
A pass needs the field ignored or refused while the control write without it succeeded (A's
registration, A's own profile update read back changed, A's own record). Nothing read back is
``not_checkable`` with the reason."""

from __future__ import annotations

import re
from typing import Any

from harness.apimodel import Account, record_id, sign_in, unwrap
from harness.apimodel._json import json_body
from harness.probes._context import ProbeContext, probe
from harness.probes._preconditions import requires_signed_in_user
from harness.scorecard import CheckResult, Evidence

# normalised name (lower case, no _ or -) -> the value a client would like to give itself
_ROLE = {"role", "roles", "userrole", "accounttype", "usertype"}
_FLAGS = {
    "isadmin",
    "admin",
    "issuperuser",
    "superuser",
    "isstaff",
    "staff",
    "verified",
    "isverified",
    "emailverified",
    "approved",
    "isapproved",
}
_AMOUNTS = {"balance", "credits", "credit", "walletbalance", "points"}
BLIND = {"role": "admin", "isAdmin": True, "is_admin": True, "verified": True}
OWNER_FIELDS = ("ownerId", "owner_id", "userId", "user_id", "authorId", "author_id", "owner")
PROFILE_WORDS = ("me", "profile", "account", "whoami", "current", "self")
TEXT_FIELDS = ("display_name", "displayName", "bio", "name", "full_name", "fullName", "about")
RICH = 1_000_000


def _norm(key: str) -> str:
    return re.sub(r"[_\-]", "", key).lower()


def privileged_value(key: str) -> Any:
    """What a client would set ``key`` to to gain something; None when the key is not one."""
    n = _norm(key)
    if n in _ROLE:
        return "admin"
    if n in _FLAGS:
        return True
    if n in _AMOUNTS:
        return RICH
    return None


def took(sent: Any, got: Any) -> bool:
    """Whether the stored value ``got`` is the privilege ``sent`` asked for."""
    if sent == "admin":
        if isinstance(got, list):
            return any(isinstance(g, str) and "admin" in g.lower() for g in got)
        return isinstance(got, str) and "admin" in got.lower()
    if sent is True:
        return got is True or got == 1 or str(got).lower() in ("true", "1")
    if isinstance(sent, int | float) and not isinstance(got, bool):
        try:
            return float(got) == float(sent)
        except (TypeError, ValueError):
            return False
    return got == sent


def _profile(body: Any) -> dict[str, Any] | None:
    rec = unwrap(body, "user")
    if isinstance(rec, dict) and isinstance(rec.get("user"), dict):
        rec = rec["user"]
    return rec if isinstance(rec, dict) else None


def _profile_paths(ctx: ProbeContext, acc: Account) -> list[tuple[str, str]]:
    """(route template, path for ``acc``) of the routes that show a user's own profile."""
    found = [(ctx.api.auth.me_path, ctx.api.auth.me_path)] if ctx.api.auth.me_path else []
    for op in ctx.api.operations:
        if op.method != "GET":
            continue
        last = [s for s in op.path.split("/") if s][-1:] or [""]
        if last[0].lower() in PROFILE_WORDS:
            found.append((op.path, op.path))
        elif acc.user_id is not None and re.search(r"/users?/\{[^}]+\}$", op.path):
            found.append((op.path, re.sub(r"\{[^}]+\}$", str(acc.user_id), op.path)))
    return list(dict.fromkeys(found))[:4]


def _is_of(rec: dict[str, Any], acc: Account) -> bool:
    """Whether a profile read back is ``acc``'s own (when it names anyone at all)."""
    named = {k: rec[k] for k in ("username", "email", "id", "user_id", "userId") if k in rec}
    if not named:
        return True
    mine = {acc.username, acc.email, acc.user_id, str(acc.user_id)}
    return any(v in mine or str(v) in mine for v in named.values())


async def _read_profile(
    ctx: ProbeContext, acc: Account, routes: list[tuple[str, str]]
) -> tuple[tuple[str, str] | None, dict[str, Any] | None, Evidence | None]:
    for route in routes:
        path = route[1]
        resp, ex = await ctx.exchange("GET", path, user=acc, purpose="mass-assignment read")
        rec = _profile(json_body(resp)) if resp is not None and resp.is_success else None
        if rec and _is_of(rec, acc):
            return route, rec, ctx.evidence(ex, f"{acc.label.upper()}'s profile at {path}")
    return None, None, None


def _compare(
    extras: dict[str, Any], mine: dict[str, Any], control: dict[str, Any] | None
) -> tuple[list[str], list[str]]:
    """(fields that took effect, fields read back ignored)."""
    took_ = []
    ignored = []
    for key, sent in extras.items():
        if key not in mine:
            continue
        if took(sent, mine[key]) and not (control and took(sent, control.get(key))):
            took_.append(f"{key}={mine[key]!r}")
        else:
            ignored.append(f"{key}={mine[key]!r}")
    return took_, ignored


class _Findings:
    def __init__(self) -> None:
        self.fails: list[Evidence] = []
        self.passes: list[Evidence] = []
        self.blind: list[str] = []


@probe(
    "live.mass-assignment",
    requirement="data.mass-assignment",
    title="fields a client must not set (role, isAdmin, ownerId, balance) do not take effect",
    timeout_s=90,
    phase="late",  # it may make a user an admin or hand a record to user B: after the others
)
@requires_signed_in_user("a")
async def mass_assignment(ctx: ProbeContext) -> CheckResult:
    """Fails: a new user registering (or updating its profile) with privileged fields (`role`,
    `isAdmin`/`is_admin`, `verified`, `balance`...) reads them back set while user A (who never
    sent them) does not have them, the admin route serves the new user and refuses A, or user A
    creates a record naming user B as its owner.

    Passes: the fields are ignored or refused while the control write (a text field alone, read
    back changed) succeeded. Nothing can be read back: not checkable."""
    a = ctx.user("a")
    out = _Findings()
    route, a_prof, _ = await _read_profile(ctx, a, _profile_paths(ctx, a))
    extras = {k: v for k, v in ((k, privileged_value(k)) for k in (a_prof or {})) if v is not None}
    extras = {k: v for k, v in extras.items() if not took(v, (a_prof or {}).get(k))} or dict(BLIND)
    await _register_with(ctx, a, a_prof, extras, out)
    if route and a_prof is not None:
        # the update is tried on a user of its own: user A stays as it was for the others
        d = Account.fresh("d")
        await sign_in(ctx.api, ctx.send, d)
        mine = [r for r in _profile_paths(ctx, d) if r[0] == route[0]]
        d_route, d_prof = None, None
        if d.signed_in:
            d_route, d_prof, _ = await _read_profile(ctx, d, mine)
        if d_route is not None and d_prof is not None:
            await _update_with(ctx, d, d_route, d_prof, extras, out)
        else:
            out.blind.append("a second user for the profile update could not sign in or read it")
    await _record_owner(ctx, out)
    if out.fails:
        return ctx.failed(
            "a client set fields it must not: " + "; ".join(e.message for e in out.fails[:3]),
            *out.fails,
            *out.passes,
        )
    if out.passes:
        return ctx.passed(
            "privileged fields sent by a client were ignored or refused while the same write "
            "without them succeeded: " + "; ".join(e.message for e in out.passes[:3]),
            *out.passes,
        )
    return ctx.not_checkable(
        "nothing could be read back to see whether privileged fields took effect: "
        + "; ".join(out.blind or ["no profile, admin or record route"]),
        ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
    )


async def _register_with(
    ctx: ProbeContext,
    a: Account,
    a_prof: dict[str, Any] | None,
    extras: dict[str, Any],
    out: _Findings,
) -> None:
    reg = ctx.api.auth.registration
    if reg is None:
        out.blind.append("no registration route")
        return
    # one body with every extra first; a strict model may refuse or crash on a name it lacks,
    # so then each alone (bounded)
    tries = [extras] + ([{k: v} for k, v in list(extras.items())[:4]] if len(extras) > 1 else [])
    for sent in tries:
        c = Account.fresh("c")
        answers: list[Any] = []

        async def send(
            method: str, p: str, *, sent: dict = sent, answers: list = answers, **kw: Any
        ) -> Any:
            if p == reg.path and method == reg.method and isinstance(kw.get("json"), dict):
                kw["json"] = {**kw["json"], **sent}
            elif p == reg.path and method == reg.method and isinstance(kw.get("data"), dict):
                kw["data"] = {**kw["data"], **{k: str(v).lower() for k, v in sent.items()}}
            resp = await ctx.send(method, p, **kw)
            if p == reg.path:
                answers.append(resp)
            return resp

        await sign_in(ctx.api, send, c)
        last = answers[-1] if answers else None
        rec = next(
            (
                r
                for r in ctx.session.records[::-1]
                if r.exchange.url.endswith(reg.path)
                and c.username in (r.exchange.request_body or "")
            ),
            None,
        )
        if not c.signed_in:
            if last is not None and last.status_code in (400, 403, 422) and rec is not None:
                out.passes.append(
                    ctx.evidence(
                        rec.exchange,
                        f"registration with {sorted(sent)} refused ({last.status_code}) while "
                        "user A's registration without them succeeded",
                    )
                )
                return
            continue  # a crash or a failed sign-in: try the fields one at a time
        _, c_prof, c_ev = await _read_profile(ctx, c, _profile_paths(ctx, c))
        where = "profile"
        if c_prof is None:
            c_prof, where = _profile(c.login_body) or _profile(c.register_body), "sign-in answer"
            a_prof = _profile(a.login_body) or _profile(a.register_body)
        if c_prof is not None:
            took_, ignored = _compare(sent, c_prof, a_prof)
            ev = c_ev or (ctx.evidence(rec.exchange, "registration") if rec else None)
            if ev is not None and (took_ or ignored):
                told = (
                    f"read back in its {where}: " + ", ".join(took_)
                    if took_
                    else f"its {where} shows " + ", ".join(ignored)
                )
                (out.fails if took_ else out.passes).append(
                    ctx.evidence(ev.exchange, f"registered with {sorted(sent)}; {told}")
                )
        await _admin_check(ctx, a, c, sent, out)
        return
    out.blind.append("no registration carrying extra fields signed in")


async def _admin_check(
    ctx: ProbeContext, a: Account, c: Account, sent: dict[str, Any], out: _Findings
) -> None:
    """The admin route with the new user's token, against user A's."""
    for op in [o for o in ctx.api.admin_routes if o.method == "GET" and not o.path_params][:2]:
        ra, _ = await ctx.exchange("GET", op.path, user=a, purpose="mass-assignment admin")
        rc, exc = await ctx.exchange("GET", op.path, user=c, purpose="mass-assignment admin")
        if ra is None or rc is None or ra.status_code not in (401, 403):
            continue
        if rc.is_success:
            out.fails.append(
                ctx.evidence(
                    exc,
                    f"registered with {sorted(sent)}, the user is served {op.key} "
                    f"({rc.status_code}) that user A is refused ({ra.status_code})",
                )
            )
        # a 401 to both says only that the route wants another credential: nothing
        elif ra.status_code == 403 and rc.status_code == 403:
            out.passes.append(
                ctx.evidence(
                    exc,
                    f"registered with {sorted(sent)}, the user is still refused {op.key} "
                    f"({rc.status_code}), like user A",
                )
            )


def _text_field(ctx: ProbeContext, path: str, prof: dict[str, Any]) -> str | None:
    for op in ctx.api.operations:
        if op.path == path and op.method in ("PATCH", "PUT") and op.body_schema:
            for name in op.body_schema.get("properties") or {}:
                if privileged_value(name) is None and name in TEXT_FIELDS:
                    return name
    return next((f for f in TEXT_FIELDS if f in prof), None)


async def _update_with(
    ctx: ProbeContext,
    a: Account,
    route: tuple[str, str],
    a_prof: dict[str, Any],
    extras: dict[str, Any],
    out: _Findings,
) -> None:
    template, path = route
    methods = [
        op.method
        for op in ctx.api.operations
        if op.path == template and op.method in ("PATCH", "PUT")
    ]
    field = _text_field(ctx, template, a_prof)
    if not methods or field is None:
        out.blind.append(f"no profile update route with a text field at {path}")
        return
    method = "PATCH" if "PATCH" in methods else methods[0]
    value = f"Probe {a.label} updated"
    resp, ex = await ctx.exchange(
        method, path, user=a, json={field: value}, purpose="mass-assignment control"
    )
    _, after, _ = await _read_profile(ctx, a, [route])
    if resp is None or not resp.is_success or not after or after.get(field) != value:
        out.blind.append(
            f"the control update {method} {path} {{{field}}} was not read back changed "
            f"({ex.status})"
        )
        return
    body = {field: value + " again", **extras}
    resp, ex = await ctx.exchange(method, path, user=a, json=body, purpose="mass-assignment")
    _, mine, rev = await _read_profile(ctx, a, [route])
    if resp is not None and resp.status_code in (400, 403, 422):
        out.passes.append(
            ctx.evidence(
                ex,
                f"{method} {path} with {sorted(extras)} refused ({resp.status_code}); the same "
                f"update of {field} alone succeeded and read back changed",
            )
        )
        return
    if mine is None or rev is None:
        out.blind.append(f"the profile at {path} could not be read after the update")
        return
    took_, ignored = _compare(extras, mine, a_prof)
    if took_:
        out.fails.append(
            ctx.evidence(
                rev.exchange,  # type: ignore[arg-type]
                f"{method} {path} with {sorted(extras)} ({ex.status}); the profile now shows "
                + ", ".join(took_),
            )
        )
    elif ignored or mine.get(field) == value + " again":
        out.passes.append(
            ctx.evidence(
                rev.exchange,  # type: ignore[arg-type]
                f"{method} {path} with {sorted(extras)} ({ex.status}): the profile shows "
                + (", ".join(ignored) or "none of them")
                + f"; the control update of {field} read back changed",
            )
        )


async def _record_owner(ctx: ProbeContext, out: _Findings) -> None:
    """A record created by A naming B as its owner."""
    res = ctx.api.resource
    a, b = ctx.session.a_if_signed_in, ctx.session.b
    seed = ctx.session.todo_a
    if res is None or a is None or b is None or not b.signed_in or seed is None:
        out.blind.append("no record of user A to compare an owner field against")
        return
    data = unwrap(seed.get("data"), res.name.rstrip("s")) or {}
    owner = next((f for f in OWNER_FIELDS if f in data), None)
    if owner is None or b.user_id is None or data.get(owner) == b.user_id:
        out.blind.append("user A's records show no owner field, or user B's id is unknown")
        return
    body = {**seed["body"], owner: b.user_id}
    resp, ex = await ctx.exchange(
        "POST", res.create_path, user=a, json=body, purpose="mass-assignment owner"
    )
    if resp is not None and resp.status_code in (400, 403, 422):
        out.passes.append(
            ctx.evidence(ex, f"a record naming user B as {owner} refused ({resp.status_code})")
        )
        return
    rid = record_id(json_body(resp), res.name.rstrip("s"), res.id_field)
    if resp is None or not resp.is_success or rid is None:
        out.blind.append(f"creating a record with {owner} answered {ex.status}")
        return
    path = ctx.item_path(rid)
    for who in (a, b):
        got, gex = await ctx.exchange("GET", path, user=who, purpose="mass-assignment owner")
        rec = unwrap(json_body(got), res.name.rstrip("s")) if got is not None else None
        if got is None or not got.is_success or not isinstance(rec, dict) or owner not in rec:
            continue
        if rec[owner] == b.user_id:
            out.fails.append(
                ctx.evidence(
                    gex,
                    f"user A created a record with {owner}={b.user_id!r} (user B): read back as "
                    f"user {who.label.upper()}, it belongs to user B",
                )
            )
        elif rec[owner] == data.get(owner):
            out.passes.append(
                ctx.evidence(
                    gex,
                    f"user A created a record with {owner}={b.user_id!r} (user B): it reads back "
                    f"as user A's own ({owner}={rec[owner]!r})",
                )
            )
        return
    out.blind.append("the record created with an owner field could not be read back")
