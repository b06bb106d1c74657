"""ws.auth and ws.origin, live: the app's WebSocket, Socket.IO and SSE servers (found in the source
by ``harness.app``) are connected to as a client of the app would.

ws.auth: user A's valid token is the control (the connection must be accepted and answered:
Socket.IO's namespace ack, a WebSocket frame, the event stream's first bytes); then no
credentials, a token signed with a wrong key and an unsigned (alg none) token must be refused or
closed before any data; then user B tries user A's room (Socket.IO: B joins the room of A's
record and listens while A speaks in it; A's own second socket hearing it is the control) or
channel (a socket path naming A's id or record). SSE: the stream must not be served without
credentials.

ws.origin: a handshake carrying only user A's cookie from a foreign Origin must be refused; the
same handshake from the app's own origin is the control. Sockets that cannot be authenticated by
a cookie (the sign-in sets none, or the server never reads one) pass with that evidence.

Every connection is bounded (a few seconds, a handful per endpoint); its frames are the evidence,
with a script that replays them."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from harness.apimodel import Account
from harness.app._model import RealtimeEndpoint
from harness.probes._context import ProbeBlind, ProbeContext, ProbeSkip, probe
from harness.probes._realtime_base import (
    MAX_ENDPOINTS,
    Outcome,
    server_name,
    talk_evidence,
    verdict,
)
from harness.probes._realtime_creds import Presented, a_markers, fill_path, present
from harness.probes._realtime_sio import (
    by_namespace,
    sio_auth,
    sio_connect,
    sio_evidence,
    sio_rooms,
)
from harness.probes._realtime_ws import sse_auth, websocket_auth, ws_connect
from harness.probes._sockets import client_available
from harness.scorecard import CheckResult, Evidence

FOREIGN_ORIGIN = "https://evil.example"


def _endpoints(ctx: ProbeContext, *protocols: str) -> list[RealtimeEndpoint]:
    found = [one for ep in ctx.api.realtime if ep.protocol in protocols for one in by_namespace(ep)]
    if not found and ctx.api.socket_packages and protocols != ("sse",):
        raise ProbeBlind(
            f"the app depends on {', '.join(ctx.api.socket_packages)} but discovery found no "
            "socket server in its source (no path to connect to)",
        )
    if not found:
        raise ProbeSkip(
            "no "
            + " or ".join(
                {"websocket": "WebSocket", "socketio": "Socket.IO", "sse": "SSE"}[p]
                for p in protocols
            )
            + " server was found in the source (ws, socket.io, NestJS gateways, express-ws, "
            "FastAPI/Starlette websocket routes, Django Channels, flask-sock, flask-socketio, "
            "gorilla/websocket" + (", text/event-stream routes)" if "sse" in protocols else ")"),
        )
    return found[:MAX_ENDPOINTS]


@probe(
    "live.ws-auth",
    requirement="ws.auth",
    title="sockets and event streams refuse missing and forged tokens; rooms keep out others",
    timeout_s=90,
)
async def ws_auth(ctx: ProbeContext) -> CheckResult:
    """Fails: a socket or event stream is served with no token, a token signed with a wrong key
    or alg none (a tampered cookie for cookie sessions), or user B joins user A's room or
    reads A's channel.

    Passes: all of these are refused while user A's valid token is accepted and answered
    (the control; without it the verdict is error)."""
    endpoints = _endpoints(ctx, "websocket", "socketio", "sse")
    a = ctx.user("a")
    b = ctx.session.b_if_signed_in
    sockets = [ep for ep in endpoints if ep.protocol != "sse"]
    if sockets and (missing := client_available()):
        return ctx.errored(f"{missing}: the socket servers could not be connected to")
    outcomes: list[Outcome] = []
    for ep in endpoints:
        if ep.protocol == "socketio":
            outcomes += await sio_auth(ctx, ep, a)
            if b is not None and outcomes[-1].mark != "error":
                outcomes += await sio_rooms(ctx, ep, a, b)
        elif ep.protocol == "websocket":
            outcomes += await websocket_auth(ctx, ep, a, b)
        else:
            outcomes += await sse_auth(ctx, ep, a)
    if b is None:
        outcomes.append(Outcome("blind", "user B could not sign in: no room or channel test"))
    return verdict(ctx, outcomes, "no socket connection decided anything")


@probe(
    "live.ws-origin",
    requirement="ws.origin",
    title="a cookie-authenticated socket handshake from a foreign Origin is refused",
    timeout_s=60,
)
async def ws_origin(ctx: ProbeContext) -> CheckResult:
    """Fails: a handshake that carries only user A's cookie, from https://evil.example, is
    accepted.

    Passes: it is refused while the same handshake from the app's own origin is accepted;
    when no cookie opens a socket it passes with that evidence."""
    endpoints = _endpoints(ctx, "websocket", "socketio")
    a = ctx.user("a")
    if missing := client_available():
        return ctx.errored(f"{missing}: the socket servers could not be connected to")
    own = str(httpx.URL(ctx.app.base_url).copy_with(path="/", query=None)).rstrip("/")
    outcomes: list[Outcome] = []
    for ep in endpoints:
        outcomes += await _origin_one(ctx, ep, a, own)
    return verdict(ctx, outcomes, "no handshake decided anything")


@dataclass
class Handshake:
    accepted: bool
    evidence: Evidence
    text: str  # every frame received, joined
    origin: str | None = None


async def _connect(
    ctx: ProbeContext,
    ep: RealtimeEndpoint,
    path: str,
    creds: Presented,
    label: str,
    origin: str | None,
) -> Handshake:
    """One handshake of either kind: accepted?, evidence, what came back."""
    if ep.protocol == "socketio":
        client, got = await sio_connect(ctx, ep, creds, label, origin)
        await client.talk.close()
        talk, ok = client.talk, got == "accepted"
        ev = sio_evidence(ctx, client, f"{label}: {got}")
        return Handshake(ok, ev, "\n".join(talk.received()), origin)
    talk, got = await ws_connect(ctx, path, creds, label, origin)
    ok = got in ("answered", "silent")
    return Handshake(
        ok, talk_evidence(ctx, talk, f"{label}: {got}"), "\n".join(talk.received()), origin
    )


async def _origin_one(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, own: str
) -> list[Outcome]:
    where = server_name(ep)
    path, _ = fill_path(ep.path, ctx, a)
    if not a.cookies:
        token = await _connect(ctx, ep, path, present(ctx, ep, a), "user A, token", own)
        if token.accepted:
            return [
                Outcome(
                    "pass",
                    f"{where}: the sign-in sets no cookie, so a foreign page has no credential to "
                    "ride; sockets authenticate with the token",
                    [token.evidence],
                )
            ]
        return [
            Outcome(
                "error", f"{where}: user A's token handshake was not accepted", [token.evidence]
            )
        ]
    cookie_only = present(ctx, ep, a, cookies_only=True)
    cross = await _connect(
        ctx, ep, path, cookie_only, "user A's cookie, foreign Origin", FOREIGN_ORIGIN
    )
    # the control: the app's own origin, else an origin the agent allows
    for allowed in dict.fromkeys([own, *(ctx.params.get("origins") or [])]):
        same = await _connect(
            ctx, ep, path, cookie_only, f"control: user A's cookie, Origin {allowed}", allowed
        )
        if same.accepted:
            break
    anon = await _connect(ctx, ep, path, Presented({}, {}, None), "no credentials, own Origin", own)
    evidence = [cross.evidence, same.evidence, anon.evidence]
    if cross.accepted:
        # whether the cookie is what the foreign page gains: it signs in where nothing else
        # does, the frames name user A, or the server reads a cookie
        markers = [m for m in a_markers(ctx, a) if m in cross.text and m not in anon.text]
        how = (
            "the cookie alone signs it in"
            if same.accepted and not anon.accepted
            else f"its frames carry user A's data ({markers[0]!r})"
            if markers
            else "the server reads the cookie"
            if any(h.startswith("cookie") for h in ep.auth)
            else ""
        )
        if how:
            return [
                Outcome(
                    "fail",
                    f"{where} accepted a handshake from {FOREIGN_ORIGIN} carrying user A's cookie "
                    f"({how}): cross-site WebSocket hijacking",
                    evidence,
                )
            ]
        return [
            Outcome(
                "pass",
                f"{where} does not authenticate sockets by cookie (no cookie read in the source, "
                "the cookie alone signs nobody in), so a foreign Origin rides nothing",
                evidence,
            )
        ]
    if same.accepted:
        return [
            Outcome(
                "pass",
                f"{where} refused the handshake from {FOREIGN_ORIGIN} and accepted the same one "
                f"from {same.origin}",
                evidence,
            )
        ]
    token = await _connect(ctx, ep, path, present(ctx, ep, a), "user A, token", own)
    evidence.append(token.evidence)
    if token.accepted:
        return [
            Outcome(
                "pass",
                f"{where}: user A's cookie alone is not accepted from any origin; sockets "
                "authenticate with the token",
                evidence,
            )
        ]
    return [
        Outcome(
            "error",
            f"{where}: no handshake of user A was accepted, not even with its token",
            evidence,
        )
    ]
