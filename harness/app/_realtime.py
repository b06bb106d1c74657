"""Socket and event-stream servers in the source: ws, socket.io, FastAPI/Starlette WebSockets,
Django Channels, flask-sock, flask-socketio, python-socketio, gorilla/websocket, and SSE routes.

Read as text, per file: where the server listens (its path, socket.io's engine path and
namespaces), where it reads credentials (query, socket.io ``auth`` payload, a header, a cookie),
which events it listens to and which of them join or emit to rooms. The live probes connect with
what this finds; a server found here but not reachable live is reported, never skipped."""

from __future__ import annotations

import re
from pathlib import Path

from harness.app._deps import requirement_name
from harness.app._files import is_test_path, read_text
from harness.app._js_text import blank_comments
from harness.app._model import RealtimeEndpoint, Route
from harness.app._realtime_common import SOCKETIO_PATH, uniq_endpoints
from harness.app._realtime_go import go_file
from harness.app._realtime_js import JS_EVENT, JS_EXT, js_file, merge_handlers
from harness.app._realtime_py import PY_INCLUDE, include_prefixes, py_file

_MAYBE = re.compile(
    r"socket|websocket|event-stream|EventSource|SSEvent|c\.Stream\(|URLRouter|Sock\(|"
    r"\.ws\(|handshake|WsAdapter",
    re.I,
)


def find_realtime(
    root: Path, source_files: list[str], routes: list[Route]
) -> list[RealtimeEndpoint]:
    """Every socket or event-stream server in the app's sources, in file order."""
    found: list[RealtimeEndpoint] = []
    handlers: list[tuple[str, str]] = []
    includes: list[tuple[str, str, str]] = []
    ws_adapter = False
    for rel in source_files:
        if is_test_path(rel) or rel.endswith((".d.ts", ".min.js")):
            continue
        text = read_text(root / rel)
        if text and rel.endswith(".py") and "include_router" in text:
            includes += PY_INCLUDE.findall(text)
        if not text or not _MAYBE.search(text):
            continue
        mine = [r for r in routes if r.file == rel]
        if rel.endswith(JS_EXT):
            found += js_file(rel, text, mine)
        elif rel.endswith(".py"):
            found += py_file(rel, text, mine)
        elif rel.endswith(".go"):
            found += go_file(rel, text, mine, routes)
        if rel.endswith(JS_EXT) and (JS_EVENT.search(text) or "handshake" in text):
            handlers.append((rel, blank_comments(text)))
        ws_adapter = ws_adapter or "WsAdapter" in text
    merge_handlers(found, handlers)
    include_prefixes(found, includes)
    if ws_adapter:  # NestJS with @nestjs/platform-ws: gateways speak plain WebSocket
        for ep in found:
            if ep.library == "nestjs":
                ep.protocol, ep.path = "websocket", ep.path.rstrip("/") or "/"
                if ep.path == SOCKETIO_PATH.rstrip("/"):
                    ep.path = "/"
    return uniq_endpoints(found)


# dependencies that serve sockets or event streams: an app with one and no server found is a
# blind spot of discovery, not an app without sockets
SOCKET_PACKAGES = {
    "ws",
    "socket.io",
    "express-ws",
    "@fastify/websocket",
    "@nestjs/websockets",
    "@nestjs/platform-socket.io",
    "sse-starlette",
    "channels",
    "flask-sock",
    "flask-socketio",
    "python-socketio",
    "github.com/gorilla/websocket",
    "nhooyr.io/websocket",
    "github.com/coder/websocket",
}


def socket_packages(dependencies: list[str]) -> list[str]:
    """The socket-serving packages among ``dependencies`` (npm names, requirement lines, Go
    module paths)."""
    found = set()
    for dep in dependencies:
        dep = dep.strip()
        name = dep if dep.startswith("@") or "/" in dep else requirement_name(dep) or dep
        name = name.split()[0].lower()
        if name in SOCKET_PACKAGES:
            found.add(name)
    return sorted(found)
