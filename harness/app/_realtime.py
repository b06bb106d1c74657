"""Socket and event-stream servers in the source: ws, socket.io, FastAPI/Starlette WebSockets,
Django Channels, flask-sock, flask-socketio, python-socketio, gorilla/websocket, and SSE routes.

Read as text, per file: where the server listens (its path, socket.io's engine path and
namespaces), where it reads credentials (query, socket.io ``auth`` payload, a header, a cookie),
which events it listens to and which of them join or emit to rooms. The live probes connect with
what this finds; a server found here but not reachable live is reported, never skipped."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from harness.app._deps import requirement_name
from harness.app._files import is_test_path, read_text
from harness.app._js_text import blank_comments, call_end, line_of
from harness.app._model import RealtimeEndpoint, Route
from harness.app._routes import normalise_path

JS_EXT = (".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx")
SOCKETIO_PATH = "/socket.io/"
# socket.io's reserved events: the server's own, not the app's
_RESERVED = {"connect", "connection", "disconnect", "disconnecting", "error", "connect_error"}
_Q = r"""['"`]"""

# ---------------------------------------------------------------------------- credentials
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
_AUTH_PY = (
    (re.compile(r"\bauth(?:\.get\(\s*['\"](\w+)['\"]|\[\s*['\"](\w+)['\"]\])"), "socketio-auth"),
    (
        re.compile(r"query_params\.get\(\s*['\"](\w+)['\"]|query_params\[\s*['\"](\w+)['\"]"),
        "query",
    ),
    (re.compile(r"request\.args\.get\(\s*['\"](\w+)['\"]"), "query"),
    (
        re.compile(r"receive_(?:json|text)\(\)[\s\S]{0,300}?\[?['\"](token|access_token)['\"]"),
        "message",
    ),
    (re.compile(r"\b(token|access_token|jwt)\s*:\s*[\w\[\] |]*=\s*Query\("), "query"),
    (
        re.compile(
            r"headers\.get\(\s*['\"](authorization)['\"]|headers\[\s*b?['\"](authorization)['\"]",
            re.I,
        ),
        "header",
    ),
    (re.compile(r"\bcookies\.get\(\s*['\"](\w+)['\"]|\bcookies\[\s*['\"](\w+)['\"]"), "cookie"),
    (
        re.compile(
            r"\bAuthMiddlewareStack\b|scope\[\s*['\"]user['\"]\s*\]|\bSessionMiddlewareStack\b"
        ),
        "cookie",
    ),
)
_AUTH_GO = (
    (re.compile(r"Query\(\)\.Get\(\s*\"(\w+)\""), "query"),
    (re.compile(r"\.Query\(\s*\"(token|access_token|jwt)\""), "query"),
    (
        re.compile(r"Header\.Get\(\s*\"(Authorization)\"|GetHeader\(\s*\"(Authorization)\"", re.I),
        "header",
    ),
    (re.compile(r"\.Cookie\(\s*\"(\w+)\""), "cookie"),
)
_ORIGIN_JS = re.compile(
    r"\bverifyClient\b|\ballowRequest\b|headers(?:\?\.|\.)origin\b|headers\[\s*['\"]origin['\"]",
    re.I,
)
_ORIGIN_PY = re.compile(
    r"\bAllowedHostsOriginValidator\b|\bOriginValidator\b|headers\.get\(\s*['\"]origin['\"]|cors_allowed_origins\s*=\s*(\[|['\"](?!\*))",
    re.I,
)
# a CheckOrigin that is not ``return true``
_GO_CHECK_ORIGIN = re.compile(
    r"CheckOrigin\s*:\s*func\([^)]*\)\s*bool\s*\{\s*(return\s+true\s*\})?"
)


def _auth(text: str, table: tuple) -> list[str]:
    out: list[str] = []
    for rx, where in table:
        for m in rx.finditer(text):
            name = next((g for g in m.groups() if g), "") if m.groups() else ""
            out.append(f"{where}:{name.lower()}" if name else where)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------- JavaScript
_SOCKETIO_IMPORT = re.compile(
    r"""(?:require\(\s*['"]socket\.io['"]\s*\)|from\s+['"]socket\.io['"])"""
)
_SOCKETIO_SERVER = re.compile(
    r"\bnew\s+(?:Server|SocketIOServer|IOServer|SocketServer)\s*\(|"
    r"require\(\s*['\"]socket\.io['\"]\s*\)\s*\(|\bsocketIo\s*\(|\bsocketio\s*\("
)
_WS_IMPORT = re.compile(r"""(?:require\(\s*['"]ws['"]\s*\)|from\s+['"]ws['"])""")
_WS_SERVER = re.compile(r"\bnew\s+(?:WebSocketServer|WebSocket\.Server|WSServer|Server)\s*\(")
_PATH_OPT = re.compile(r"\bpath\s*:\s*" + r"['\"`]([^'\"`]+)['\"`]")
_NAMESPACE = re.compile(r"\.of\(\s*['\"`](/[^'\"`]*)['\"`]")
_JS_EVENT = re.compile(r"\bsocket\.on\(\s*['\"`]([\w:.\-]+)['\"`]")
_PATHNAME_EQ = re.compile(
    r"pathname\s*={2,3}\s*['\"`](/[^'\"`]*)['\"`]|['\"`](/[^'\"`]*)['\"`]\s*={2,3}\s*pathname"
)
_JOIN_JS = re.compile(r"\.join\(")
# the "/" namespace in use: its connection handler or middleware
_ROOT_USE = re.compile(
    r"\b(?:io|server|socketServer|ioServer)\.(?:on\(\s*['\"]connect|use\(|sockets\.)"
)
_EMIT_ROOM_JS = re.compile(r"\.(?:to|in)\([^)]*\)\s*\.emit\(")


def _js_events(text: str) -> tuple[list[str], list[str], list[str]]:
    """(events, join events, send events) from ``socket.on('name', handler)`` blocks."""
    events, joins, sends = [], [], []
    for m in _JS_EVENT.finditer(text):
        name = m.group(1)
        if name in _RESERVED:
            continue
        body = text[m.end() : call_end(text, text.index("(", m.start()), max_chars=4000)]
        events.append(name)
        if _JOIN_JS.search(body):
            joins.append(name)
        if _EMIT_ROOM_JS.search(body):
            sends.append(name)
    return _uniq(events), _uniq(joins), _uniq(sends)


def _js_file(rel: str, raw: str, routes: list[Route]) -> list[RealtimeEndpoint]:
    text = blank_comments(raw)
    found: list[RealtimeEndpoint] = []
    auth = _auth(text, _AUTH_JS)
    origin = bool(_ORIGIN_JS.search(text))
    if _SOCKETIO_IMPORT.search(text) and (m := _SOCKETIO_SERVER.search(text)):
        opts = text[m.end() : call_end(text, m.end() - 1, max_chars=3000)]
        path = _PATH_OPT.search(opts)
        events, joins, sends = _js_events(text)
        namespaces = _uniq(n for n in _NAMESPACE.findall(text) if n != "/")
        found.append(
            RealtimeEndpoint(
                protocol="socketio",
                path=_slash(path.group(1) if path else SOCKETIO_PATH),
                library="socket.io",
                root_namespace=not namespaces or bool(_ROOT_USE.search(text)),
                file=rel,
                line=line_of(text, m.start()),
                auth=auth,
                namespaces=namespaces,
                events=events,
                join_events=joins,
                send_events=sends,
                origin_check=origin,
            )
        )
    elif _WS_IMPORT.search(text) and (m := _WS_SERVER.search(text)):
        opts = text[m.end() : call_end(text, m.end() - 1, max_chars=3000)]
        path = _PATH_OPT.search(opts)
        paths = [path.group(1)] if path else [a or b for a, b in _PATHNAME_EQ.findall(text)]
        for p in paths or ["/"]:
            found.append(
                RealtimeEndpoint(
                    protocol="websocket",
                    path=normalise_path(p),
                    library="ws",
                    file=rel,
                    line=line_of(text, m.start()),
                    auth=auth,
                    origin_check=origin,
                )
            )
    found += _nest_gateways(rel, text, auth, origin)
    for m in _EXPRESS_WS.finditer(text):
        path = _route_at(routes, line_of(text, m.start())) or normalise_path(m.group(1))
        found.append(
            RealtimeEndpoint(
                protocol="websocket",
                path=path,
                library="express-ws",
                file=rel,
                line=line_of(text, m.start()),
                auth=auth,
                origin_check=origin,
            )
        )
    for m in _FASTIFY_WS.finditer(text):
        path = _route_at(routes, line_of(text, m.start())) or normalise_path(m.group(1))
        found.append(
            RealtimeEndpoint(
                protocol="websocket",
                path=path,
                library="@fastify/websocket",
                file=rel,
                line=line_of(text, m.start()),
                auth=auth,
                origin_check=origin,
            )
        )
    found += _sse(rel, text, routes, auth)
    return found


_EXPRESS_WS = re.compile(r"\b\w+\.ws\(\s*['\"`](/[^'\"`]*)['\"`]")
_FASTIFY_WS = re.compile(
    r"\.(?:get|route)\(\s*['\"`](/[^'\"`]*)['\"`]\s*,\s*\{[^{}]*\bwebsocket\s*:\s*true"
)
_GATEWAY = re.compile(r"@WebSocketGateway\(")
_SUBSCRIBE = re.compile(r"@SubscribeMessage\(\s*['\"`]([\w:.\-]+)['\"`]")
_NEST_NAMESPACE = re.compile(r"\bnamespace\s*:\s*['\"`]/?([^'\"`]*)['\"`]")


def _route_at(routes: list[Route], line: int) -> str | None:
    """The path the route reader gave the declaration on ``line`` (prefixes applied)."""
    return next((r.path for r in routes if r.line == line), None)


def _nest_gateways(rel: str, text: str, auth: list[str], origin: bool) -> list[RealtimeEndpoint]:
    """NestJS ``@WebSocketGateway`` classes: socket.io unless the app uses the ws adapter
    (decided for the whole app in ``find_realtime``)."""
    out: list[RealtimeEndpoint] = []
    for m in _GATEWAY.finditer(text):
        opts = text[m.end() : call_end(text, m.end() - 1, max_chars=3000)]
        ns = _NEST_NAMESPACE.search(opts)
        path = _PATH_OPT.search(opts)
        marks = list(_SUBSCRIBE.finditer(text, m.end()))
        events, joins, sends = [], [], []
        for i, sub in enumerate(marks):
            body = text[sub.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
            events.append(sub.group(1))
            if _JOIN_JS.search(body):
                joins.append(sub.group(1))
            if _EMIT_ROOM_JS.search(body):
                sends.append(sub.group(1))
        namespace = "/" + ns.group(1).strip("/") if ns and ns.group(1).strip("/") else None
        out.append(
            RealtimeEndpoint(
                protocol="socketio",
                path=_slash(path.group(1) if path else SOCKETIO_PATH),
                library="nestjs",
                file=rel,
                line=line_of(text, m.start()),
                auth=auth,
                namespaces=[namespace] if namespace else [],
                root_namespace=namespace is None,
                events=_uniq(events),
                join_events=_uniq(joins),
                send_events=_uniq(sends),
                origin_check=origin,
            )
        )
    return out


# ---------------------------------------------------------------------------- Python
_PY_WS_ROUTE = re.compile(
    r"@(\w+)\.websocket(?:_route)?\(\s*['\"]([^'\"]+)['\"]|"
    r"\bWebSocketRoute\(\s*['\"]([^'\"]+)['\"]|"
    r"\.add_websocket_route\(\s*['\"]([^'\"]+)['\"]"
)
# ``router = APIRouter(prefix="/ws")`` and ``app.include_router(chat.router, prefix="/api")``
_PY_ROUTER_PREFIX = re.compile(r"(\w+)\s*=\s*APIRouter\([^)]*?\bprefix\s*=\s*['\"]([^'\"]*)['\"]")
_PY_INCLUDE = re.compile(
    r"include_router\(\s*(?:(\w+)\.)?(\w+)[^)]*?\bprefix\s*=\s*['\"]([^'\"]*)['\"]"
)
_FLASK_SOCK = re.compile(r"@(\w+)\.route\(\s*['\"]([^'\"]+)['\"]")
_PY_SOCKETIO = re.compile(r"\bSocketIO\(|\bsocketio\.(?:Async)?Server\(")
_PY_SOCKETIO_PATH = re.compile(r"socketio_path\s*=\s*['\"]([^'\"]+)['\"]")
_PY_EVENT = re.compile(
    r"@\w+\.on\(\s*['\"]([\w:.\-]+)['\"]|@\w+\.event\s*\n\s*(?:async\s+)?def\s+(\w+)"
)
_CHANNELS_ROUTE = re.compile(
    r"\b(?:re_)?path\(\s*r?['\"]\^?([^'\"$]+)\$?['\"]\s*,\s*[\w.]+\.as_asgi\("
)
_PY_JOIN = re.compile(r"\bjoin_room\(|\.enter_room\(|group_add\(")
_PY_EMIT_ROOM = re.compile(r"\b(?:to|room)\s*=|group_send\(")


def _py_events(text: str) -> tuple[list[str], list[str], list[str]]:
    events, joins, sends = [], [], []
    marks = list(_PY_EVENT.finditer(text))
    for i, m in enumerate(marks):
        name = m.group(1) or m.group(2)
        if name in _RESERVED:
            continue
        body = text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        events.append(name)
        if _PY_JOIN.search(body):
            joins.append(name)
        if _PY_EMIT_ROOM.search(body):
            sends.append(name)
    return _uniq(events), _uniq(joins), _uniq(sends)


def _py_file(rel: str, text: str, routes: list[Route]) -> list[RealtimeEndpoint]:
    found: list[RealtimeEndpoint] = []
    auth = _auth(text, _AUTH_PY)
    origin = bool(_ORIGIN_PY.search(text))
    prefixes = {v: pre for v, pre in _PY_ROUTER_PREFIX.findall(text)}
    for m in _PY_WS_ROUTE.finditer(text):
        path = m.group(2) or m.group(3) or m.group(4)
        path = prefixes.get(m.group(1) or "", "").rstrip("/") + path
        found.append(
            RealtimeEndpoint(
                protocol="websocket",
                path=normalise_path(path),
                library="fastapi" if "fastapi" in text else "starlette",
                file=rel,
                line=line_of(text, m.start()),
                auth=auth,
                origin_check=origin,
            )
        )
    if re.search(r"\bfrom\s+flask_sock\b|\bimport\s+flask_sock\b", text):
        socks = set(re.findall(r"(\w+)\s*=\s*Sock\(", text))
        for m in _FLASK_SOCK.finditer(text):
            if m.group(1) in socks:
                found.append(
                    RealtimeEndpoint(
                        protocol="websocket",
                        path=normalise_path(m.group(2)),
                        library="flask-sock",
                        file=rel,
                        line=line_of(text, m.start()),
                        auth=auth,
                        origin_check=origin,
                    )
                )
    if (m := _PY_SOCKETIO.search(text)) is not None:
        events, joins, sends = _py_events(text)
        custom = _PY_SOCKETIO_PATH.search(text)
        found.append(
            RealtimeEndpoint(
                protocol="socketio",
                path=_slash(custom.group(1) if custom else SOCKETIO_PATH),
                library="flask-socketio" if "flask_socketio" in text else "python-socketio",
                file=rel,
                line=line_of(text, m.start()),
                auth=auth,
                namespaces=_uniq(
                    n for n in re.findall(r"namespace\s*=\s*['\"](/[^'\"]*)['\"]", text) if n != "/"
                ),
                events=events,
                join_events=joins,
                send_events=sends,
                origin_check=origin,
            )
        )
    if "websocket_urlpatterns" in text or "URLRouter" in text:
        for m in _CHANNELS_ROUTE.finditer(text):
            found.append(
                RealtimeEndpoint(
                    protocol="websocket",
                    path=normalise_path(_django_params(m.group(1))),
                    library="channels",
                    file=rel,
                    line=line_of(text, m.start()),
                    auth=auth,
                    origin_check=origin,
                )
            )
    found += _sse(rel, text, routes, auth)
    return found


def _django_params(path: str) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)


# ---------------------------------------------------------------------------- Go
_GO_UPGRADE = re.compile(r"\.Upgrade\(")
_GO_FUNC = re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(", re.M)


def _go_file(
    rel: str, text: str, routes: list[Route], all_routes: list[Route]
) -> list[RealtimeEndpoint]:
    if (
        "gorilla/websocket" not in text
        and "nhooyr.io/websocket" not in text
        and "coder/websocket" not in text
    ):
        return _sse(rel, text, routes, _auth(text, _AUTH_GO))
    found: list[RealtimeEndpoint] = []
    origin = _GO_CHECK_ORIGIN.search(text)
    checks_origin = origin is not None and origin.group(1) is None
    for m in _GO_UPGRADE.finditer(text):
        func = _enclosing(_GO_FUNC, text, m.start())
        body = _func_text(text, func)
        path = next(
            (r.path for r in all_routes if func and r.handler and r.handler.split(".")[-1] == func),
            None,
        )
        path = path or next(
            (r.path for r in all_routes if re.search(r"\bws\b|socket", r.path)), "/ws"
        )
        found.append(
            RealtimeEndpoint(
                protocol="websocket",
                path=path,
                library="gorilla" if "gorilla/websocket" in text else "websocket",
                file=rel,
                line=line_of(text, m.start()),
                auth=_auth(body or text, _AUTH_GO),
                origin_check=checks_origin,
            )
        )
    return _uniq_endpoints(found) + _sse(rel, text, routes, _auth(text, _AUTH_GO))


def _enclosing(rx: re.Pattern[str], text: str, pos: int) -> str | None:
    name = None
    for m in rx.finditer(text):
        if m.start() > pos:
            break
        name = m.group(1)
    return name


def _func_text(text: str, func: str | None) -> str:
    if not func:
        return ""
    m = re.search(r"^func\s+(?:\([^)]*\)\s*)?" + re.escape(func) + r"\s*\(", text, re.M)
    if not m:
        return ""
    nxt = _GO_FUNC.search(text, m.end())
    return text[m.start() : nxt.start() if nxt else len(text)]


# ---------------------------------------------------------------------------- SSE
_SSE = re.compile(r"text/event-stream|\bEventSourceResponse\b|\bc\.SSEvent\(|\bc\.Stream\(")


def _sse(rel: str, text: str, routes: list[Route], auth: list[str]) -> list[RealtimeEndpoint]:
    """An event stream is served by the route declared nearest above where the stream starts."""
    out: list[RealtimeEndpoint] = []
    for m in _SSE.finditer(text):
        line = line_of(text, m.start())
        above = [r for r in routes if r.line <= line and r.method in ("GET", "ANY")]
        if not above:
            continue
        route = max(above, key=lambda r: r.line)
        out.append(
            RealtimeEndpoint(
                protocol="sse", path=route.path, library="sse", file=rel, line=route.line, auth=auth
            )
        )
    return _uniq_endpoints(out)


# ---------------------------------------------------------------------------- all files
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
            includes += _PY_INCLUDE.findall(text)
        if not text or not _MAYBE.search(text):
            continue
        mine = [r for r in routes if r.file == rel]
        if rel.endswith(JS_EXT):
            found += _js_file(rel, text, mine)
        elif rel.endswith(".py"):
            found += _py_file(rel, text, mine)
        elif rel.endswith(".go"):
            found += _go_file(rel, text, mine, routes)
        if rel.endswith(JS_EXT) and (_JS_EVENT.search(text) or "handshake" in text):
            handlers.append((rel, blank_comments(text)))
        ws_adapter = ws_adapter or "WsAdapter" in text
    _merge_handlers(found, handlers)
    _include_prefixes(found, includes)
    if ws_adapter:  # NestJS with @nestjs/platform-ws: gateways speak plain WebSocket
        for ep in found:
            if ep.library == "nestjs":
                ep.protocol, ep.path = "websocket", ep.path.rstrip("/") or "/"
                if ep.path == SOCKETIO_PATH.rstrip("/"):
                    ep.path = "/"
    return _uniq_endpoints(found)


def _include_prefixes(found: list[RealtimeEndpoint], includes: list[tuple[str, str, str]]) -> None:
    """FastAPI routers mounted with a prefix elsewhere (``include_router(chat.router,
    prefix="/api")``): matched by the module's name, one level deep."""
    for ep in found:
        if ep.library not in ("fastapi", "starlette"):
            continue
        stem = PurePosixPath(ep.file).stem
        for module, _var, prefix in includes:
            if module == stem and prefix:
                ep.path = normalise_path(prefix.rstrip("/") + ep.path)
                break


def _merge_handlers(found: list[RealtimeEndpoint], handlers: list[tuple[str, str]]) -> None:
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
            ep.events = _uniq([*ep.events, *events])
            ep.join_events = _uniq([*ep.join_events, *joins])
            ep.send_events = _uniq([*ep.send_events, *sends])
            ep.auth = _uniq([*ep.auth, *_auth(text, _AUTH_JS)])
            ep.origin_check = ep.origin_check or bool(_ORIGIN_JS.search(text))


_MAYBE = re.compile(
    r"socket|websocket|event-stream|EventSource|SSEvent|c\.Stream\(|URLRouter|Sock\(|"
    r"\.ws\(|handshake|WsAdapter",
    re.I,
)


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


def _slash(path: str) -> str:
    path = normalise_path(path)
    return path if path.endswith("/") else path + "/"


def _uniq(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))


def _uniq_endpoints(items: list[RealtimeEndpoint]) -> list[RealtimeEndpoint]:
    seen: dict[tuple[str, str], RealtimeEndpoint] = {}
    for ep in items:
        seen.setdefault((ep.protocol, ep.path), ep)
    return list(seen.values())
