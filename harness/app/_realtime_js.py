"""Socket servers in JavaScript/TypeScript: ws, socket.io (path, namespaces, events, rooms,
handlers in other modules), NestJS gateways, express-ws, @fastify/websocket."""

from __future__ import annotations

import re

from harness.app import _realtime_common as common
from harness.app._js_text import blank_comments, call_end, line_of
from harness.app._model import RealtimeEndpoint, Route
from harness.app._routes import normalise_path

JS_EXT = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx")


_WHOLE_HEADERS = re.compile(r"\(\s*(?:socket\.|info\.)?(?:handshake|req)\.headers\s*\)")
# a token read from a message (``{"type": "auth", "token": ...}`` sent after the handshake)
_FIRST_MESSAGE = re.compile(
    r"\b(?:msg|data|message|payload|parsed|packet|body)\.token\b|"
    r"\btype\s*===?\s*['\"](?:auth|authenticate|login)['\"]"
)


_AUTH_JS = (
    (
        re.compile(r"handshake\.auth(?:\s*(?:\?\.|\.)\s*(\w+)|\[\s*['\"](\w+)['\"]\s*\])?"),
        "socketio-auth",
    ),
    (re.compile(r"handshake\.query(?:\s*(?:\?\.|\.)\s*(\w+))?"), "query"),
    (re.compile(r"searchParams\.get\(\s*['\"](\w+)['\"]"), "query"),
    (re.compile(r"\bquery(?:\?\.|\.)(token|access_token|jwt|auth)\b"), "query"),
    (
        re.compile(
            r"headers(?:\?\.|\.)(authorization)\b|headers\[\s*['\"](authorization)['\"]", re.I
        ),
        "header",
    ),
    (
        re.compile(
            r"headers(?:\?\.|\.)cookie\b|headers\[\s*['\"]cookie['\"]|\bcookie\.parse\(|\bparseCookie",
            re.I,
        ),
        "cookie",
    ),
    (re.compile(r"sec-websocket-protocol", re.I), "subprotocol"),
    (_FIRST_MESSAGE, "message:token"),
    # the whole header set handed to a helper (tokenFrom(socket.handshake.headers)): it reads
    # the Authorization header or the cookie, which of them the probe cannot tell
    (_WHOLE_HEADERS, "header:authorization"),
    (_WHOLE_HEADERS, "cookie"),
)


_ORIGIN_JS = re.compile(
    r"\bverifyClient\b|\ballowRequest\b|headers(?:\?\.|\.)origin\b|headers\[\s*['\"]origin['\"]",
    re.I,
)
# the ``path`` option of a server's constructor
_PATH_OPT = re.compile(r"\bpath\s*:\s*" + r"['\"`]([^'\"`]+)['\"`]")
JS_EVENT = re.compile(r"\bsocket\.on\(\s*['\"`]([\w:.\-]+)['\"`]")
# handlers that join a room, and ones that emit to a room
_JS_ROOM_ROLES = (re.compile(r"\.join\("), re.compile(r"\.(?:to|in)\([^)]*\)\s*\.emit\("))
# the "/" namespace in use: its connection handler or middleware
_ROOT_USE = re.compile(
    r"\b(?:io|server|socketServer|ioServer)\.(?:on\(\s*['\"]connect|use\(|sockets\.)"
)
# websocket routes of the HTTP framework: (pattern, library)
_ROUTE_SOCKETS = (
    (re.compile(r"\b\w+\.ws\(\s*['\"`](/[^'\"`]*)['\"`]"), "express-ws"),
    (
        re.compile(
            r"\.(?:get|route)\(\s*['\"`](/[^'\"`]*)['\"`]\s*,\s*\{[^{}]*\bwebsocket\s*:\s*true"
        ),
        "@fastify/websocket",
    ),
)


def _js_events(text: str) -> tuple[list[str], list[str], list[str]]:
    """(events, join events, send events) from ``socket.on('name', handler)`` blocks."""
    handlers = (
        (m.group(1), text[m.end() : call_end(text, text.index("(", m.start()), max_chars=4000)])
        for m in JS_EVENT.finditer(text)
    )
    return common.event_roles(handlers, *_JS_ROOM_ROLES)


def js_file(rel: str, raw: str, routes: list[Route]) -> list[RealtimeEndpoint]:
    text = blank_comments(raw)
    src = common.SourceFile(
        rel, text, common.auth_reads(text, _AUTH_JS), bool(_ORIGIN_JS.search(text))
    )
    found = _socketio_server(src) or _ws_server(src)
    found += _nest_gateways(src)
    for rx, library in _ROUTE_SOCKETS:
        for m in rx.finditer(text):
            at = line_of(text, m.start())
            path = _route_at(routes, at) or normalise_path(m.group(1))
            found.append(src.websocket(path, library, m.start()))
    found += common.sse_endpoints(rel, text, routes, src.auth)
    return found


def _route_at(routes: list[Route], line: int) -> str | None:
    """The path the route reader gave the declaration on ``line`` (prefixes applied)."""
    return next((r.path for r in routes if r.line == line), None)


def _constructor_path(text: str, server: re.Match[str]) -> str | None:
    """The ``path`` option given to the server constructor that ``server`` matched."""
    path = _PATH_OPT.search(text[server.end() : call_end(text, server.end() - 1, max_chars=3000)])
    return path.group(1) if path else None


_SOCKETIO_IMPORT = re.compile(
    r"""(?:require\(\s*['"]socket\.io['"]\s*\)|from\s+['"]socket\.io['"])"""
)
_SOCKETIO_SERVER = re.compile(
    r"\bnew\s+(?:Server|SocketIOServer|IOServer|SocketServer)\s*\(|"
    r"require\(\s*['\"]socket\.io['\"]\s*\)\s*\(|\bsocketIo\s*\(|\bsocketio\s*\("
)
_NAMESPACE = re.compile(r"\.of\(\s*['\"`](/[^'\"`]*)['\"`]")


def _socketio_server(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """A socket.io server: its engine path, namespaces and events."""
    text = src.text
    m = _SOCKETIO_SERVER.search(text) if _SOCKETIO_IMPORT.search(text) else None
    if m is None:
        return []
    namespaces = common.uniq(n for n in _NAMESPACE.findall(text) if n != "/")
    root = not namespaces or bool(_ROOT_USE.search(text))
    path = _constructor_path(text, m) or common.SOCKETIO_PATH
    return [src.socketio(path, "socket.io", m.start(), _js_events(text), namespaces, root)]


_WS_IMPORT = re.compile(r"""(?:require\(\s*['"]ws['"]\s*\)|from\s+['"]ws['"])""")
_WS_SERVER = re.compile(r"\bnew\s+(?:WebSocketServer|WebSocket\.Server|WSServer|Server)\s*\(")
# a server without a path that tells requests apart by ``pathname`` in its upgrade handler
_PATHNAME_EQ = re.compile(
    r"pathname\s*={2,3}\s*['\"`](/[^'\"`]*)['\"`]|['\"`](/[^'\"`]*)['\"`]\s*={2,3}\s*pathname"
)


def _ws_server(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """A ``ws`` server: its path option, else the paths its upgrade handler compares."""
    text = src.text
    m = _WS_SERVER.search(text) if _WS_IMPORT.search(text) else None
    if m is None:
        return []
    path = _constructor_path(text, m)
    paths = [path] if path else [a or b for a, b in _PATHNAME_EQ.findall(text)]
    return [src.websocket(normalise_path(p), "ws", m.start()) for p in paths or ["/"]]


_GATEWAY = re.compile(r"@WebSocketGateway\(")
_SUBSCRIBE = re.compile(r"@SubscribeMessage\(\s*['\"`]([\w:.\-]+)['\"`]")
_NEST_NAMESPACE = re.compile(r"\bnamespace\s*:\s*['\"`]/?([^'\"`]*)['\"`]")


def _nest_gateways(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """NestJS ``@WebSocketGateway`` classes: socket.io unless the app uses the ws adapter
    (decided for the whole app in ``find_realtime``)."""
    out: list[RealtimeEndpoint] = []
    text = src.text
    for m in _GATEWAY.finditer(text):
        opts = text[m.end() : call_end(text, m.end() - 1, max_chars=3000)]
        ns = _NEST_NAMESPACE.search(opts)
        path = _PATH_OPT.search(opts)
        handlers = common.bodies_until_next(text, list(_SUBSCRIBE.finditer(text, m.end())))
        roles = common.event_roles(handlers, *_JS_ROOM_ROLES, skip=())
        namespace = "/" + ns.group(1).strip("/") if ns and ns.group(1).strip("/") else None
        out.append(
            src.socketio(
                path.group(1) if path else common.SOCKETIO_PATH,
                "nestjs",
                m.start(),
                roles,
                [namespace] if namespace else [],
                root_namespace=namespace is None,
            )
        )
    return out


def merge_handlers(found: list[RealtimeEndpoint], handlers: list[tuple[str, str]]) -> None:
    """socket.io handlers often live in modules of their own (``sockets/chat.js``): their
    events and credential reads belong to the server created elsewhere."""
    for ep in found:
        if ep.library not in ("socket.io", "nestjs"):
            continue
        for rel, text in handlers:
            if rel == ep.file:
                continue
            ep.root_namespace = ep.root_namespace or bool(_ROOT_USE.search(text))
            events, joins, sends = _js_events(text)
            ep.events = common.uniq([*ep.events, *events])
            ep.join_events = common.uniq([*ep.join_events, *joins])
            ep.send_events = common.uniq([*ep.send_events, *sends])
            ep.auth = common.uniq([*ep.auth, *common.auth_reads(text, _AUTH_JS)])
            ep.origin_check = ep.origin_check or bool(_ORIGIN_JS.search(text))
