"""Discovering a GraphQL API: the endpoint among the paths the source names (confirmed live by a
``{ __typename }`` query), the schema from the source, completed by one introspection query used
for discovery only, and the sign-in and sign-up mutations with where their answer carries the
token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harness.apimodel._gql_schema import (
    INTROSPECTION_QUERY,
    SCALARS,
    GqlArg,
    GqlField,
    GqlSchema,
    GqlSignIn,
    GraphQLApi,
    from_introspection,
    looks_like_sdl,
    parse_sdl,
)
from harness.apimodel._json import json_body
from harness.apimodel._learn import Send
from harness.app._graphql import read_graphql
from harness.app._model import AppProfile

_LOGIN = re.compile(
    r"^(log_?in|sign_?in|authenticate|token_?auth|obtain_?token|create_?token)", re.I
)
_REGISTER = re.compile(
    r"^(register|sign_?up|create_?(user|account)|register_?user|add_?user)", re.I
)
_TOKEN_FIELDS = ("token", "accessToken", "access_token", "jwt", "authToken", "idToken")
JSON_HEADERS = {"Content-Type": "application/json"}


async def discover_graphql(
    profile: AppProfile, send: Send | None, auth_headers: dict[str, str] | None = None
) -> GraphQLApi | None:
    """The app's GraphQL API, or None when its source shows no GraphQL at all.
    ``auth_headers`` (a user the REST sign-in gave) are tried when no endpoint answers
    anonymously: some servers refuse every request without a token."""
    source = read_graphql(Path(profile.root))
    if not source.present and not any(looks_like_sdl(t) for t in source.sdl):
        return None  # no server library and no Query type: schema files of a client at most
    types = GqlSchema(source="sdl")
    for text in source.sdl:
        types.merge(parse_sdl(text))
    api = GraphQLApi(servers=source.servers, candidates=source.paths, types=types)
    api.notes.append(
        f"GraphQL server: {', '.join(source.servers) or 'unknown library'}; schema from the "
        f"source: {len(types.types)} types ({', '.join(source.files[:4])})"
    )
    if send is not None:
        headers = JSON_HEADERS
        await _find_endpoint(api, send, headers)
        if not api.confirmed and auth_headers:
            headers = {**JSON_HEADERS, **auth_headers}
            await _find_endpoint(api, send, headers, signed_in=True)
        if api.endpoint is not None:
            await _introspect(api, send, headers)
    api.sign_up = sign_in_mutation(api.types, _REGISTER)
    api.login = sign_in_mutation(api.types, _LOGIN)
    return api


def gql_data(body: Any) -> tuple[Any, list[Any]]:
    """(data, errors) of a GraphQL response body (anything else: (None, []))."""
    if not isinstance(body, dict):
        return None, []
    errors = body.get("errors")
    return body.get("data"), errors if isinstance(errors, list) else []


def is_graphql_answer(body: Any) -> bool:
    return isinstance(body, dict) and ("data" in body or isinstance(body.get("errors"), list))


async def _find_endpoint(
    api: GraphQLApi, send: Send, headers: dict[str, str], *, signed_in: bool = False
) -> None:
    shaped: str | None = None
    who = "as a signed-in user" if signed_in else "anonymously"
    for path in api.candidates:
        resp = await send("POST", path, json={"query": "{ __typename }"}, headers=headers)
        if resp is None:
            continue
        body = json_body(resp)
        data, _ = gql_data(body)
        if isinstance(data, dict) and isinstance(data.get("__typename"), str):
            api.endpoint, api.confirmed = path, True
            api.types.query_type = data["__typename"] or api.types.query_type
            api.notes.append(f"GraphQL endpoint POST {path} answered {{ __typename }} {who}")
            return
        if shaped is None and is_graphql_answer(body):
            shaped = path
    if shaped is not None:
        api.endpoint = api.endpoint or shaped
        api.notes.append(
            f"POST {shaped} answers in GraphQL's shape but refused {{ __typename }} {who}"
        )
    else:
        api.notes.append(f"no GraphQL endpoint answered {who} among " + ", ".join(api.candidates))


async def _introspect(api: GraphQLApi, send: Send, headers: dict[str, str]) -> None:
    """One introspection query, for discovery only (the introspection probe asks again and
    judges): code-first schemas are read exactly when the server answers it."""
    assert api.endpoint is not None
    resp = await send("POST", api.endpoint, json={"query": INTROSPECTION_QUERY}, headers=headers)
    data, _ = gql_data(json_body(resp) if resp is not None else None)
    if isinstance(data, dict) and isinstance(data.get("__schema"), dict):
        live = from_introspection(data)
        live.merge(api.types)
        api.types = live
        api.notes.append(f"schema read by introspection (discovery): {len(live.types)} types")
    else:
        api.notes.append("introspection not served: the schema is the one read from the source")


def sign_in_mutation(types: GqlSchema, names: re.Pattern[str]) -> GqlSignIn | None:
    """The first mutation named like ``names`` that takes a password (or an input holding one)."""
    for field in types.mutations:
        if not names.match(field.name):
            continue
        args, input_type, input_fields = list(field.args), None, []
        if (
            len(args) == 1
            and args[0].type in types.types
            and types.types[args[0].type].kind == "input"
        ):
            input_type = args[0].type
            input_fields = _as_args(types.types[input_type].fields)
        fields = input_fields or args
        if not any("pass" in a.name.lower() for a in fields):
            continue
        return GqlSignIn(
            mutation=field.name,
            args=args,
            input_type=input_type,
            input_fields=input_fields,
            **_answer(types, field),
        )
    return None


def _as_args(fields: list[GqlField]) -> list[GqlArg]:
    return [GqlArg(name=f.name, type=f.type, required=True) for f in fields]


def _answer(types: GqlSchema, field: GqlField) -> dict[str, Any]:
    """The GqlSignIn fields about the mutation's result: what to select from it (``selection``),
    where the token is (``token_path``), where the user's id is (``user_id_path``)."""
    if field.type in SCALARS:
        return {}  # a bare token string: nothing to select
    payload = types.object(field.type)
    if payload is None:
        return {"selection": "{ __typename }"}
    names = {f.name: f for f in payload.fields}
    token = next((n for n in _TOKEN_FIELDS if n in names), None)
    parts, token_path, user_path = [], [], []
    if token:
        parts.append(token)
        token_path = [token]
    for f in payload.fields:
        inner = types.object(f.type)
        if inner is not None and inner.field("id") is not None and not user_path:
            parts.append(f"{f.name} {{ id }}")
            user_path = [f.name, "id"]
    if payload.field("id") is not None and not user_path:
        parts.append("id")
        user_path = ["id"]
    selection = "{ " + " ".join(parts or ["__typename"]) + " }"
    return {"selection": selection, "token_path": token_path, "user_id_path": user_path}
