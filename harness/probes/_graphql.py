"""Live GraphQL probes, each bounded (a handful of small requests, short timeouts):

- ``graphql.introspection``: a ``__schema`` query while the app runs as deployed
  (``NODE_ENV=production``, its own settings untouched); ``{ __typename }`` is the control;
- ``graphql.limits``: a query just over the agent's depth limit (12 levels when it named
  none) built from the schema's own recursive fields, an alias flood and a batched array; a
  shallower query of the same fields is the control;
- ``auth.authorization``: user B asks for user A's object by its id (A's own read is the
  control);
- ``data.no-sensitive-fields``: password, hash and secret fields the schema's types expose,
  asked for as their owner;
- ``errors.no-leak``: stack traces and exception details in ``errors[].extensions``.

SQL injection through arguments (``sql.parameterized``) is in ``_gql_injection.py``; the queries
are built by ``_gql_queries.py``, sent by ``_gql_session.py``.

HTTP status codes are not GraphQL's verdicts: a served operation is a 200 with ``data`` and no
``errors``; a refused one has ``errors`` and no ``data`` (400 for a parse or validation error
under the GraphQL-over-HTTP spec, 200 on older servers). See docs/graphql.md."""

from __future__ import annotations

import secrets
from typing import Any

from harness.apimodel import Account, GqlField, GqlSchema
from harness.probes._context import ProbeContext, ProbeError, probe
from harness.probes._gql_queries import (
    DEFAULT_BATCH,
    DEFAULT_DEPTH,
    MAX_DEPTH_SENT,
    alias_count,
    deep_path,
    extension_leak,
    fill,
    leaf,
    nested_query,
    object_targets,
    path_to,
    root_candidates,
    sensitive_fields,
    values_at,
)
from harness.probes._gql_session import GqlReply, ask, gql_users, graphql_api
from harness.scorecard import CheckResult, Evidence

# ----------------------------------------------------------------------------- schema helpers


async def user_or_none(ctx: ProbeContext) -> Account | None:
    try:
        return (await gql_users(ctx))[0]
    except Exception:  # a check that needs no user goes on anonymously
        return None


def _ev(ctx: ProbeContext, reply: GqlReply, message: str) -> Evidence:
    return ctx.evidence(reply.exchange, message)


# -------------------------------------------------------------------------- introspection


@probe(
    "live.graphql-introspection",
    requirement="graphql.introspection",
    title="the GraphQL endpoint refuses __schema queries while running as deployed",
)
async def graphql_introspection(ctx: ProbeContext) -> CheckResult:
    """Fails: a `__schema` or `__type` introspection query is answered with the schema while
    the app runs as deployed (NODE_ENV=production).

    Passes: both are refused while `{ __typename }` (the control) is served."""
    graphql_api(ctx)
    user = None
    control = await ask(ctx, "query ProbeControl { __typename }", purpose="control")
    if not control.served:
        user = await user_or_none(ctx)
        if user is not None:
            control = await ask(
                ctx, "query ProbeControl { __typename }", user=user, purpose="control"
            )
    if not control.served:
        raise ProbeError(
            "the endpoint did not serve the control query { __typename }: a refused "
            "introspection query would show nothing",
            _ev(ctx, control, "control"),
        )
    schema_q = await ask(
        ctx,
        "query ProbeIntrospection { __schema { queryType { name } types { name } } }",
        user=user,
        purpose="introspection",
    )
    type_q = await ask(
        ctx,
        'query ProbeType { __type(name: "Query") { name fields { name } } }',
        user=user,
        purpose="introspection",
    )
    mode = "the app ran as deployed (NODE_ENV=production; no debug or development setting)"
    got = [
        (r, key)
        for r, key in ((schema_q, "__schema"), (type_q, "__type"))
        if isinstance(r.data, dict) and r.data.get(key)
    ]
    if got:
        reply, key = got[0]
        count = (
            len((reply.data.get("__schema") or {}).get("types") or []) if key == "__schema" else 0
        )
        what = f"{count} types" if count else "the Query type's fields"
        return ctx.failed(
            f"introspection is served: {key} answered with {what}; {mode}",
            _ev(ctx, reply, f"{key} query answered"),
            _ev(ctx, control, "control { __typename } served"),
        )
    return ctx.passed(
        f"__schema and __type were refused while {{ __typename }} was served; {mode}",
        _ev(ctx, schema_q, f"__schema refused ({schema_q.status})"),
        _ev(ctx, type_q, f"__type refused ({type_q.status})"),
        _ev(ctx, control, "control { __typename } served"),
    )


# ------------------------------------------------------------------------------------ limits


@probe(
    "live.graphql-limits",
    requirement="graphql.limits",
    title="a query just over the depth limit, an alias flood and a batch are refused, not run",
)
async def graphql_limits(ctx: ProbeContext) -> CheckResult:
    """Fails: a query two levels over the promised depth (12 levels when none was named), built
    from the schema's own recursive fields, an alias flood sized to the promised bound, or a
    batch of 10 operations is executed.

    Passes: each is refused while a shallower query (the control) is served; a schema
    without a recursive field: not checkable."""
    gql, _ = graphql_api(ctx)
    types = gql.types
    promised = {k: v for k, v in ctx.params.items() if isinstance(v, int) and v > 0}
    limit = promised.get("max_depth")
    # two levels over: depth rules differ by one in whether the root or the leaf counts
    over = min(limit + 2, MAX_DEPTH_SENT) if limit else DEFAULT_DEPTH
    within = max(1, min((limit or 4) - 1, 3))
    user = await user_or_none(ctx)
    fails: list[Evidence] = []
    passes: list[Evidence] = []
    notes: list[str] = []

    control, root = None, None
    for cand in root_candidates(types)[:3]:
        path = deep_path(types, cand, within)
        if path is None:
            continue
        reply = await ask(
            ctx, nested_query(types, path, "ProbeShallow"), user=user, purpose="control"
        )
        if reply.served:
            control, root = reply, cand
            break
    depth_decided = False
    if control is None or root is None:
        notes.append("no query root that needs no argument was served: depth not tried")
    else:
        path = deep_path(types, root, over)
        if path is None:
            notes.append(f"the schema does not nest {over} object levels below {root.name}")
        else:
            deep = await ask(
                ctx, nested_query(types, path, "ProbeDeep"), user=user, purpose="depth"
            )
            named = limit or "none named"
            said = f"{over} nested object levels below {root.name} (limit promised: {named})"
            if deep.served:
                fails.append(_ev(ctx, deep, f"{said}: executed"))
            elif deep.refused:
                passes.append(_ev(ctx, deep, f"{said}: refused ({deep.status})"))
            else:
                notes.append(f"{said}: neither executed nor refused cleanly ({deep.status})")
            depth_decided = deep.served or deep.refused
        passes.append(_ev(ctx, control, f"control: {within} levels below {root.name} served"))

    # aliases decide when the agent promised an alias, complexity or cost bound, or no number
    aliases_decide = bool({"max_aliases", "max_complexity"} & promised.keys()) or not limit
    n_alias, cost_note = alias_count(promised)
    if cost_note:
        aliases_decide = False
        notes.append(cost_note)
    if root is not None:
        body = " ".join(f"a{i}: {root.name} {{ {leaf(types, root.type)} }}" for i in range(n_alias))
    else:
        body = " ".join(f"a{i}: __typename" for i in range(n_alias))
    flood = await ask(ctx, f"query ProbeAliases {{ {body} }}", user=user, purpose="aliases")
    said = f"{n_alias} aliases of {root.name if root else '__typename'}"
    if flood.served:
        (fails if aliases_decide else passes).append(
            _ev(
                ctx,
                flood,
                f"{said}: executed"
                + (
                    ""
                    if aliases_decide
                    else " (not counted: the agent promised a depth limit only)"
                ),
            )
        )
    elif flood.refused:
        passes.append(_ev(ctx, flood, f"{said}: refused ({flood.status})"))

    n_batch = promised.get("max_batch", DEFAULT_BATCH - 1) + 1
    batch = await ask(
        ctx,
        payload=[{"query": "query ProbeBatch { __typename }"}] * n_batch,
        user=user,
        purpose="batch",
    )
    ran = isinstance(batch.body, list) and sum(
        isinstance(x, dict) and isinstance(x.get("data"), dict) for x in batch.body
    )
    if ran and ran >= n_batch:
        fails.append(
            _ev(ctx, batch, f"a batch of {n_batch} operations in one request: all executed")
        )
    else:
        passes.append(_ev(ctx, batch, f"a batch of {n_batch} operations: refused ({batch.status})"))

    if fails:
        return ctx.failed(
            "GraphQL queries are not bounded: " + "; ".join(e.message for e in fails),
            *fails,
            *passes,
        )
    alias_refused = flood.refused and root is not None
    if depth_decided or alias_refused:
        tail = f" ({'; '.join(notes)})" if notes else ""
        return ctx.passed(
            "the over-limit queries were refused while the control was served" + tail, *passes
        )
    return ctx.not_checkable(
        "no over-limit query could be judged against a served control: " + "; ".join(notes),
        *passes,
        ctx.note("GraphQL discovery", notes=gql.notes),
    )


# --------------------------------------------------------------------- object authorization


async def create_object(
    ctx: ProbeContext, types: GqlSchema, m: GqlField, user: Account | None, tag: str
) -> tuple[Any, GqlReply | None]:
    values: dict[str, Any] = {}
    decl, call = [], []
    for a in m.args:
        value = fill(a.type, a.name, types, tag)
        if value is None:
            if a.required:
                return None, None
            continue
        values[a.name] = value
        decl.append(f"${a.name}: {a.type}{'!' if a.required else ''}")
        call.append(f"{a.name}: ${a.name}")
    sig = f"({', '.join(decl)})" if decl else ""
    args = f"({', '.join(call)})" if call else ""
    text = f"mutation ProbeCreate{sig} {{ {m.name}{args} {{ id }} }}"
    reply = await ask(ctx, text, variables=values, user=user, purpose="create")
    rid = (reply.data or {}).get(m.name, {}) if isinstance(reply.data, dict) else {}
    return (rid or {}).get("id") if isinstance(rid, dict) else None, reply


@probe(
    "live.graphql-object-authorization",
    requirement="auth.authorization",
    title="a GraphQL query by id does not give user B user A's object",
)
async def graphql_object_authorization(ctx: ProbeContext) -> CheckResult:
    """Fails: user B's query for user A's object by id returns it.

    Passes: it is refused or empty while A's own read of it is served (the control)."""
    gql, _ = graphql_api(ctx)
    types = gql.types
    targets = object_targets(types)
    if not targets:
        return ctx.not_checkable(
            "the schema has no create mutation paired with a by-id query of the same type",
            ctx.note(
                "schema",
                queries=[f.name for f in types.queries],
                mutations=[f.name for f in types.mutations],
            ),
        )
    a, b = await gql_users(ctx)
    evidence: list[Evidence] = []
    leaks: list[Evidence] = []
    checked = 0
    for m, q in targets[:2]:
        tag = secrets.token_hex(4)
        rid, created = await create_object(ctx, types, m, a, tag)
        if created is None:
            continue
        if rid is None:
            evidence.append(_ev(ctx, created, f"{m.name} as user A gave no id"))
            continue
        arg = q.required_args[0]
        if arg.type == "Int" and str(rid).isdigit():
            rid = int(rid)
        text = f"query ProbeRead($id: {arg.type}!) {{ {q.name}({arg.name}: $id) {{ id }} }}"
        own = await ask(ctx, text, variables={"id": rid}, user=a, purpose="owner-read")
        got = (own.data or {}).get(q.name) if isinstance(own.data, dict) else None
        if not (isinstance(got, dict) and str(got.get("id")) == str(rid)):
            evidence.append(_ev(ctx, own, f"user A could not read its own {m.type} {rid}"))
            continue
        checked += 1
        other = await ask(ctx, text, variables={"id": rid}, user=b, purpose="idor")
        seen = (other.data or {}).get(q.name) if isinstance(other.data, dict) else None
        if isinstance(seen, dict) and str(seen.get("id")) == str(rid):
            leaks.append(
                _ev(ctx, other, f"user B read user A's {m.type} {rid} through {q.name}(id)")
            )
        else:
            evidence.append(_ev(ctx, other, f"user B's {q.name}({rid}) was refused or empty"))
        evidence.append(_ev(ctx, own, f"control: user A read its own {m.type} {rid}"))
    if leaks:
        return ctx.failed(f"{len(leaks)} object(s) of user A readable by user B", *leaks, *evidence)
    if checked:
        return ctx.passed(f"user B got none of user A's objects ({checked} tried)", *evidence)
    raise ProbeError(
        "no object created by user A could be read back by user A: nothing to compare B with",
        *evidence,
    )


# ------------------------------------------------------------------------- sensitive fields


@probe(
    "live.graphql-sensitive-fields",
    requirement="data.no-sensitive-fields",
    title="no GraphQL type serves password hashes, secrets or tokens of its users",
)
async def graphql_sensitive_fields(ctx: ProbeContext) -> CheckResult:
    """Fails: a type serves a password, password hash, secret or token field, asked for by its
    owner.

    Passes: such fields are absent from the schema or refused."""
    gql, _ = graphql_api(ctx)
    types = gql.types
    if not types.types:
        return ctx.not_checkable("the schema could not be read from the source or by introspection")
    found = sensitive_fields(gql)
    a = await user_or_none(ctx)  # an app without sign-in is asked anonymously
    who = "its owner" if a else "anyone"
    hits: list[Evidence] = []
    looked: list[Evidence] = []
    for type_name, field in found[:4]:
        path = path_to(types, type_name)
        if path is None:
            looked.append(
                ctx.note(f"{type_name}.{field}: no argument-free query reaches {type_name}")
            )
            continue
        inner = f"{leaf(types, type_name)} {field}" if leaf(types, type_name) != field else field
        for fname in reversed(path):
            inner = f"{fname} {{ {inner} }}"
        reply = await ask(ctx, f"query ProbeSensitive {{ {inner} }}", user=a, purpose="sensitive")
        values = [n.get(field) for n in values_at(reply.data, path) if isinstance(n, dict)]
        served = [v for v in values if isinstance(v, str) and v]
        if served:
            hits.append(
                _ev(
                    ctx,
                    reply,
                    f"{type_name}.{field} served to {who}: {served[0][:12]}...",
                )
            )
        else:
            looked.append(_ev(ctx, reply, f"{type_name}.{field}: no value served"))
    if hits:
        return ctx.failed(
            f"{len(hits)} sensitive field(s) served: " + ", ".join(f"{t}.{f}" for t, f in found),
            *hits,
            *looked,
        )
    # the positive control: the user's own object served (without any secret field)
    root = next(iter(root_candidates(types)), None)
    if root is None:
        return ctx.not_checkable(
            "no argument-free query to read the signed-in user's objects with", *looked
        )
    reply = await ask(
        ctx,
        f"query ProbeOwn {{ {root.name} {{ {leaf(types, root.type)} }} }}",
        user=a,
        purpose="sensitive",
    )
    if not reply.served:
        raise ProbeError(
            f"the control query {root.name} was not served", _ev(ctx, reply, "control")
        )
    kinds = len([t for t in types.types.values() if t.kind == "object"])
    return ctx.passed(
        f"{kinds} object types read ({types.source}): "
        + (
            f"{len(found)} secret-named field(s) served no value"
            if found
            else "no field named like a password, hash, secret or token"
        ),
        _ev(ctx, reply, f"control: {root.name} served to {who}"),
        *looked,
    )


# ------------------------------------------------------------------------------ error leaks


@probe(
    "live.graphql-errors-no-leak",
    requirement="errors.no-leak",
    title="GraphQL errors carry no stack trace or exception detail in errors[].extensions",
)
async def graphql_errors_no_leak(ctx: ProbeContext) -> CheckResult:
    """Fails: errors[].extensions of a provoked error carry a stack trace or exception detail.

    Passes: provoked errors come back without them."""
    gql, _ = graphql_api(ctx)
    types = gql.types
    user = await user_or_none(ctx)
    cases: list[tuple[str, str]] = [
        ("syntax error", "query ProbeBroken { __typename "),
        ("unknown field", "query ProbeUnknown { probeNoSuchField }"),
    ]
    by_id = next((q for q in types.queries if q.required_args), None)
    if by_id is not None:
        arg = by_id.required_args[0]
        sub = f" {{ {leaf(types, by_id.type)} }}" if types.object(by_id.type) else ""
        cases.append(
            ("wrong argument type", f"query ProbeArg {{ {by_id.name}({arg.name}: {{x: 1}}){sub} }}")
        )
        cases.append(
            ("odd id", f'query ProbeOdd {{ {by_id.name}({arg.name}: "-1\' OR 1=1"){sub} }}')
        )
    # anonymous calls of the user's own fields: where sign-in is enforced, the resolver throws
    anon = root_candidates(types)[:2]
    leaks: list[Evidence] = []
    clean: list[Evidence] = []
    replies = [(label, await ask(ctx, q, user=user, purpose="provoke")) for label, q in cases]
    for f in anon:  # an anonymous call of a signed-in field: the resolver throws
        q = f"query ProbeAnon {{ {f.name} {{ {leaf(types, f.type)} }} }}"
        replies.append((f"{f.name} without a token", await ask(ctx, q, purpose="provoke")))
    for label, reply in replies:
        if not reply.errors:
            continue
        found = extension_leak(reply.errors)
        if found:
            leaks.append(_ev(ctx, reply, f"{label}: {found}"))
        else:
            clean.append(_ev(ctx, reply, f"{label}: {reply.status}, errors without internals"))
    if leaks:
        return ctx.failed(f"{len(leaks)} GraphQL error responses expose internals", *leaks, *clean)
    if not clean:
        raise ProbeError(
            "none of the provoked queries came back with GraphQL errors",
            *(_ev(ctx, r, label) for label, r in replies[:3]),
        )
    return ctx.passed(f"{len(clean)} provoked GraphQL errors came back clean", *clean)
