"""Injection probes: SQL payloads in login fields, query parameters, path ids and bodies; shell
and eval payloads with a canary file; stored script payloads in responses."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness.apimodel import find_token, items_of, record_id
from harness.probes._context import ProbeContext, ProbeError, probe
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


def _json(resp: Any) -> Any:
    if resp is None:
        return None
    try:
        return resp.json()
    except ValueError:
        return None


@probe(
    "live.sql-injection",
    requirement="sql.parameterized",
    title="SQL payloads in login fields, query parameters, ids and bodies change nothing",
)
async def sql_injection(ctx: ProbeContext) -> CheckResult:
    signals: list[Evidence] = []
    tried = 0
    session = ctx.session
    auth = ctx.api.auth

    def judge(resp: Any, ex: Any, where: str) -> None:
        if resp is None:
            return
        found = sql_error(resp.text[:20000])
        if found:
            signals.append(ctx.evidence(ex, f"{where}: SQL error text in the response ({found})"))
        elif resp.status_code >= 500:
            signals.append(ctx.evidence(ex, f"{where}: server error {resp.status_code}"))

    # login bypass
    if auth.login is not None and session.a is not None:
        ident = auth.identity_field or "email"
        known = session.a.sent.get(ident) or session.a.email
        payloads = ["' OR '1'='1' --", "' OR 1=1 --", f"{known}' --", f"{known}' OR '1'='1"]
        for payload in payloads:
            body = {ident: payload, "password": "Wr0ng-password-' OR '1'='1"}
            kwargs: dict[str, Any] = (
                {"data": body} if auth.login.body_kind == "form" else {"json": body}
            )
            resp, ex = await ctx.exchange(
                auth.login.method, auth.login.path, purpose="client-mistake", **kwargs
            )
            tried += 1
            if resp is not None and resp.is_success:
                token, _ = find_token(_json(resp), auth.token_paths)
                if token or resp.cookies:
                    signals.append(ctx.evidence(ex, f"login bypass with {payload!r}"))
                    continue
            judge(resp, ex, f"login field {ident}")
    res = ctx.api.resource
    if res is not None and session.b is not None and session.b.signed_in and session.seeds:
        b = session.b
        a_ids = {s["id"] for s in session.seeds}
        params = list(dict.fromkeys([*res.list_params, *LIST_PARAMS]))[:10]

        async def listing(name: str, value: str) -> None:
            resp, ex = await ctx.exchange(
                "GET", res.collection_path, user=b, params={name: value}, purpose="client-mistake"
            )
            rows = items_of(_json(resp), res.name) if resp is not None else None
            leaked = [r for r in rows or [] if record_id(r, None, res.id_field) in a_ids]
            if leaked and not open_list:
                signals.append(
                    ctx.evidence(ex, f"?{name}= payload lists {len(leaked)} of user A's records")
                )
            else:
                judge(resp, ex, f"query parameter {name}")

        # baselines: when B already sees A's records without any payload, that is missing
        # authorization, not injection, and a payload "leak" proves nothing
        base, _ = await ctx.exchange("GET", res.collection_path, user=b, purpose="baseline")
        open_list = any(
            record_id(r, None, res.id_field) in a_ids for r in items_of(_json(base), res.name) or []
        )
        a_id = session.seeds[0]["id"]
        plain_item, _ = await ctx.exchange("GET", ctx.item_path(a_id), user=b, purpose="baseline")
        open_item = plain_item is not None and plain_item.is_success
        open_item = open_item and record_id(_json(plain_item), None, res.id_field) == a_id
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
            got_id = record_id(_json(resp), None, res.id_field) if resp is not None else None
            if resp is not None and resp.is_success and got_id == a_id and not open_item:
                signals.append(ctx.evidence(ex, "path id payload returns user A's record to B"))
            else:
                judge(resp, ex, "path id")
        tfield = title_field(res.create_example)
        for payload in ("x'); DROP TABLE todos; --", "Robert'); --", 'it\'s "quoted" \\'):
            body = {**res.create_example, tfield: payload}
            resp, ex = await ctx.exchange(
                "POST", res.collection_path, user=b, json=body, purpose="injection"
            )
            tried += 1
            judge(resp, ex, "create body")
        resp, ex = await ctx.exchange("GET", ctx.item_path(a_id), user=session.a)
        if resp is None or not resp.is_success:
            signals.append(ctx.evidence(ex, "user A's record is unreadable after the payloads"))
    if tried == 0:
        raise ProbeError("no login route and no signed-in users: nothing to inject into")
    if signals:
        return ctx.failed(f"{len(signals)} of {tried} SQL payloads had an effect", *signals[:8])
    sample = [r for r in ctx.session.records if r.check == ctx.spec.id][:4]
    return ctx.passed(
        f"{tried} SQL payloads (login, query parameters, path ids, bodies): no bypass, leak, "
        "SQL error or server error",
        *(ctx.evidence(r.exchange, "payload sample") for r in sample),
    )


@probe(
    "live.command-injection",
    requirement="injection.command",
    title="shell and eval payloads in inputs do not execute (canary file)",
)
async def command_injection(ctx: ProbeContext) -> CheckResult:
    name = f"harness-canary-{secrets.token_hex(6)}"
    payloads = [
        f"; touch {name}",
        f"| touch {name}",
        f"$(touch {name})",
        f"`touch {name}`",
        f"&& touch {name}",
        f"__import__('os').system('touch {name}')",
        f"require('child_process').execSync('touch {name}')",
    ]
    session = ctx.session
    res = ctx.api.resource
    tried = 0
    samples: list[Evidence] = []
    if res is not None and session.a is not None and session.a.signed_in:
        a = session.a
        tfield = title_field(res.create_example)
        for payload in payloads:
            body = {**res.create_example, tfield: f"probe {payload}"}
            _, ex = await ctx.exchange(
                "POST", res.collection_path, user=a, json=body, purpose="injection"
            )
            samples.append(ctx.evidence(ex, "payload in a body field"))
            tried += 1
        for param in ("q", "search", "filename", "host", "cmd", "file"):
            _, ex = await ctx.exchange(
                "GET",
                res.collection_path,
                user=a,
                params={param: payloads[0]},
                purpose="injection",
            )
            tried += 1
    target = ctx.api.health_path or "/"
    for payload in payloads[:3]:
        await ctx.exchange("GET", target, params={"host": payload}, purpose="injection")
        tried += 1
    await asyncio.sleep(float(ctx.options.get("settle_s", 0.3)))
    hits = _find_canary(Path(ctx.app.workdir), name)
    if hits:
        return ctx.failed(
            f"a payload executed: the canary file {name} was created at {hits[0]}",
            *samples[:3],
        )
    return ctx.passed(
        f"{tried} shell/eval payloads sent; no canary file {name} appeared in the app's "
        "working directory",
        *samples[:3],
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


XSS_PAYLOADS = ("<script>alert('harness-xss')</script>", "<img src=x onerror=alert(1)>")


@probe(
    "live.xss",
    requirement="output.xss-encoding",
    title="stored and reflected script payloads come back inert (JSON or escaped)",
)
async def xss(ctx: ProbeContext) -> CheckResult:
    a = ctx.user("a")
    res = ctx.resource()
    tfield = title_field(res.create_example)
    bad: list[Evidence] = []
    seen: list[Evidence] = []
    for payload in XSS_PAYLOADS:
        body = {**res.create_example, tfield: payload}
        resp, ex = await ctx.exchange(
            "POST", res.collection_path, user=a, json=body, purpose="injection"
        )
        checks = [(resp, ex, "create response")]
        if resp is not None and resp.is_success:
            rid = record_id(_json(resp), res.name.rstrip("s"), res.id_field)
            if rid is not None:
                got, gex = await ctx.exchange("GET", ctx.item_path(rid), user=a)
                checks.append((got, gex, "read back"))
        got, gex = await ctx.exchange(
            "GET", res.collection_path, user=a, params={"q": payload}, purpose="injection"
        )
        checks.append((got, gex, "reflected in a query"))
        for r, e, label in checks:
            if r is None:
                continue
            ctype = r.headers.get("content-type", "").lower()
            raw = payload in r.text
            if raw and ("html" in ctype or not ctype):
                bad.append(
                    ctx.evidence(e, f"{label}: the payload comes back raw as {ctype or 'no type'}")
                )
            else:
                seen.append(ctx.evidence(e, f"{label}: {ctype or 'no body'}"))
    if bad:
        return ctx.failed("a script payload comes back as executable HTML", *bad)
    return ctx.passed(
        "script payloads come back as JSON (or escaped); nothing is rendered as HTML", *seen[:4]
    )
