"""Socket.IO steps of live.ws-auth: connect per namespace with missing, forged and valid tokens;
user B in the room of user A's record while A speaks there."""

from __future__ import annotations

import re
import secrets
from typing import Any

from harness.apimodel import Account
from harness.app._model import RealtimeEndpoint
from harness.probes._context import ProbeContext
from harness.probes._realtime_base import WAIT, Outcome, server_name, summarise, talk_evidence
from harness.probes._realtime_creds import Presented, a_markers, present, refused_attempts
from harness.probes._sockets import SocketIO
from harness.scorecard import Evidence, Exchange

JOIN_EVENTS = ("join", "joinRoom", "join_room", "subscribe")
SEND_EVENTS = ("message", "sendMessage", "send_message", "chat message", "chatMessage")


async def sio_connect(
    ctx: ProbeContext, ep: RealtimeEndpoint, creds: Presented, label: str, origin: str | None = None
) -> tuple[SocketIO, str]:
    """Connect, listen: 'accepted', 'refused' (connect_error or handshake refused), 'closed'
    (disconnected by the server right after connecting), 'silent', 'error'."""
    headers = dict(creds.headers)
    if origin:
        headers["Origin"] = origin
    eio = ctx.session.cache.get(("engine.io", ep.path), "4")
    client = SocketIO.for_path(
        ctx.app,
        ep.path,
        headers=headers,
        query=creds.query,
        label=label,
        namespace=_ns(ep),
        eio=eio,
    )
    outcome = await client.connect(creds.auth)
    if outcome == "refused" and eio == "4" and _old_protocol(client):
        # a Socket.IO 2 server (Engine.IO 3) refuses protocol 4: speak 3 from now on
        ctx.session.cache[("engine.io", ep.path)] = "3"
        return await sio_connect(ctx, ep, creds, label, origin)
    if outcome == "accepted":
        await client.listen(WAIT)
        if client.refused:
            outcome = "closed"  # connected, then disconnected by the server
    return client, outcome


def _old_protocol(client: SocketIO) -> bool:
    body = client.talk.response_body.lower()
    return client.talk.status == 400 and ("protocol" in body or "unsupported" in body)


def _ns(ep: RealtimeEndpoint) -> str:
    return "/" if ep.root_namespace or not ep.namespaces else ep.namespaces[0]


def by_namespace(ep: RealtimeEndpoint) -> list[RealtimeEndpoint]:
    """A Socket.IO server once per namespace in use ("/" only when it has handlers or
    middleware: socket.io accepts every client there, which shows nothing by itself)."""
    if ep.protocol != "socketio":
        return [ep]
    targets = (["/"] if ep.root_namespace or not ep.namespaces else []) + ep.namespaces[:2]
    return [
        ep.model_copy(update={"root_namespace": ns == "/", "namespaces": [] if ns == "/" else [ns]})
        for ns in targets
    ]


def sio_evidence(ctx: ProbeContext, client: SocketIO, message: str) -> Evidence:
    return talk_evidence(ctx, client.talk, message)


async def sio_auth(ctx: ProbeContext, ep: RealtimeEndpoint, a: Account) -> list[Outcome]:
    where = server_name(ep)
    ctrl, got = await sio_connect(ctx, ep, present(ctx, ep, a), "user A, valid token")
    await ctrl.talk.close()
    if got != "accepted":
        return [
            Outcome(
                "error",
                f"{where}: user A's valid credentials were not accepted ({got}"
                + (f": {ctrl.refused}" if ctrl.refused else "")
                + "), so a refusal of others shows nothing",
                [sio_evidence(ctx, ctrl, "control: user A connects with its token")],
            )
        ]
    out = [Outcome("pass", "", [sio_evidence(ctx, ctrl, "control: user A's token is accepted")])]
    attempts = refused_attempts(ctx, ep, a)
    bad, good = [], []
    markers = a_markers(ctx, a)
    for label, creds in attempts:
        client, got = await sio_connect(ctx, ep, creds, label)
        await client.talk.close()
        leaked = [m for m in markers if client.heard(m)]
        if got == "accepted" or leaked:
            heard = f", then received {[e for e, _ in client.events][:4]}" if client.events else ""
            bad.append(f"{label} (namespace connect acknowledged{heard})")
            out.append(Outcome("fail", "", [sio_evidence(ctx, client, f"{label}: accepted")]))
        elif got in ("refused", "closed"):
            good.append(label)
            out.append(Outcome("pass", "", [sio_evidence(ctx, client, f"{label}: refused")]))
        else:
            out.append(Outcome("blind", "", [sio_evidence(ctx, client, f"{label}: {got}")]))
    return summarise(out, where, bad, good)


async def _b_reads_record(ctx: ProbeContext, rid: Any, b: Account) -> Exchange | None:
    """The exchange when user B may read user A's record over HTTP (public records make a
    public room), else None: B's read of the item, or B's list when there is no item route."""
    res = ctx.api.resource
    if res is None:
        return None
    if "GET" in res.item_methods or not res.collection_methods:
        resp, ex = await ctx.exchange("GET", ctx.item_path(rid), user=b, purpose="room privacy")
        return ex if resp is not None and resp.is_success else None
    resp, ex = await ctx.exchange("GET", res.collection_path, user=b, purpose="room privacy")
    listed = (
        resp is not None and resp.is_success and re.search(rf"\b{re.escape(str(rid))}\b", resp.text)
    )
    return ex if listed else None


# records that name a room: joining one by its id means something


# records that name a room: joining one by its id means something
_ROOMISH = re.compile(
    r"room|channel|conversation|chat|thread|group|team|space|board|project|doc|game|lobby|"
    r"match|session|ticket|order",
    re.I,
)


def room_resource(ctx: ProbeContext, ep: RealtimeEndpoint) -> str | None:
    """The main resource when its records are what the socket's rooms are named by (a room-
    like name, or one the join/send events name), else None."""
    res = ctx.api.resource
    if res is None:
        return None
    name = res.name.lower().rstrip("s")
    events = " ".join(ep.join_events + ep.send_events).lower()
    return res.name if _ROOMISH.search(name) or (name and name in events) else None


def _room_payload(rid: Any, marker: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {k: rid for k in ("roomId", "room", "channel", "channelId", "id")}
    body["conversationId"] = rid
    if marker is not None:
        body.update({k: marker for k in ("text", "message", "content", "body", "msg")})
    return body


async def sio_rooms(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, b: Account
) -> list[Outcome]:
    """User B joins the room of user A's record and listens while A speaks in it."""
    where = server_name(ep)
    seed = ctx.session.todo_a
    rid = seed.get("id") if seed else None
    if rid is None or room_resource(ctx, ep) is None:
        # rooms named freely (a public "general") are not private by design: without a
        # record that stands for a room, hearing A there proves nothing
        res = ctx.api.resource
        return [
            Outcome(
                "blind",
                f"{where}: no record of user A names a room ("
                + (f"the main resource {res.name!r} does not look like one" if res else "none")
                + "), so no other user's room was tried",
            )
        ]
    joins = list(ep.join_events[:2] or JOIN_EVENTS)
    sends = list(ep.send_events[:2] or SEND_EVENTS)
    a1, got1 = await sio_connect(ctx, ep, present(ctx, ep, a), "user A, first socket")
    a2, got2 = await sio_connect(ctx, ep, present(ctx, ep, a), "user A, second socket")
    peers = [a1, a2]
    try:
        if got1 != "accepted" or got2 != "accepted":
            return [
                Outcome("error", f"{where}: user A's sockets were not accepted for the room test")
            ]
        for client in (a1, a2):
            for event in joins:
                await client.emit(event, _room_payload(rid))
        await a1.listen(WAIT / 2)
        await a2.listen(WAIT / 2)
        first = f"probe-room-{secrets.token_hex(4)}"
        for event in sends:
            await a2.emit(event, _room_payload(rid, first))
        await a1.listen(WAIT)
        steps = [sio_evidence(ctx, a1, f"control: user A's first socket in room {rid!r}")]
        if not a1.heard(first):
            return [
                Outcome(
                    "blind",
                    f"{where}: user A's own second socket did not hear A's message in room "
                    f"{rid!r} (events tried: join {joins}, send {sends}), so the room test "
                    "decided nothing",
                    [*steps, sio_evidence(ctx, a2, "user A speaks in its room")],
                )
            ]
        bsock, gotb = await sio_connect(ctx, ep, present(ctx, ep, b), "user B")
        peers.append(bsock)
        if gotb != "accepted":
            return [Outcome("error", f"{where}: user B's valid token was not accepted ({gotb})")]
        for event in joins:
            await bsock.emit(event, _room_payload(rid))
        await bsock.listen(WAIT / 2)
        second = f"probe-room-{secrets.token_hex(4)}"
        for event in sends:
            await a2.emit(event, _room_payload(rid, second))
        await bsock.listen(WAIT)
        steps += [
            sio_evidence(ctx, a2, "user A speaks in its room"),
            sio_evidence(ctx, bsock, f"user B joins room {rid!r} of user A and listens"),
        ]
        if bsock.heard(first) or bsock.heard(second):
            public = await _b_reads_record(ctx, rid, b)
            if public is not None:
                return [
                    Outcome(
                        "blind",
                        f"{where}: user B heard A's messages in room {rid!r}, but B may read that "
                        "record over HTTP too, so the room is not private",
                        [*steps, ctx.evidence(public, "user B reads user A's record")],
                    )
                ]
            return [
                Outcome(
                    "fail",
                    f"{where}: user B joined room {rid!r} of user A's record and received A's "
                    "messages",
                    steps,
                )
            ]
        return [
            Outcome(
                "pass",
                f"{where}: user B could not read room {rid!r} of user A (A's own second socket "
                "heard A's message there)",
                steps,
            )
        ]
    finally:
        for client in peers:
            await client.talk.close()
