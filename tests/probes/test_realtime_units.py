"""The pieces of the realtime probes that need no app: forged tokens, where credentials go, and
the Engine.IO/Socket.IO packets read from a transcript (the transport is faked; the live tests
in test_realtime_live.py use the real one)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from types import SimpleNamespace

import pytest

from harness.apimodel import Account, ApiModel
from harness.app import RealtimeEndpoint
from harness.probes._realtime_creds import forged_tokens, present
from harness.probes._sockets import SocketIO, Talk


def _jwt(secret: bytes, claims: dict) -> str:
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def test_forged_tokens_keep_the_claims_and_break_the_signature() -> None:
    secret = b"s" * 32
    token = _jwt(secret, {"sub": "7"})
    (wrong_label, wrong), (none_label, unsigned) = forged_tokens(token)
    assert "wrong key" in wrong_label and "alg none" in none_label
    head, body, sig = wrong.split(".")
    assert body == token.split(".")[1]
    good = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(sig + "==") != good
    head, body, sig = unsigned.split(".")
    assert json.loads(base64.urlsafe_b64decode(head + "=="))["alg"] == "none" and sig == ""
    assert forged_tokens("opaque-session-token-1234")[0][1] != "opaque-session-token-1234"
    assert forged_tokens(None) == []


def _ctx() -> SimpleNamespace:
    return SimpleNamespace(api=ApiModel(source="static-routes"))


def _account() -> Account:
    acc = Account.fresh("a")
    acc.token = "tok-a"
    acc.cookies = {"token": "tok-a", "theme": "dark"}
    return acc


def test_credentials_go_where_the_server_reads_them() -> None:
    ep = RealtimeEndpoint(
        protocol="socketio",
        path="/socket.io/",
        library="socket.io",
        file="s.js",
        line=1,
        auth=["socketio-auth:jwt", "query:access_token"],
    )
    got = present(_ctx(), ep, _account())
    assert got.auth == {"jwt": "tok-a"}
    assert got.query == {"access_token": "tok-a"}
    assert "Authorization" not in got.headers  # the source reads no header
    assert got.headers["Cookie"] == "token=tok-a; theme=dark"
    # a forged token replaces the token everywhere; cookies that are not the token are dropped
    forged = present(_ctx(), ep, _account(), "forged", forged=True)
    assert forged.auth == {"jwt": "forged"} and forged.headers["Cookie"] == "token=forged"
    # unknown: every usual place
    plain = RealtimeEndpoint(protocol="websocket", path="/ws", library="ws", file="s.js", line=1)
    got = present(_ctx(), plain, _account())
    assert got.headers["Authorization"] == "Bearer tok-a" and got.query == {"token": "tok-a"}
    cookie_only = present(_ctx(), plain, _account(), cookies_only=True)
    assert cookie_only.query == {} and set(cookie_only.headers) == {"Cookie"}


class _FakeConn:
    """Stands in for the WebSocket transport: serves scripted server frames, keeps sent ones."""

    def __init__(self, frames: list[str]) -> None:
        self.frames = list(frames)
        self.sent: list[str] = []

    async def recv(self) -> str:
        if not self.frames:
            await asyncio.sleep(10)
        return self.frames.pop(0)

    async def send(self, text: str) -> None:
        self.sent.append(text)


def _client(frames: list[str]) -> tuple[SocketIO, _FakeConn]:
    app = SimpleNamespace(base_url="http://127.0.0.1:3000", curl_prefix="curl")
    client = SocketIO.for_path(app, "/socket.io/", label="t")
    conn = _FakeConn(frames)

    async def opened() -> bool:
        client.talk._conn, client.talk.status = conn, 101
        return True

    client.talk.open = opened  # type: ignore[method-assign]
    return client, conn


@pytest.mark.parametrize(
    ("frames", "outcome"),
    [
        (['0{"sid":"e"}', '40{"sid":"n"}'], "accepted"),
        (['0{"sid":"e"}', '44{"message":"unauthorized"}'], "refused"),
        (['0{"sid":"e"}'], "silent"),
    ],
)
def test_namespace_connect_outcomes(frames: list[str], outcome: str) -> None:
    client, conn = _client(frames)
    got = asyncio.run(client.connect({"token": "t"}, wait=0.2))
    assert got == outcome
    assert conn.sent[0] == '40{"token": "t"}'


def test_events_acks_and_pings_are_read_from_the_frames() -> None:
    client, conn = _client(
        [
            '0{"sid":"e"}',
            '40{"sid":"n"}',
            "2",
            '42["message",{"text":"hi-marker"}]',
            '431[{"ok":false}]',
        ]
    )

    async def run() -> None:
        assert await client.connect(None, wait=0.2) == "accepted"
        assert await client.emit("join", {"roomId": 1}) == 1
        await client.listen(0.2)

    asyncio.run(run())
    assert "3" in conn.sent  # the ping was answered
    assert client.events == [("message", [{"text": "hi-marker"}])]
    assert client.acks == {1: [{"ok": False}]}
    assert client.heard("hi-marker") and not client.heard("absent")
    assert conn.sent[-2] == '421["join", {"roomId": 1}]'


def test_transcript_and_replay_name_the_bridge() -> None:
    app = SimpleNamespace(
        base_url="http://127.0.0.1:3000",
        curl_prefix="curl --unix-socket /x/app.sock",
        socket_path="/x/app.sock",
    )
    talk = Talk(app, "/ws?token=t", {"Origin": "https://evil.example"}, "foreign")
    talk.status = 403
    ex = talk.exchange()
    assert ex.url == "ws://127.0.0.1:3000/ws?token=t" and ex.status == 403
    assert ex.curl.startswith("curl --unix-socket /x/app.sock") and "Upgrade: websocket" in ex.curl
    script = talk.replay_script()
    assert "unix_connect('/x/app.sock'" in script
    compile(script, "replay", "exec")


def test_a_cookie_session_gets_a_tampered_cookie_attempt() -> None:
    from harness.probes._realtime_creds import refused_attempts

    acc = Account.fresh("a")
    acc.cookies = {"sessionid": "0123456789abcdef"}
    ep = RealtimeEndpoint(protocol="websocket", path="/ws", library="channels", file="r.py", line=1)
    attempts = dict(refused_attempts(_ctx(), ep, acc))
    assert set(attempts) == {"no credentials", "a tampered session cookie"}
    cookie = attempts["a tampered session cookie"].headers["Cookie"]
    assert cookie.startswith("sessionid=0123456789") and cookie != "sessionid=0123456789abcdef"
    assert attempts["no credentials"].headers == {}


@pytest.mark.parametrize(
    ("resource", "events", "room"),
    [
        ("rooms", [], True),
        ("conversations", [], True),
        ("todos", [], False),  # a todo's id is no room: a public room of that name proves nothing
        ("projects", ["joinProject"], True),
        ("widgets", ["joinWidget"], True),
    ],
)
def test_rooms_are_tried_only_where_a_record_stands_for_one(
    resource: str, events: list[str], room: bool
) -> None:
    from harness.apimodel import Resource
    from harness.probes._realtime_sio import room_resource

    ctx = SimpleNamespace(
        api=ApiModel(
            source="static-routes",
            resources=[Resource(name=resource, collection_path=f"/api/{resource}")],
        )
    )
    ep = RealtimeEndpoint(
        protocol="socketio",
        path="/socket.io/",
        library="socket.io",
        file="s.js",
        line=1,
        join_events=events,
    )
    assert (room_resource(ctx, ep) is not None) is room
