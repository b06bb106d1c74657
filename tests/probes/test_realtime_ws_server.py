"""The plain-WebSocket side of live.ws-auth against real WebSocket servers (the ``websockets``
library's own server on loopback): a server that reads the token from a first message and
refuses others with an error frame and a close, and one that serves anyone."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from harness.apimodel import Account, ApiModel, AuthFlow, Endpoint
from harness.app import RealtimeEndpoint
from harness.catalogue import registered_checks
from harness.probes import ProbeContext, Session
from harness.probes._realtime import ws_auth
from harness.scorecard import Status

pytest.importorskip("websockets", reason="the realtime probes need the 'websockets' client")
from websockets.asyncio.server import serve

SECRET = b"k" * 32
PRIVATE = "Probe private title"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _token(sub: str) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({"sub": sub}).encode())
    sig = hmac.new(SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(sig)}"


def _valid(token: Any) -> bool:
    if not isinstance(token, str) or token.count(".") != 2:
        return False
    head, body, sig = token.split(".")
    good = _b64(hmac.new(SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest())
    return hmac.compare_digest(good, sig)


async def first_message_auth(ws: Any) -> None:
    try:
        msg = json.loads(await asyncio.wait_for(ws.recv(), 3))
    except (TimeoutError, ValueError):
        msg = {}
    if msg.get("type") != "auth" or not _valid(msg.get("token")):
        await ws.send(json.dumps({"type": "error", "message": "unauthorized"}))
        await ws.close(4001, "unauthorized")
        return
    await ws.send(json.dumps({"type": "hello", "items": [PRIVATE]}))
    async for _ in ws:
        await ws.send(json.dumps({"type": "pong"}))


async def serves_anyone(ws: Any) -> None:
    await ws.send(json.dumps({"type": "hello", "items": [PRIVATE]}))
    async for _ in ws:
        await ws.send(json.dumps({"type": "pong"}))


def _context(port: int, client: httpx.AsyncClient) -> ProbeContext:
    app = SimpleNamespace(base_url=f"http://127.0.0.1:{port}", curl_prefix="curl")
    ep = RealtimeEndpoint(protocol="websocket", path="/feed", library="ws", file="s.js", line=1)
    api = ApiModel(
        source="static-routes",
        realtime=[ep],
        auth=AuthFlow(kind="bearer", login=Endpoint(path="/login")),
    )
    session = Session(app=app, api=api, client=client)
    session.a = Account.fresh("a")
    session.a.token = _token("1")
    session.seeds = [{"id": 1, "body": {"title": PRIVATE}}]
    (spec,) = [s for s in registered_checks(kind="live") if s.id == "live.ws-auth"]
    return ProbeContext(session, spec)


def _probe(handler: Callable[[Any], Awaitable[None]]) -> Any:
    async def run() -> Any:
        async with serve(handler, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            async with httpx.AsyncClient() as client:
                return await ws_auth(_context(port, client))

    return asyncio.run(run())


def test_first_message_auth_is_learned_and_refusals_by_error_frame_count() -> None:
    result = _probe(first_message_auth)
    assert result.status == Status.passed, result.message
    assert "refused no credentials" in result.message and "alg none" in result.message
    control = next(e for e in result.evidence if e.message.startswith("control"))
    assert control.exchange.status == 101 and PRIVATE in control.data["transcript"]
    assert '"type": "auth"' in control.data["replay"]


def test_a_server_that_serves_anyone_fails() -> None:
    result = _probe(serves_anyone)
    assert result.status == Status.failed, result.message
    assert "accepted a connection with no credentials" in result.message
    # the failing connection comes first (reports cite the first piece of evidence)
    assert result.evidence[0].message == "no credentials: served"
