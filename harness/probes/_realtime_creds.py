"""Credentials for socket handshakes: user A's token and cookies placed where the server reads
them, forged tokens (wrong key, alg none), the connections that must be refused, and socket
paths filled with what names user A."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from harness.apimodel import Account
from harness.app._model import RealtimeEndpoint
from harness.probes._context import ProbeContext


def forged_tokens(token: str | None) -> list[tuple[str, str]]:
    """(label, token) pairs a server must refuse: the same claims signed with a wrong key, and
    unsigned (alg none); a tampered copy when the token is not a JWT."""
    if not token:
        return []
    parts = token.split(".")
    if len(parts) == 3:
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        signing = f"{header}.{parts[1]}".encode()
        sig = hmac.new(secrets.token_bytes(32), signing, hashlib.sha256).digest()
        none = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return [
            ("a token signed with a wrong key", f"{header}.{parts[1]}.{_b64(sig)}"),
            ("an unsigned token (alg none)", f"{none}.{parts[1]}."),
        ]
    return [("a tampered token", token[:-8] + secrets.token_hex(4))]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Presented:
    headers: dict[str, str]
    query: dict[str, str]
    auth: dict[str, Any] | None
    first: str | None = None  # a first message carrying the token (plain WebSocket)


def auth_message(token: str) -> str:
    """The first message of servers that read the token after the handshake; the usual keys."""
    body = {"type": "auth", "event": "auth", "action": "auth"}
    body.update({k: token for k in ("token", "access_token", "jwt")})
    return json.dumps(body)


def present(
    ctx: ProbeContext,
    ep: RealtimeEndpoint,
    acc: Account | None,
    token: str | None = None,
    *,
    forged: bool = False,
    cookies_only: bool = False,
) -> Presented:
    """``acc``'s credentials placed wherever the server reads them (every usual place when the
    source did not say); with ``forged``, ``token`` stands in for the account's token and
    cookies that do not carry the token are left out (a real session cookie would sign in)."""
    if acc is None:
        return Presented({}, {}, None)
    tok = token if forged else acc.token
    kinds = {h.split(":")[0] for h in ep.auth}
    named = lambda kind: [h.split(":", 1)[1] for h in ep.auth if h.startswith(kind + ":")]  # noqa: E731
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    auth: dict[str, Any] | None = None
    if tok and not cookies_only:
        if not kinds or "header" in kinds or "subprotocol" in kinds:
            scheme = ctx.api.auth.scheme if ctx.api.auth.kind in ("bearer", "header") else "Bearer"
            headers[ctx.api.auth.header_name or "Authorization"] = f"{scheme} {tok}".strip()
        if not kinds or "query" in kinds:
            for name in named("query") or ["token"]:
                query[name] = tok
        if ep.protocol == "socketio" and (not kinds or "socketio-auth" in kinds):
            auth = {name: tok for name in named("socketio-auth") or ["token"]}
    first = None
    if tok and not cookies_only and ep.protocol == "websocket" and "message" in kinds:
        first = auth_message(tok)
    jar = {k: v for k, v in acc.cookies.items() if not forged or v == acc.token}
    if forged:
        jar = {k: tok or "" for k in jar}
    if jar:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    return Presented(headers, query, auth, first)


def refused_attempts(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, *, by_message: bool = False
) -> list[tuple[str, Presented]]:
    """The connections that must be refused: none, forged tokens placed like A's, and for a
    cookie session without a token, A's session cookies tampered with."""
    out = [("no credentials", Presented({}, {}, None))]
    for label, tok in forged_tokens(a.token):
        forged = present(ctx, ep, a, tok, forged=True)
        forged.first = auth_message(tok) if by_message else None
        out.append((label, forged))
    if not a.token and a.cookies:
        jar = "; ".join(f"{k}={v[:-6]}{secrets.token_hex(3)}" for k, v in a.cookies.items())
        out.append(("a tampered session cookie", Presented({"Cookie": jar}, {}, None)))
    return out


_USER_PARAM = re.compile(r"user|account|owner|member|uid|me$", re.I)


def fill_path(path: str, ctx: ProbeContext, acc: Account) -> tuple[str, bool]:
    """``path`` with its {params} naming user A (its id) or A's first record; (path, whether a
    param named A)."""
    seed = ctx.session.todo_a
    named_a = False

    def value(m: re.Match[str]) -> str:
        nonlocal named_a
        name = m.group(1)
        if _USER_PARAM.search(name) and acc.user_id is not None:
            named_a = True
            return str(acc.user_id)
        if seed is not None and seed.get("id") is not None:
            named_a = True
            return str(seed["id"])
        if acc.user_id is not None:
            named_a = True
            return str(acc.user_id)
        return "1"

    return re.sub(r"\{(\w+)\}", value, path), named_a


def a_markers(ctx: ProbeContext, acc: Account) -> list[str]:
    """Strings only user A's data carries: its records' text values, its name."""
    out = [acc.username]
    for seed in ctx.session.seeds[:3]:
        body = seed.get("body") or {}
        out += [v for v in body.values() if isinstance(v, str) and len(v) >= 6]
    return [m for m in dict.fromkeys(out) if m]


def with_query(path: str, query: dict[str, str]) -> str:
    if not query:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(query)
