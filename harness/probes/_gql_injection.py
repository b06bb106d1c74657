"""SQL injection through GraphQL arguments (``sql.parameterized``), bounded: at most three
String/ID arguments of the schema's queries and the sign-in mutation's identity field, two
payloads each.

A surface decides only when its control was served: the same query with a benign value that
matches nothing came back with data. Then a payload fails the check when the answer shows a SQL
error, or when a list the benign value left empty fills up with rows for ``zz' OR '1'='1' --``
(the payload's own text matches nothing either: only the injected ``OR`` can select them); a
sign-in that hands out a token for a payload identity with a wrong password is a bypass."""

from __future__ import annotations

import json
from typing import Any

from harness.apimodel import GqlField, GqlSchema, dig
from harness.probes._context import ProbeContext, probe
from harness.probes._gql_queries import fill, leaf, object_targets
from harness.probes._gql_session import GqlReply, ask, graphql_api, mutation_text
from harness.probes._graphql import create_object, user_or_none
from harness.probes._signals import sql_error
from harness.scorecard import CheckResult, Evidence

NOTHING = "zzprobe-none"
PAYLOADS = ("zz' OR '1'='1' --", 'zz" OR "1"="1" --', "zz'")
LOGIN_PAYLOADS = ("' OR '1'='1' --", "' OR 1=1 --")


def surfaces(types: GqlSchema) -> list[tuple[GqlField, str]]:
    """(query field, argument) pairs taking text: search terms first, ids after."""
    out = []
    for q in types.queries:
        for a in q.args:
            if a.type in ("String", "ID"):
                out.append((q, a.name))
    return sorted(out, key=lambda p: p[1].lower().endswith("id"))


def _query(types: GqlSchema, q: GqlField, arg: str) -> tuple[str, dict[str, Any]] | None:
    decl, call, values = [], [], {}
    for a in q.args:
        if a.name != arg:
            value = fill(a.type, a.name, types, "x")
            if value is None:
                if a.required:
                    return None
                continue
            values[a.name] = value
        decl.append(f"${a.name}: {a.type}{'!' if a.required else ''}")
        call.append(f"{a.name}: ${a.name}")
    sub = f" {{ {leaf(types, q.type)} }}" if types.object(q.type) else ""
    return f"query ProbeArg({', '.join(decl)}) {{ {q.name}({', '.join(call)}){sub} }}", values


def _rows(reply: GqlReply, name: str) -> int | None:
    got = reply.data.get(name) if isinstance(reply.data, dict) else None
    if isinstance(got, list):
        return len(got)
    return None if got is None else 1


def _sql(reply: GqlReply) -> str | None:
    return sql_error(json.dumps(reply.body)[:20000]) if reply.body is not None else None


@probe(
    "live.graphql-sql-injection",
    requirement="sql.parameterized",
    title="SQL payloads in GraphQL arguments and the sign-in mutation change nothing",
)
async def graphql_sql_injection(ctx: ProbeContext) -> CheckResult:
    """Fails: an SQL payload in a GraphQL argument or the sign-in mutation changes the result
    (more rows, a sign-in without the password) or comes back with SQL error text.

    Passes: the payloads change nothing while a benign value that matches nothing is served
    (the control)."""
    gql, _ = graphql_api(ctx)
    types = gql.types
    a = await user_or_none(ctx)  # an app without sign-in is asked anonymously
    # a record of user A, so that a list the payload opens up has a row to show
    for create, _read in object_targets(types)[:1]:
        await create_object(ctx, types, create, a, "sqli")
    signals: list[Evidence] = []
    controls: list[Evidence] = []
    skipped: list[str] = []
    for q, arg in surfaces(types)[:3]:
        built = _query(types, q, arg)
        if built is None:
            skipped.append(f"{q.name}({arg}): other required arguments could not be filled")
            continue
        text, values = built
        control = await ask(
            ctx, text, variables={**values, arg: NOTHING}, user=a, purpose="control"
        )
        where = f"{q.name}({arg}:)"
        if not isinstance(control.data, dict) or _sql(control) or (control.status or 500) >= 500:
            skipped.append(f"{where}: the benign value was not served ({control.status})")
            continue
        controls.append(ctx.evidence(control.exchange, f"control: {where} with {NOTHING!r}"))
        empty = _rows(control, q.name) in (0, None)
        for payload in PAYLOADS:
            reply = await ask(ctx, text, variables={**values, arg: payload}, user=a, purpose="sqli")
            found = _sql(reply)
            rows = _rows(reply, q.name)
            if found:
                signals.append(ctx.evidence(reply.exchange, f"{where} {payload!r}: {found}"))
                break
            if empty and q.is_list and rows:
                signals.append(
                    ctx.evidence(
                        reply.exchange,
                        f"{where} {payload!r}: {rows} rows where the benign value matched none",
                    )
                )
                break
    login = gql.login
    if login is not None and not login.input_type:
        ident = next((x.name for x in login.args if "pass" not in x.name.lower()), None)
        if ident is not None and a is not None and a.token:
            controls.append(ctx.note(f"control: user A signed in through {login.mutation}"))
            for payload in LOGIN_PAYLOADS:
                variables = {x.name: "Wr0ng-password-x" for x in login.args}
                variables[ident] = payload
                reply = await ask(ctx, mutation_text(login), variables=variables, purpose="sqli")
                result = reply.data.get(login.mutation) if isinstance(reply.data, dict) else None
                token = result if isinstance(result, str) else None
                if token is None and login.token_path:
                    token = dig(result, ".".join(login.token_path))
                if isinstance(token, str) and token:
                    signals.append(ctx.evidence(reply.exchange, f"sign-in bypass with {payload!r}"))
                elif _sql(reply):
                    signals.append(
                        ctx.evidence(reply.exchange, f"sign-in {payload!r}: {_sql(reply)}")
                    )
    if signals:
        return ctx.failed(
            f"{len(signals)} GraphQL argument(s) reach SQL unescaped", *signals, *controls
        )
    if controls:
        note = f" (not judged: {'; '.join(skipped)})" if skipped else ""
        return ctx.passed(
            f"{len(controls)} controlled GraphQL surfaces: payloads changed nothing{note}",
            *controls,
        )
    return ctx.not_checkable(
        "no GraphQL argument taking text could be tried against a served control: "
        + ("; ".join(skipped) or "the schema's queries take no String or ID argument")
    )
