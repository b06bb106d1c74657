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

import base64
import hashlib
import hmac
import json
import re
import secrets
import shlex
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from harness.apimodel import Account
from harness.app._model import RealtimeEndpoint
from harness.probes._context import ProbeBlind, ProbeContext, ProbeSkip, probe
from harness.probes._sockets import SocketIO, Talk, client_available, evidence_data
from harness.scorecard import CheckResult, Evidence, Exchange

WAIT = 1.5  # seconds to listen after each step
MAX_ENDPOINTS = 3
FOREIGN_ORIGIN = "https://evil.example"
JOIN_EVENTS = ("join", "joinRoom", "join_room", "subscribe")
SEND_EVENTS = ("message", "sendMessage", "send_message", "chat message", "chatMessage")
_USER_PARAM = re.compile(r"user|account|owner|member|uid|me$", re.I)
Mark = Literal["fail", "pass", "error", "blind"]


@dataclass
class Outcome:
    """What one step of a probe showed, and the evidence."""

    mark: Mark
    message: str
    evidence: list[Evidence] = field(default_factory=list)


def _verdict(ctx: ProbeContext, outcomes: list[Outcome], what: str) -> CheckResult:
    """fail beats error beats pass; nothing decided is not_checkable."""
    for mark, make in (("fail", ctx.failed), ("error", ctx.errored), ("pass", ctx.passed)):
        hits = [o.message for o in outcomes if o.mark == mark]
        # the deciding outcomes' evidence first: reports name the first piece as the place
        evidence = [e for o in outcomes if o.mark == mark for e in o.evidence]
        evidence += [e for o in outcomes if o.mark != mark for e in o.evidence]
        if hits:
            others = [o.message for o in outcomes if o.mark not in (mark, "pass", "fail")]
            tail = f" (also: {'; '.join(others)})" if others and mark == "pass" else ""
            return make("; ".join(hits) + tail, *evidence)
    return ctx.not_checkable(
        f"{what}: " + ("; ".join(o.message for o in outcomes) or "nothing was exercised"),
        *[e for o in outcomes for e in o.evidence],
    )


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
            + " server was found in the source (ws, socket.io, FastAPI/Starlette websocket "
            "routes, Django Channels, flask-sock, flask-socketio, gorilla/websocket, "
            "text/event-stream routes)",
        )
    return found[:MAX_ENDPOINTS]


def _where(ep: RealtimeEndpoint) -> str:
    ns = (
        f" namespace {ep.namespaces[0]}"
        if ep.protocol == "socketio" and not ep.root_namespace and ep.namespaces
        else ""
    )
    return f"{ep.library} {ep.protocol} {ep.path}{ns} ({ep.file}:{ep.line})"


# ---------------------------------------------------------------------------- credentials


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


def _attempts(
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


def _fill(path: str, ctx: ProbeContext, acc: Account) -> tuple[str, bool]:
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


def _a_markers(ctx: ProbeContext, acc: Account) -> list[str]:
    """Strings only user A's data carries: its records' text values, its name."""
    out = [acc.username]
    for seed in ctx.session.seeds[:3]:
        body = seed.get("body") or {}
        out += [v for v in body.values() if isinstance(v, str) and len(v) >= 6]
    return [m for m in dict.fromkeys(out) if m]


def _with_query(path: str, query: dict[str, str]) -> str:
    if not query:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(query)


def _ev(ctx: ProbeContext, talk: Talk, message: str) -> Evidence:
    return ctx.evidence(talk.exchange(), message, **evidence_data(talk))


# ---------------------------------------------------------------------------- Socket.IO


async def _sio(
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
        return await _sio(ctx, ep, creds, label, origin)
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


def _sio_ev(ctx: ProbeContext, client: SocketIO, message: str) -> Evidence:
    return _ev(ctx, client.talk, message)


async def _sio_auth(ctx: ProbeContext, ep: RealtimeEndpoint, a: Account) -> list[Outcome]:
    where = _where(ep)
    ctrl, got = await _sio(ctx, ep, present(ctx, ep, a), "user A, valid token")
    await ctrl.talk.close()
    if got != "accepted":
        return [
            Outcome(
                "error",
                f"{where}: user A's valid credentials were not accepted ({got}"
                + (f": {ctrl.refused}" if ctrl.refused else "")
                + "), so a refusal of others shows nothing",
                [_sio_ev(ctx, ctrl, "control: user A connects with its token")],
            )
        ]
    out = [Outcome("pass", "", [_sio_ev(ctx, ctrl, "control: user A's token is accepted")])]
    attempts = _attempts(ctx, ep, a)
    bad, good = [], []
    markers = _a_markers(ctx, a)
    for label, creds in attempts:
        client, got = await _sio(ctx, ep, creds, label)
        await client.talk.close()
        leaked = [m for m in markers if client.heard(m)]
        if got == "accepted" or leaked:
            heard = f", then received {[e for e, _ in client.events][:4]}" if client.events else ""
            bad.append(f"{label} (namespace connect acknowledged{heard})")
            out.append(Outcome("fail", "", [_sio_ev(ctx, client, f"{label}: accepted")]))
        elif got in ("refused", "closed"):
            good.append(label)
            out.append(Outcome("pass", "", [_sio_ev(ctx, client, f"{label}: refused")]))
        else:
            out.append(Outcome("blind", "", [_sio_ev(ctx, client, f"{label}: {got}")]))
    return _summarise(out, where, bad, good)


def _summarise(out: list[Outcome], where: str, bad: list[str], good: list[str]) -> list[Outcome]:
    """One decided outcome for the endpoint, carrying every step's evidence (failing steps
    first)."""
    evidence = [e for o in out if o.mark == "fail" for e in o.evidence]
    evidence += [e for o in out if o.mark != "fail" for e in o.evidence]
    if bad:
        return [Outcome("fail", f"{where} accepted a connection with {', '.join(bad)}", evidence)]
    if good:
        return [
            Outcome(
                "pass",
                f"{where} refused {', '.join(good)} while user A's token was accepted",
                evidence,
            )
        ]
    return [Outcome("blind", f"{where}: no attempt got a clear answer", evidence)]


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


async def _sio_rooms(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, b: Account
) -> list[Outcome]:
    """User B joins the room of user A's record and listens while A speaks in it."""
    where = _where(ep)
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
    a1, got1 = await _sio(ctx, ep, present(ctx, ep, a), "user A, first socket")
    a2, got2 = await _sio(ctx, ep, present(ctx, ep, a), "user A, second socket")
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
        steps = [_sio_ev(ctx, a1, f"control: user A's first socket in room {rid!r}")]
        if not a1.heard(first):
            return [
                Outcome(
                    "blind",
                    f"{where}: user A's own second socket did not hear A's message in room "
                    f"{rid!r} (events tried: join {joins}, send {sends}), so the room test "
                    "decided nothing",
                    [*steps, _sio_ev(ctx, a2, "user A speaks in its room")],
                )
            ]
        bsock, gotb = await _sio(ctx, ep, present(ctx, ep, b), "user B")
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
            _sio_ev(ctx, a2, "user A speaks in its room"),
            _sio_ev(ctx, bsock, f"user B joins room {rid!r} of user A and listens"),
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


# ---------------------------------------------------------------------------- WebSocket


async def _ws(
    ctx: ProbeContext, path: str, creds: Presented, label: str, origin: str | None = None
) -> tuple[Talk, str]:
    """Open, say the first message if any, listen, nudge with a ping when silent:
    'answered' (data frames on an open socket), 'silent', 'refused' (handshake refused, or
    only refusal messages), 'closed' (the server closed it), 'error' (no connection)."""
    headers = dict(creds.headers)
    if origin:
        headers["Origin"] = origin
    talk = Talk(ctx.app, _with_query(path, creds.query), headers, label)
    if not await talk.open():
        await talk.close()
        return talk, "refused" if talk.status else "error"
    if creds.first:
        await talk.send(creds.first)
    got = await talk.receive(WAIT)
    if not talk.closed and (not got or _refusals(got)):
        await talk.send('{"type":"ping"}')
        got += await talk.receive(WAIT)
    await talk.close()
    if talk.closed:
        return talk, "closed"
    if got and _refusals(got):
        return talk, "refused"
    return talk, "answered" if got else "silent"


_REFUSAL = re.compile(
    r"unauthori[sz]ed|forbidden|not authenticated|authentication (required|failed)|"
    r"invalid token|(token|credentials?) (is )?(missing|required|invalid|expired)|"
    r"login required|access denied|not allowed|\b40[13]\b",
    re.I,
)


def _refusals(frames: list[str]) -> bool:
    """Every frame says the client was refused (an error message before closing, or instead)."""
    return bool(frames) and all(_REFUSAL.search(f) for f in frames)


async def _ws_auth(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, b: Account | None
) -> list[Outcome]:
    path, names_a = _fill(ep.path, ctx, a)
    where = _where(ep)
    creds = present(ctx, ep, a)
    ctrl, got = await _ws(ctx, path, creds, "user A, valid token")
    by_message = creds.first is not None
    if got not in ("answered", "silent") and not by_message and a.token:
        # servers that read the token from the first message, not the handshake
        creds.first, by_message = auth_message(a.token), True
        ctrl, got = await _ws(ctx, path, creds, "user A, token in a first message")
    if got == "closed" and ctrl.received() and not _refusals(ctrl.received()):
        got = "answered"  # served, then closed by the server: still an answer
    if got not in ("answered", "silent"):
        return [
            Outcome(
                "error",
                f"{where}: user A's valid credentials were not accepted on {path} ({got}), so a "
                "refusal of others shows nothing",
                [_ev(ctx, ctrl, "control: user A connects with its token")],
            )
        ]
    out = [Outcome("pass", "", [_ev(ctx, ctrl, f"control: user A's token is accepted ({got})")])]
    attempts = _attempts(ctx, ep, a, by_message=by_message)
    markers = _a_markers(ctx, a)
    bad, good = [], []
    for label, attempt in attempts:
        talk, res = await _ws(ctx, path, attempt, label)
        leaked = [m for m in markers if m in "\n".join(talk.received())]
        if res == "answered" or leaked:
            bad.append(f"{label} (received {len(talk.received())} frame(s))")
            out.append(Outcome("fail", "", [_ev(ctx, talk, f"{label}: served")]))
        elif res in ("refused", "closed") or (res == "silent" and got == "answered"):
            good.append(label)
            out.append(Outcome("pass", "", [_ev(ctx, talk, f"{label}: {res}")]))
        else:
            out.append(Outcome("blind", "", [_ev(ctx, talk, f"{label}: {res}")]))
    results = _summarise(out, where, bad, good)
    if b is not None and names_a:
        results += await _ws_channel(ctx, ep, path, a, b)
    return results


async def _ws_channel(
    ctx: ProbeContext, ep: RealtimeEndpoint, path: str, a: Account, b: Account
) -> list[Outcome]:
    """User B on the socket path that names user A (its id or record)."""
    where = _where(ep)
    talk, res = await _ws(ctx, path, present(ctx, ep, b), "user B on user A's channel")
    text = "\n".join(talk.received())
    leaked = [m for m in _a_markers(ctx, a) if m in text]
    ev = [_ev(ctx, talk, f"user B connects to {path}, user A's channel")]
    if leaked:
        return [
            Outcome(
                "fail",
                f"{where}: user B read user A's channel {path} ({leaked[0]!r} in its frames)",
                ev,
            )
        ]
    if res in ("refused", "closed") or not text:
        return [
            Outcome("pass", f"{where}: user B was not served user A's channel {path} ({res})", ev)
        ]
    return [Outcome("pass", f"{where}: user B on {path} received nothing of user A's data", ev)]


# ---------------------------------------------------------------------------- SSE


async def _stream(
    ctx: ProbeContext, path: str, headers: dict[str, str], label: str
) -> tuple[Exchange, bytes]:
    """A bounded read of an event stream: status, headers, the first bytes."""
    url = ctx.app.base_url.rstrip("/") + path
    sent = {"Accept": "text/event-stream", **headers}
    parts = [ctx.app.curl_prefix or "curl", "-sS", "-i", "-N", "--max-time", "3", shlex.quote(url)]
    parts += [f"-H {shlex.quote(f'{k}: {v}')}" for k, v in sent.items()]
    ex = Exchange(method="GET", url=url, curl=" ".join(parts), request_headers=sent)
    data = b""
    try:
        async with ctx.session.client.stream("GET", url, headers=sent, timeout=WAIT + 2) as resp:
            ex.status = resp.status_code
            ex.response_headers = {k.lower(): v for k, v in resp.headers.items()}
            try:
                async for chunk in _bounded(resp.aiter_bytes(), WAIT):
                    data += chunk
                    if len(data) > 4096:
                        break
            except httpx.HTTPError:
                pass
    except httpx.HTTPError as exc:
        ex.error = f"{type(exc).__name__}: {exc}"[:300]
    ex.body_excerpt = data[:2048].decode("utf-8", "replace")
    return ex, data


async def _bounded(chunks: Any, seconds: float) -> Any:
    import asyncio

    it = chunks.__aiter__()
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while (left := end - loop.time()) > 0:
        try:
            yield await asyncio.wait_for(it.__anext__(), left)
        except (StopAsyncIteration, TimeoutError):
            return


def _is_stream(ex: Exchange) -> bool:
    return ex.status == 200 and "text/event-stream" in ex.response_headers.get("content-type", "")


async def _sse_auth(ctx: ProbeContext, ep: RealtimeEndpoint, a: Account) -> list[Outcome]:
    path, _ = _fill(ep.path, ctx, a)
    where = _where(ep)
    creds = present(ctx, ep, a)
    ctrl, _ = await _stream(ctx, _with_query(path, creds.query), creds.headers, "user A")
    if not _is_stream(ctrl):
        return [
            Outcome(
                "error",
                f"{where}: user A's stream request was not served as text/event-stream "
                f"(status {ctrl.status})",
                [ctx.evidence(ctrl, "control: user A opens the stream")],
            )
        ]
    anon, data = await _stream(ctx, path, {}, "no credentials")
    ev = [
        ctx.evidence(ctrl, "control: user A's stream is served"),
        ctx.evidence(anon, "no credentials"),
    ]
    if _is_stream(anon):
        return [
            Outcome(
                "fail",
                f"{where} streamed events to a client with no credentials "
                f"({len(data)} bytes in {WAIT:g} s)",
                ev,
            )
        ]
    return [
        Outcome(
            "pass", f"{where} refused the stream without credentials (status {anon.status})", ev
        )
    ]


# ---------------------------------------------------------------------------- the probes


@probe(
    "live.ws-auth",
    requirement="ws.auth",
    title="sockets and event streams refuse missing and forged tokens; rooms keep out others",
    timeout_s=90,
)
async def ws_auth(ctx: ProbeContext) -> CheckResult:
    endpoints = _endpoints(ctx, "websocket", "socketio", "sse")
    a = ctx.user("a")
    b = ctx.session.b if ctx.session.b and ctx.session.b.signed_in else None
    sockets = [ep for ep in endpoints if ep.protocol != "sse"]
    if sockets and (missing := client_available()):
        return ctx.errored(f"{missing}: the socket servers could not be connected to")
    outcomes: list[Outcome] = []
    for ep in endpoints:
        if ep.protocol == "socketio":
            outcomes += await _sio_auth(ctx, ep, a)
            if b is not None and outcomes[-1].mark != "error":
                outcomes += await _sio_rooms(ctx, ep, a, b)
        elif ep.protocol == "websocket":
            outcomes += await _ws_auth(ctx, ep, a, b)
        else:
            outcomes += await _sse_auth(ctx, ep, a)
    if b is None:
        outcomes.append(Outcome("blind", "user B could not sign in: no room or channel test"))
    return _verdict(ctx, outcomes, "no socket connection decided anything")


@probe(
    "live.ws-origin",
    requirement="ws.origin",
    title="a cookie-authenticated socket handshake from a foreign Origin is refused",
    timeout_s=60,
)
async def ws_origin(ctx: ProbeContext) -> CheckResult:
    endpoints = _endpoints(ctx, "websocket", "socketio")
    a = ctx.user("a")
    if missing := client_available():
        return ctx.errored(f"{missing}: the socket servers could not be connected to")
    own = str(httpx.URL(ctx.app.base_url).copy_with(path="/", query=None)).rstrip("/")
    outcomes: list[Outcome] = []
    for ep in endpoints:
        outcomes += await _origin_one(ctx, ep, a, own)
    return _verdict(ctx, outcomes, "no handshake decided anything")


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
        client, got = await _sio(ctx, ep, creds, label, origin)
        await client.talk.close()
        talk, ok = client.talk, got == "accepted"
        ev = _sio_ev(ctx, client, f"{label}: {got}")
        return Handshake(ok, ev, "\n".join(talk.received()), origin)
    talk, got = await _ws(ctx, path, creds, label, origin)
    ok = got in ("answered", "silent")
    return Handshake(ok, _ev(ctx, talk, f"{label}: {got}"), "\n".join(talk.received()), origin)


async def _origin_one(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, own: str
) -> list[Outcome]:
    where = _where(ep)
    path, _ = _fill(ep.path, ctx, a)
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
        markers = [m for m in _a_markers(ctx, a) if m in cross.text and m not in anon.text]
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
