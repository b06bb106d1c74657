"""Talking to the app's socket servers the way its clients would, with a transcript.

A WebSocket connection goes where the HTTP client goes: over the sandbox's unix-socket bridge
when the app runs in one (the bridge pumps bytes, so the upgrade passes through), else to the
app's loopback port. Socket.IO is spoken as Engine.IO v4 over that WebSocket (``0`` open,
``40`` namespace connect with the ``auth`` payload, ``42`` events, ``43`` acks, ``44`` connect
errors, ``2``/``3`` ping and pong), so no second client library is needed. Every frame is kept
with its time; the transcript becomes evidence with a small Python script that replays it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
import time
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

from harness.scorecard import Exchange

try:  # the client library is an optional dependency until installed everywhere
    from websockets.asyncio.client import connect, unix_connect
    from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
except ImportError:  # pragma: no cover - exercised where websockets is absent
    connect = unix_connect = None  # type: ignore[assignment]

OPEN_TIMEOUT = 5.0
MAX_FRAMES = 60
FRAME_EXCERPT = 600
Outcome = Literal["accepted", "refused", "closed", "silent", "error"]


def client_available() -> str:
    """'' when the WebSocket client library is importable, else what to install."""
    return "" if connect is not None else "the Python package 'websockets' is not installed"


@dataclass
class Frame:
    way: Literal[">", "<"]
    at_ms: float
    text: str


@dataclass
class Talk:
    """One WebSocket connection to the app and everything said on it."""

    app: Any
    path: str  # path and query
    headers: dict[str, str] = field(default_factory=dict)
    label: str = ""
    status: int | None = None  # 101 when upgraded
    frames: list[Frame] = field(default_factory=list)
    closed: str | None = None  # close code and reason, when the server closed
    error: str | None = None
    response_body: str = ""
    _conn: Any = None
    _t0: float = 0.0

    @property
    def url(self) -> str:
        base = self.app.base_url.rstrip("/").replace("http://", "ws://", 1)
        return base.replace("https://", "wss://", 1) + self.path

    async def open(self) -> bool:
        """The handshake; True when upgraded. A refusal is recorded, never raised."""
        self._t0 = time.perf_counter()
        kwargs: dict[str, Any] = {
            "additional_headers": self.headers,
            "open_timeout": OPEN_TIMEOUT,
            "close_timeout": 1.0,
            "proxy": None,
            "ping_interval": None,
            "compression": None,
            "max_size": 2**20,
        }
        sock = getattr(self.app, "socket_path", None)
        try:
            if sock is not None:
                self._conn = await unix_connect(str(sock), self.url, **kwargs)
            else:
                self._conn = await connect(self.url, **kwargs)
        except InvalidStatus as exc:
            self.status = exc.response.status_code
            self.response_body = bytes(exc.response.body or b"")[:FRAME_EXCERPT].decode(
                "utf-8", "replace"
            )
            return False
        except (WebSocketException, OSError, TimeoutError) as exc:
            self.error = f"{type(exc).__name__}: {exc}"[:300]
            return False
        self.status = 101
        return True

    async def send(self, text: str) -> None:
        if self._conn is None or self.closed:
            return
        self._log(">", text)
        try:
            await self._conn.send(text)
        except ConnectionClosed as exc:
            self._closed(exc)

    async def receive(self, seconds: float, *, until: Any = None) -> list[str]:
        """Frames received within ``seconds`` (or until ``until(text)`` is true)."""
        got: list[str] = []
        deadline = time.perf_counter() + seconds
        while self._conn is not None and not self.closed:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            try:
                msg = await asyncio.wait_for(self._conn.recv(), left)
            except TimeoutError:
                break
            except ConnectionClosed as exc:
                self._closed(exc)
                break
            text = msg if isinstance(msg, str) else msg.decode("utf-8", "replace")
            self._log("<", text)
            got.append(text)
            if until is not None and until(text):
                break
        return got

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(TimeoutError, WebSocketException, OSError):
                await asyncio.wait_for(self._conn.close(), 2.0)

    def received(self) -> list[str]:
        return [f.text for f in self.frames if f.way == "<"]

    def _log(self, way: Literal[">", "<"], text: str) -> None:
        if len(self.frames) < MAX_FRAMES:
            at = round((time.perf_counter() - self._t0) * 1000, 1)
            self.frames.append(Frame(way, at, text[:FRAME_EXCERPT]))

    def _closed(self, exc: Any) -> None:
        rcvd = getattr(exc, "rcvd", None)
        self.closed = f"{rcvd.code} {rcvd.reason}".strip() if rcvd is not None else "closed"

    # -------------------------------------------------------------- evidence
    def transcript(self) -> str:
        head = f"handshake {self.status or 'failed'}"
        if self.error:
            head += f" ({self.error})"
        lines = [head] + [f"{f.way} [{f.at_ms:.0f} ms] {f.text}" for f in self.frames]
        if self.response_body:
            lines.append(f"refusal body: {self.response_body}")
        if self.closed:
            lines.append(f"closed by the server: {self.closed}")
        return "\n".join(lines)

    def exchange(self) -> Exchange:
        """The handshake as an HTTP exchange (the curl line reproduces it) with the frames."""
        prefix = getattr(self.app, "curl_prefix", "curl") or "curl"
        http_url = self.app.base_url.rstrip("/") + self.path
        parts = [prefix, "-sS", "-i", "-N", "--max-time", "3", shlex.quote(http_url)]
        upgrade = {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "aGFybmVzcy1wcm9iZS0xNg==",
            **self.headers,
        }
        for key, value in upgrade.items():
            parts += ["-H", shlex.quote(f"{key}: {value}")]
        return Exchange(
            method="GET",
            url=self.url,
            curl=" ".join(parts),
            request_headers=dict(self.headers),
            status=self.status,
            body_excerpt=self.transcript()[:2048],
            error=self.error,
        )

    def replay_script(self) -> str:
        """A Python script (``pip install websockets``) that says the same frames again."""
        sent = [(round(f.at_ms / 1000, 2), f.text) for f in self.frames if f.way == ">"]
        end = round(max([f.at_ms for f in self.frames] or [0.0]) / 1000 + 1.0, 2)
        sock = getattr(self.app, "socket_path", None)
        opener = (
            f"unix_connect({str(sock)!r}, URL, additional_headers=HEADERS, proxy=None)"
            if sock is not None
            else "connect(URL, additional_headers=HEADERS, proxy=None)"
        )
        return "\n".join(
            [
                f"# replays: {self.label} (pip install websockets)",
                "import time",
                "from websockets.sync.client import connect, unix_connect",
                f"URL = {self.url!r}",
                f"HEADERS = {self.headers!r}",
                f"SENT = {sent!r}",
                f"with {opener} as ws:",
                "    t0 = time.monotonic()",
                f"    for at, text in SENT + [({end}, None)]:",
                "        while (left := at - (time.monotonic() - t0)) > 0:",
                "            try:",
                "                print('<', ws.recv(timeout=left))",
                "            except TimeoutError:",
                "                break",
                "        if text is not None:",
                "            print('>', text)",
                "            ws.send(text)",
            ]
        )


def evidence_data(talk: Talk) -> dict[str, Any]:
    return {"transcript": talk.transcript(), "replay": talk.replay_script()}


# ---------------------------------------------------------------------------- Socket.IO


@dataclass
class SocketIO:
    """A Socket.IO client (namespace "/" unless told) over one WebSocket ``Talk``."""

    talk: Talk
    namespace: str = "/"
    sid: str | None = None
    refused: str | None = None  # the server's connect_error message, or why the socket ended
    events: list[tuple[str, list[Any]]] = field(default_factory=list)
    acks: dict[int, list[Any]] = field(default_factory=dict)
    _next_ack: int = 1

    @classmethod
    def for_path(
        cls,
        app: Any,
        engine_path: str,
        *,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        label: str = "",
        namespace: str = "/",
        eio: str = "4",
    ) -> SocketIO:
        params = {"EIO": eio, "transport": "websocket", **(query or {})}
        path = engine_path.rstrip("/") + "/?" + urlencode(params)
        return cls(Talk(app, path, dict(headers or {}), label), namespace)

    def _ns(self) -> str:
        return "" if self.namespace == "/" else self.namespace + ","

    async def connect(self, auth: dict[str, Any] | None, wait: float = 3.0) -> Outcome:
        """Handshake, Engine.IO open, namespace connect with ``auth``; the outcome."""
        if not await self.talk.open():
            return "refused" if self.talk.status else "error"
        opened = await self.talk.receive(wait, until=lambda t: t.startswith("0"))
        if not any(t.startswith("0") for t in opened):
            return "closed" if self.talk.closed else "silent"
        packet = "40" + self._ns() + (json.dumps(auth) if auth else "")
        await self.talk.send(packet)
        deadline = time.perf_counter() + wait
        while time.perf_counter() < deadline and not self.talk.closed:
            for text in await self.talk.receive(deadline - time.perf_counter(), until=_is_ns):
                await self._absorb(text)
            if self.sid or self.refused:
                break
        if self.sid:
            return "accepted"
        if self.refused:
            return "refused"
        return "closed" if self.talk.closed else "silent"

    async def emit(self, event: str, *args: Any, ack: bool = True) -> int | None:
        ack_id = None
        head = "42" + self._ns()
        if ack:
            ack_id = self._next_ack
            self._next_ack += 1
            head += str(ack_id)
        await self.talk.send(head + json.dumps([event, *args]))
        return ack_id

    async def listen(self, seconds: float) -> None:
        """Take in whatever arrives for ``seconds`` (answering pings)."""
        for text in await self.talk.receive(seconds):
            await self._absorb(text)

    def heard(self, marker: str) -> bool:
        """Whether an event or ack carried ``marker``."""
        blobs = [json.dumps(a) for _, a in self.events] + [
            json.dumps(a) for a in self.acks.values()
        ]
        return any(marker in b for b in blobs)

    async def _absorb(self, text: str) -> None:
        if text == "2":
            await self.talk.send("3")
            return
        if text.startswith("1"):
            self.refused = self.refused or "the server closed the Engine.IO session"
            return
        if not text.startswith("4"):
            return
        kind, rest = text[1:2], text[2:]
        if self.namespace != "/" and rest.startswith(self.namespace):
            rest = rest[len(self.namespace) :].lstrip(",")
        if kind == "0":
            try:
                self.sid = json.loads(rest or "{}").get("sid") or "?"
            except (ValueError, AttributeError):
                self.sid = "?"
        elif kind == "4":
            self.refused = rest or "connect_error"
        elif kind == "1":
            self.refused = self.refused or "the server disconnected the socket"
        elif kind in ("2", "3"):
            digits = ""
            while rest[: len(digits) + 1].isdigit() and len(digits) < 9:
                digits = rest[: len(digits) + 1]
            try:
                payload = json.loads(rest[len(digits) :])
            except ValueError:
                return
            if kind == "3" and digits:
                self.acks[int(digits)] = payload if isinstance(payload, list) else [payload]
            elif kind == "2" and isinstance(payload, list) and payload:
                self.events.append((str(payload[0]), payload[1:]))


def _is_ns(text: str) -> bool:
    return text.startswith(("40", "44", "41"))
