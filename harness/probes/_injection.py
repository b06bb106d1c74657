"""Injection probes: SQL payloads in login fields, query parameters, path ids and bodies; shell
and eval payloads with a canary file (script payloads: _xss.py)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness.apimodel import AUTH_WORDS, Operation, canonical, find_token, items_of, record_id
from harness.apimodel._json import json_body
from harness.probes._context import (
    IDENTITY_FIELDS,
    ProbeContext,
    ProbeError,
    identity_value,
    probe,
)
from harness.probes._session import title_field
from harness.probes._signals import sql_error
from harness.scorecard import CheckResult, Evidence

SQL_PAYLOADS = (
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR "1"="1',
    "' UNION SELECT NULL,NULL,NULL --",
    "x'); DROP TABLE users; --",
)
LIST_PARAMS = ("q", "search", "title", "filter", "sort", "order", "name", "status")
SORT_PAYLOADS = ("title;DROP TABLE users", "(CASE WHEN 1=1 THEN title ELSE id END)", "id'")


@probe(
    "live.sql-injection",
    requirement="sql.parameterized",
    title="SQL payloads in login fields, query parameters, ids and bodies change nothing",
)
async def sql_injection(ctx: ProbeContext) -> CheckResult:
    """Payloads go where a benign request of the same shape was served first (the control): a
    refusal or a crash of a route that refuses or crashes on everything shows nothing about SQL,
    so a pass needs at least one controlled surface whose payload requests were answered."""
    signals: list[Evidence] = []
    tried = 0
    answered = 0
    controlled: list[str] = []  # surfaces whose benign control was served
    uncontrolled: list[str] = []
    session = ctx.session
    auth = ctx.api.auth

    def judge(resp: Any, ex: Any, where: str, control_ok: bool = True) -> None:
        nonlocal answered
        if resp is None:
            return
        answered += 1
        found = sql_error(resp.text[:20000])
        if found:
            signals.append(ctx.evidence(ex, f"{where}: SQL error text in the response ({found})"))
        elif resp.status_code >= 500 and control_ok:
            signals.append(ctx.evidence(ex, f"{where}: server error {resp.status_code}"))

    # login bypass; the control is user A's own sign-in through the same route
    if auth.login is not None and session.a is not None:
        status = session.a.login_status
        login_ok = session.a.signed_in and status is not None and 200 <= status < 300
        (controlled if login_ok else uncontrolled).append(f"login {auth.login.path}")
        ident = auth.identity_field or "email"
        known = session.a.sent.get(ident) or session.a.email
        payloads = ["' OR '1'='1' --", "' OR 1=1 --", f"{known}' --", f"{known}' OR '1'='1"]
        for payload in payloads:
            body = {ident: payload, "password": "Wr0ng-password-' OR '1'='1"}
            kwargs: dict[str, Any] = auth.login.request_kwargs(body)
            resp, ex = await ctx.exchange(
                auth.login.method, auth.login.path, purpose="client-mistake", **kwargs
            )
            tried += 1
            if resp is not None and resp.is_success:
                token, _ = find_token(json_body(resp), auth.token_paths)
                if token or resp.cookies:
                    answered += 1
                    signals.append(ctx.evidence(ex, f"login bypass with {payload!r}"))
                    continue
            judge(resp, ex, f"login field {ident}", login_ok)
    res = ctx.api.resource
    reader_ok = (session.b is not None and session.b.signed_in) or not ctx.has_sign_in
    if res is not None and reader_ok and session.seeds:
        b = session.b if ctx.has_sign_in else None
        a_ids = {s["id"] for s in session.seeds}
        params = list(dict.fromkeys([*res.list_params, *LIST_PARAMS]))[:10]

        async def listing(name: str, value: str) -> None:
            resp, ex = await ctx.exchange(
                "GET", res.collection_path, user=b, params={name: value}, purpose="client-mistake"
            )
            rows = items_of(json_body(resp), res.name) if resp is not None else None
            leaked = [r for r in rows or [] if record_id(r, None, res.id_field) in a_ids]
            if leaked and not open_list:
                answered_leak()
                signals.append(
                    ctx.evidence(ex, f"?{name}= payload lists {len(leaked)} of user A's records")
                )
            else:
                judge(resp, ex, f"query parameter {name}", list_ok)

        def answered_leak() -> None:
            nonlocal answered
            answered += 1

        # baselines: when B already sees A's records without any payload, that is missing
        # authorization, not injection, and a payload "leak" proves nothing
        base, _ = await ctx.exchange("GET", res.collection_path, user=b, purpose="baseline")
        list_ok = base is not None and base.is_success
        where = f"GET {res.collection_path}"
        (controlled if list_ok else uncontrolled).append(where)
        open_list = any(
            record_id(r, None, res.id_field) in a_ids
            for r in items_of(json_body(base), res.name) or []
        )
        a_id = session.seeds[0]["id"]
        own, _ = await ctx.exchange("GET", ctx.item_path(a_id), user=session.a, purpose="baseline")
        item_ok = own is not None and own.is_success
        (controlled if item_ok else uncontrolled).append(f"GET {ctx.item_path('{id}')}")
        plain_item, _ = await ctx.exchange("GET", ctx.item_path(a_id), user=b, purpose="baseline")
        open_item = plain_item is not None and plain_item.is_success
        open_item = open_item and record_id(json_body(plain_item), None, res.id_field) == a_id
        if open_list or open_item:
            ctx.session.notes.append(
                "user B reads user A's records without any payload; SQL payload leaks are not "
                "attributed to injection"
            )
        jobs = [listing(n, p) for n in params for p in SQL_PAYLOADS[:3]]
        jobs += [listing(n, p) for n in ("sort", "order_by", "sort_by") for p in SORT_PAYLOADS]
        tried += len(jobs)
        await asyncio.gather(*jobs)
        for raw in (f"{a_id}' OR '1'='1", f"{a_id} OR 1=1", "0 UNION SELECT 1,2,3", f"{a_id}'"):
            path = ctx.item_path(quote(raw, safe=""))
            resp, ex = await ctx.exchange("GET", path, user=b, purpose="client-mistake")
            tried += 1
            got_id = record_id(json_body(resp), None, res.id_field) if resp is not None else None
            if resp is not None and resp.is_success and got_id == a_id and not open_item:
                answered += 1
                signals.append(ctx.evidence(ex, "path id payload returns user A's record to B"))
            else:
                judge(resp, ex, "path id", item_ok)
        tfield = title_field(res.create_example)
        # the control: the same body without quotes, sent by the same user
        control_body = {**res.create_example, tfield: "Robert probe"}
        control, cex = await ctx.exchange(
            "POST", res.create_path, user=b, json=control_body, purpose="baseline"
        )
        create_ok = control is not None and control.is_success
        (controlled if create_ok else uncontrolled).append(f"POST {res.create_path}")
        for payload in ("x'); DROP TABLE todos; --", "Robert'); --", 'it\'s "quoted" \\'):
            body = {**res.create_example, tfield: payload}
            resp, ex = await ctx.exchange(
                "POST", res.create_path, user=b, json=body, purpose="injection"
            )
            tried += 1
            # a bare 5xx is injection evidence only when the quote-free control was served: an
            # app that 500s on plain bodies too (a locked database, a broken handler) shows
            # nothing about SQL
            label = "create body" + (" (a quote-free control was served)" if create_ok else "")
            judge(resp, ex, label, create_ok)
        if not create_ok:
            ctx.session.notes.append(
                f"create body: a quote-free control got {cex.status}; 5xx to quoted payloads "
                "are not counted as SQL injection"
            )
        if item_ok:
            resp, ex = await ctx.exchange("GET", ctx.item_path(a_id), user=session.a)
            if resp is None or not resp.is_success:
                signals.append(ctx.evidence(ex, "user A's record is unreadable after the payloads"))
    sweep = await sweep_operations(ctx, signals)
    tried += sweep.sent
    answered += sweep.answered
    controlled += sweep.controlled
    uncontrolled += sweep.uncontrolled
    if tried == 0:
        if ctx.has_sign_in and not (session.a and session.a.signed_in):
            raise ProbeError("no signed-in user and no input known to inject into")
        return ctx.nothing_to_probe(
            "no input to inject into: no login route, no record collection and no route whose "
            "query parameters or body fields are known",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    if signals:
        return ctx.failed(f"{len(signals)} of {tried} SQL payloads had an effect", *signals[:8])
    if not controlled or not answered:
        # the app refused every benign value the harness could think of: undecided, not broken
        return ctx.not_checkable(
            f"{tried} SQL payloads sent, {answered} answered, but no benign request of the same "
            "shape was served on any surface: refusals there show nothing about SQL",
            ctx.note("surfaces whose control was not served", surfaces=uncontrolled[:20]),
        )
    sample = [r for r in ctx.session.records if r.check == ctx.spec.id][:4]
    msg = (
        f"{tried} SQL payloads ({answered} answered) on {len(controlled)} surfaces whose benign "
        "control was served: no bypass, leak, SQL error or server error"
    )
    if uncontrolled:
        msg += f"; {len(uncontrolled)} surfaces refused their control and decide nothing"
    return ctx.passed(
        msg,
        *(ctx.evidence(r.exchange, "payload sample") for r in sample),
        ctx.note("surfaces", controlled=controlled[:20], uncontrolled=uncontrolled[:20]),
    )


@probe(
    "live.command-injection",
    requirement="injection.command",
    title="shell and eval payloads in inputs do not execute (echo canaries, canary file)",
    # after the main phase: its many writes would race the SQL probe, whose 500s count
    phase="late",
)
async def command_injection(ctx: ProbeContext) -> CheckResult:
    """Fails: a shell or eval payload put into an input the handlers read executes: its echo
    canary comes back computed or its canary file appears.

    Passes: no payload executed where a benign value of the same shape was served (the
    control); no control served on any input: error."""
    name = f"harness-canary-{secrets.token_hex(6)}"
    touch = [
        f"; touch {name}",
        f"$(touch {name})",
        f"`touch {name}`",
        f"__import__('os').system('touch {name}')",
        f"require('child_process').execSync('touch {name}')",
    ]
    # anonymous without sign-in; with it, a user A who could not sign in says why (seeded users:
    # not_checkable, a broken sign-in: error)
    user = ctx.actor("a")
    targets = _input_targets(ctx)
    executed: list[Evidence] = []
    arithmetic: list[Evidence] = []
    samples: list[Evidence] = []
    budget = int(ctx.options.get("max_requests", 160))
    # each target costs a control, its canaries, two touch payloads and the filter pair; the
    # targets are independent, so they go concurrently (the session gate bounds the load)
    per_target = 1 + len(_canaries(1)) + 2 + 2
    chosen = targets[: max(1, budget // per_target)]

    served: list[str] = []  # inputs whose benign control was answered 2xx
    unserved: list[str] = []

    async def probe_target(op: Operation, field: str) -> int:
        control, cex = await _send_input(ctx, op, field, "probe", user)
        sent = 1
        if control is None or not control.is_success:
            # a field that takes numbers or expressions refuses a word: a number is benign too
            control, cex = await _send_input(ctx, op, field, "1", user)
            sent += 1
        if control is not None and control.is_success:
            served.append(f"{op.key} {field}")
        else:
            unserved.append(f"{op.key} {field}: control {cex.status or cex.error}")
        base = control.text if control is not None else ""
        # ten digits: a shorter number turns up by chance in ids, tokens and stored payloads
        n = secrets.randbelow(9 * 10**8) + 10**9
        for kind, payload, marker in _canaries(n):
            resp, ex = await _send_input(ctx, op, field, payload, user)
            sent += 1
            if resp is None:
                continue
            if len(samples) < 3:
                samples.append(ctx.evidence(ex, f"{kind} canary in {op.key} {field}"))
            if _shows(marker, resp.text) and not _shows(marker, base):
                target = arithmetic if kind == "arithmetic" else executed
                target.append(
                    ctx.evidence(
                        ex,
                        f"{op.key} {field}: {payload!r} comes back as {marker} ({kind})",
                        control_status=control.status_code if control is not None else None,
                    )
                )
                if kind != "arithmetic":
                    break
        for payload in touch[:2]:
            await _send_input(ctx, op, field, payload, user)
            sent += 1
        flag = await _eval_filter(ctx, op, field, user)
        sent += 2 if flag is not False else 0
        if isinstance(flag, Evidence):
            executed.append(flag)
        return sent

    tried = sum(await asyncio.gather(*(probe_target(op, field) for op, field in chosen)))
    res = ctx.api.resource
    if res is not None and (user is not None or not ctx.has_sign_in):
        for payload in touch:
            body = ctx.titled(f"probe {payload}")
            await ctx.exchange("POST", res.create_path, user=user, json=body, purpose="injection")
            tried += 1
        if ctx.session.seeds:  # the seeds are the create route's served control
            served.append(f"POST {res.create_path} (records were created before)")
    await asyncio.sleep(float(ctx.options.get("settle_s", 0.3)))
    hits = _find_canary(Path(ctx.app.workdir), name)
    if hits:
        executed.append(ctx.note(f"the canary file {name} was created at {hits[0]}"))
    if executed:
        return ctx.failed(
            f"{len(executed)} payloads executed as code or shell commands", *executed[:6]
        )
    if tried == 0:
        return ctx.nothing_to_probe(
            "no input to put a payload into: no route whose query parameters or body fields "
            "are known",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    if not served:
        return ctx.errored(
            f"{tried} shell/eval canaries sent, but no benign value of the same shape was served "
            "on any input: refusals there show nothing about command execution",
            ctx.note("inputs whose control was not served", inputs=unserved[:20]),
        )
    msg = (
        f"{tried} shell/eval canaries sent into {len(targets)} inputs ({len(served)} with a "
        f"served benign control); none executed and no canary file {name} appeared"
    )
    if arithmetic:
        msg += "; plain arithmetic is evaluated (the app's feature), function calls are not"
    return ctx.passed(msg, *arithmetic[:2], *samples)


def _shows(marker: str, text: str) -> bool:
    """The marker stands as a whole number in the text, not inside a longer one."""
    return re.search(rf"(?<!\d){re.escape(marker)}(?!\d)", text) is not None


def _canaries(n: int) -> list[tuple[str, str, str]]:
    """(kind, payload, marker): the marker shows up only when the payload runs. Pure arithmetic
    is kept apart: a calculator computes it by design; a function call, a string method or a
    shell substitution is what a safe evaluator refuses."""
    m = str(7 * n)
    return [
        ("arithmetic", f"7*{n}", m),
        ("python eval", f'len("harness")*{n}', m),
        ("javascript eval", f'"harness".length*{n}', m),
        ("shell", f";echo HARNESS$((7*{n}))", f"HARNESS{m}"),
        ("shell", f"$(echo HARNESS$((7*{n})))", f"HARNESS{m}"),
        ("shell", f"`echo HARNESS$((7*{n}))`", f"HARNESS{m}"),
    ]


async def _eval_filter(ctx: ProbeContext, op: Operation, field: str, user: Any) -> Any:
    """A list filter evaluated as JavaScript (``eval('t.' + filter)``) echoes nothing, but a
    true condition keeps the rows a false one drops; text compared literally keeps neither."""
    if op.method != "GET" or field in op.path_params:
        return False
    yes, no = 'constructor&&"harness".length==7', 'constructor&&"harness".length==8'
    r_yes, ex = await _send_input(ctx, op, field, yes, user)
    r_no, _ = await _send_input(ctx, op, field, no, user)
    n_yes, n_no = _count(r_yes), _count(r_no)
    if n_yes and n_no is not None and n_yes > n_no:
        return ctx.evidence(
            ex, f"{op.key} {field}: {yes!r} lists {n_yes} rows, {no!r} lists {n_no} (evaluated)"
        )
    return None


_NUMERIC_PARAMS = {"limit", "offset", "page", "per_page", "page_size", "pagesize", "size", "skip"}
_TEXT_PARAMS = ("q", "search", "filter", "host", "cmd", "file", "expression")


def _input_targets(ctx: ProbeContext) -> list[tuple[Operation, str]]:
    """(operation, field) for every string input the handlers are known to read, the main
    resource's create body and listing included; bounded."""
    ops: list[Operation] = []
    for op in ctx.api.operations:
        canon = canonical(op.path)
        if op.admin or op.upload or any(w in AUTH_WORDS or w == "health" for w in canon):
            continue
        ops.append(op)
    res = ctx.api.resource
    if res is not None:
        # what the list handler reads first (a contract's list parameters may not be all)
        read = [
            q
            for op in ops
            if op.method == "GET" and op.path == res.collection_path
            for q in op.query_params
        ]
        names = dict.fromkeys([*read, "filter", "q", "search", *res.list_params])
        listing = Operation(
            method="GET",
            path=res.collection_path,
            query_params=[q for q in names if q.lower() not in _NUMERIC_PARAMS],
        )
        create = Operation(method="POST", path=res.create_path, body_example=res.create_example)
        ops = [create, listing, *[op for op in ops if op.key not in (create.key, listing.key)]]
    out: list[tuple[Operation, str]] = []
    seen: set[tuple[str, str]] = set()
    for op in ops[: int(ctx.options.get("max_operations", 12))]:
        if op.method == "GET":
            fields = list(op.query_params)
        elif op.method in ("POST", "PUT", "PATCH"):
            body = op.body_example or {}
            fields = [k for k, v in body.items() if isinstance(v, str) and not _identity(k)]
            fields += [q for q in op.query_params if q not in fields]
        else:
            continue
        if op.method == "GET" and op.query_params and res is None:
            fields += [q for q in _TEXT_PARAMS[:2] if q not in fields]
        for f in fields[:MAX_FIELDS]:
            if (op.key, f) not in seen:
                seen.add((op.key, f))
                out.append((op, f))
    return out


def _identity(name: str) -> bool:
    """Fields that carry the signed-in user (filled with the user's own value, not a payload)."""
    low = name.lower().replace("-", "_")
    return low in IDENTITY_FIELDS or low in ("ownerid", "owner_id")


async def _send_input(
    ctx: ProbeContext, op: Operation, field: str, value: str, user: Any
) -> tuple[Any, Any]:
    """``op`` with ``value`` in ``field`` and plausible values everywhere else."""
    path = op.path
    for param in op.path_params:
        path = path.replace("{" + param + "}", quote(value, safe="") if param == field else "1")
    if op.method == "GET":
        # the other parameters stay out: a list filtered by them would hide what the field does
        query = {q: identity_value(q, user) for q in op.query_params}
        query = {q: v for q, v in query.items() if v is not None}
        query[field] = value
        return await ctx.exchange("GET", path, user=user, params=query or None, purpose="injection")
    query = {q: identity_value(q, user) or "probe" for q in op.query_params}
    body = {k: (identity_value(k, user) or v) for k, v in (op.body_example or {}).items()}
    if field in body or field not in query:
        body[field] = value
    else:
        query[field] = value
    kw: dict[str, Any] = {"data": body} if op.body_kind == "form" else {"json": body}
    return await ctx.exchange(
        op.method, path, user=user, params=query or None, purpose="injection", **kw
    )


def _find_canary(root: Path, name: str) -> list[Path]:
    """The canary where a shell started by the app would create it: its working directory (or a
    direct subdirectory) or /tmp. Not recursive: node_modules can be large."""
    places = [root / name, Path("/tmp") / name]
    with contextlib.suppress(OSError):
        places += [
            d / name
            for d in root.iterdir()
            if d.is_dir() and d.name not in ("node_modules", ".venv", "venv", ".git")
        ]
    return [p for p in places if p.exists()]


# ---------------------------------------------------------------- every known input


_QUOTE, _ESCAPED, _BENIGN = "probe'", "probe''", "probe"
# (tautology, contradiction): a parameterised query treats both as the same non-matching text
_BOOLEAN_PAIRS = (
    ("zzq' OR 1=1 --", "zzq' AND 1=2 --"),
    ("zzq' OR '1'='1", "zzq' AND '1'='2"),
)
MAX_SWEEP_OPS = 12
MAX_FIELDS = 4


def _sweep_targets(ctx: ProbeContext) -> list[Operation]:
    """Operations with known inputs, login/register and the main resource aside (probed
    above), bodies first so that reads have rows to return."""
    res = ctx.api.resource
    own = {res.collection_path, res.create_path, res.item_path} if res else set()
    ops = []
    for op in ctx.api.operations:
        canon = canonical(op.path)
        if op.admin or any(w in AUTH_WORDS or w == "health" for w in canon):
            continue
        has_body = isinstance(op.body_example, dict) and bool(op.body_example)
        reads = op.method == "GET" and bool(op.query_params or op.path_params)
        writes = op.method in ("POST", "PUT", "PATCH") and has_body and not op.path_params
        if (reads or writes) and op.path not in own and not op.upload:
            ops.append(op)
    ops.sort(key=lambda op: op.method == "GET")
    return ops[:MAX_SWEEP_OPS]


def _count(resp: Any) -> int | None:
    if resp is None or not resp.is_success:
        return None
    rows = items_of(json_body(resp))
    return len(rows) if rows is not None else None


@dataclass
class Sweep:
    """What the sweep sent: requests, answers, and the fields whose benign control was served."""

    sent: int = 0
    answered: int = 0
    controlled: list[str] = dc_field(default_factory=list)
    uncontrolled: list[str] = dc_field(default_factory=list)


async def sweep_operations(ctx: ProbeContext, signals: list[Evidence]) -> Sweep:
    """SQL payloads into every query parameter and body field the handlers are known to read:
    SQL error text, a quote that crashes where an escaped quote does not, and a tautology that
    returns more than its contradiction. A field counts as controlled when its benign value was
    served (2xx)."""
    session = ctx.session
    out = Sweep()
    user = None
    if ctx.has_sign_in:
        user = next((u for u in (session.b, session.a) if u is not None and u.signed_in), None)
        if user is None:
            return out

    async def call(op: Operation, field: str | None, value: str, where: str) -> Any:
        out.sent += 1
        path = op.path
        for param in op.path_params:
            path = path.replace("{" + param + "}", quote(value, safe="") if param == field else "1")
        if op.method == "GET":
            query = {q: identity_value(q, user) or _BENIGN for q in op.query_params}
            if field in query:
                query[field] = value
            resp, ex = await ctx.exchange(
                "GET", path, user=user, params=query or None, purpose="injection"
            )
        else:
            body = {k: (identity_value(k, user) or v) for k, v in (op.body_example or {}).items()}
            if field in body:
                body[field] = value
            kw: dict[str, Any] = {"data": body} if op.body_kind == "form" else {"json": body}
            resp, ex = await ctx.exchange(op.method, path, user=user, purpose="injection", **kw)
        if resp is not None:
            out.answered += 1
            found = sql_error(resp.text[:20000])
            if found:
                signals.append(
                    ctx.evidence(ex, f"{where}: SQL error text in the response ({found})")
                )
        return resp, ex

    for op in _sweep_targets(ctx):
        fields = (
            [*op.path_params, *op.query_params]
            if op.method == "GET"
            else [f for f in (op.body_example or {}) if identity_value(f, user) is None]
        )
        for field in fields[:MAX_FIELDS]:
            where = f"{op.key} {field}"
            before = len(signals)
            benign, _ = await call(op, field, _BENIGN, where)
            served = benign is not None and benign.is_success
            (out.controlled if served else out.uncontrolled).append(where)
            broken, bex = await call(op, field, _QUOTE, where)
            escaped, _ = await call(op, field, _ESCAPED, where)
            if len(signals) > before:
                continue
            if (
                broken is not None
                and broken.status_code >= 500
                and benign is not None
                and benign.status_code < 500
                and escaped is not None
                and escaped.status_code < 500
            ):
                signals.append(
                    ctx.evidence(
                        bex,
                        f"{where}: a lone quote gives {broken.status_code} where the same text "
                        "with the quote doubled does not (the value is spliced into SQL)",
                    )
                )
                continue
            if op.method != "GET" or field in op.path_params:
                continue
            for taut, contra in _BOOLEAN_PAIRS:
                yes, yex = await call(op, field, taut, where)
                no, _ = await call(op, field, contra, where)
                n_yes, n_no = _count(yes), _count(no)
                if n_yes is not None and n_no is not None and n_yes > n_no:
                    signals.append(
                        ctx.evidence(
                            yex,
                            f"{where}: {taut!r} returns {n_yes} rows, {contra!r} returns {n_no}",
                        )
                    )
                    break
                if len(signals) > before:
                    break
    return out
