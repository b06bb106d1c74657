"""GraphQL requests for the probes: one POST to the discovered endpoint, recorded like every
exchange; the GraphQL users A and B (signed up through the schema's mutation, or the users the
REST sign-in already gave the session), shared by the GraphQL probes and made once."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import httpx

from harness.apimodel import Account, GqlArg, GqlSignIn, GraphQLApi, dig, gql_data
from harness.apimodel._json import json_body
from harness.apimodel._learn import value_for
from harness.probes._context import ProbeBlind, ProbeContext, ProbeError, ProbeSkip
from harness.scorecard import Exchange

_USERS_KEY = "graphql.users"
_LOCK_KEY = "graphql.lock"


@dataclass
class GqlReply:
    """One GraphQL exchange: the HTTP answer, its ``data`` and ``errors``."""

    response: httpx.Response | None
    exchange: Exchange
    body: Any
    data: Any
    errors: list[Any]

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def served(self) -> bool:
        """Executed without any error: the positive control's bar."""
        return isinstance(self.data, dict) and not self.errors and self.status == 200

    @property
    def refused(self) -> bool:
        """Not executed: errors and no data (a validation error, a 400, a 413...)."""
        if self.response is None:
            return False
        if self.status is not None and self.status >= 400 and not isinstance(self.data, dict):
            return True
        return bool(self.errors) and not self.data


def graphql_api(ctx: ProbeContext) -> tuple[GraphQLApi, str]:
    """The discovered GraphQL API and its endpoint; ProbeSkip when the source shows no GraphQL,
    ProbeBlind when it does but no endpoint answered."""
    gql = ctx.api.graphql
    if gql is None:
        raise ProbeSkip(
            "the app has no GraphQL server (no GraphQL library or schema in the source)"
        )
    if gql.endpoint is None:
        raise ProbeBlind(
            f"the source uses {', '.join(gql.servers) or 'GraphQL'} but no endpoint answered a "
            f"GraphQL query at {', '.join(gql.candidates)}",
            ctx.note("GraphQL discovery", notes=gql.notes),
        )
    return gql, gql.endpoint


async def ask(
    ctx: ProbeContext,
    query: str | None = None,
    *,
    variables: dict[str, Any] | None = None,
    user: Account | None = None,
    payload: Any = None,
    purpose: str = "graphql",
    timeout: float = 10.0,
) -> GqlReply:
    """POST ``query`` (or a raw ``payload``: a batch array) to the GraphQL endpoint."""
    _, endpoint = graphql_api(ctx)
    if payload is None:
        payload = {"query": query, **({"variables": variables} if variables else {})}
    resp, ex = await ctx.exchange(
        "POST", endpoint, user=user, json=payload, purpose=purpose, timeout=timeout
    )
    body = json_body(resp) if resp is not None else None
    data, errors = gql_data(body)
    return GqlReply(resp, ex, body, data, errors)


def _variables(fields: list[GqlArg], account: Account) -> dict[str, Any]:
    return {a.name: value_for(a.name, account) for a in fields if a.required or _known(a.name)}


def _known(name: str) -> bool:
    low = name.lower()
    return any(w in low for w in ("email", "password", "username", "name"))


def mutation_text(step: GqlSignIn) -> str:
    """``mutation($email: String!, $password: String!) { signUp(...) { token user { id } } }``."""
    if step.input_type:
        decl, call = f"$input: {step.input_type}!", f"{step.args[0].name}: $input"
    else:
        used = [a for a in step.args if a.required or _known(a.name)]
        decl = ", ".join(f"${a.name}: {a.type}{'!' if a.required else ''}" for a in used)
        call = ", ".join(f"{a.name}: ${a.name}" for a in used)
    return f"mutation Probe({decl}) {{ {step.mutation}({call}) {step.selection} }}"


async def _run_step(ctx: ProbeContext, step: GqlSignIn, account: Account) -> GqlReply:
    if step.input_type:
        variables: dict[str, Any] = {"input": _variables(step.input_fields, account)}
    else:
        variables = _variables(step.args, account)
    reply = await ask(ctx, mutation_text(step), variables=variables, purpose="sign-in")
    result = (reply.data or {}).get(step.mutation) if isinstance(reply.data, dict) else None
    if isinstance(result, str) and result:
        account.token = result  # the mutation returns the token itself
    elif step.token_path:
        token = dig(result, ".".join(step.token_path))
        if isinstance(token, str) and token:
            account.token = token
    if not account.token and reply.response is not None and reply.response.cookies:
        account.cookies.update(dict(reply.response.cookies))  # a session cookie instead
    uid = dig(result, ".".join(step.user_id_path)) if step.user_id_path else None
    if uid is not None:
        account.user_id = uid
    account.transcript.append((reply.exchange, json.dumps(reply.body)[:2000]))
    return reply


async def _sign_in(ctx: ProbeContext, gql: GraphQLApi, label: str) -> Account:
    account = Account.fresh(label)
    if gql.sign_up is not None:
        await _run_step(ctx, gql.sign_up, account)
    if not account.token and gql.login is not None:
        await _run_step(ctx, gql.login, account)
    return account


async def gql_users(ctx: ProbeContext) -> tuple[Account, Account]:
    """Users A and B signed in for GraphQL: through the schema's sign-up/sign-in mutations, else
    the REST sign-in's users; ProbeBlind/ProbeSkip/ProbeError say why there are none."""
    cache = ctx.session.cache
    lock = cache.setdefault(_LOCK_KEY, asyncio.Lock())
    async with lock:
        if _USERS_KEY not in cache:
            cache[_USERS_KEY] = await _make_users(ctx)
    got = cache[_USERS_KEY]
    if isinstance(got, Exception):
        raise got
    return got


async def _make_users(ctx: ProbeContext) -> tuple[Account, Account] | Exception:
    gql, _ = graphql_api(ctx)
    if gql.sign_up is not None or gql.login is not None:
        a = await _sign_in(ctx, gql, "a")
        b = await _sign_in(ctx, gql, "b")
        if a.signed_in and b.signed_in:
            ctx.session.notes.append(
                "GraphQL users A and B signed in through " + (gql.sign_up or gql.login).mutation  # type: ignore[union-attr]
            )
            return a, b
        tried = [
            ctx.evidence(ex, "GraphQL sign-in") for ex, _ in (a.transcript + b.transcript)[-4:]
        ]
        return ProbeError("users A and B could not sign in through the GraphQL mutations", *tried)
    a, b = ctx.session.a, ctx.session.b
    if a is not None and b is not None and a.signed_in and b.signed_in:
        return a, b
    if ctx.has_sign_in:
        return ProbeError(
            "the app's REST sign-in did not give two users: "
            + (ctx.session.setup_error or "unknown reason"),
            *ctx.session.setup_evidence,
        )
    return ProbeSkip(
        "no sign-in: the schema has no sign-up/sign-in mutation taking a password and the app "
        "has no REST sign-in",
        ctx.note("mutations", names=[f.name for f in gql.types.mutations]),
    )
