"""Socket servers in Python: FastAPI/Starlette websocket routes (router prefixes included),
flask-sock, flask-socketio and python-socketio, Django Channels routing."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from harness.app import _realtime_common as common
from harness.app._model import RealtimeEndpoint, Route
from harness.app._routes import normalise_path

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


_ORIGIN_PY = re.compile(
    r"\bAllowedHostsOriginValidator\b|\bOriginValidator\b|headers\.get\(\s*['\"]origin['\"]|cors_allowed_origins\s*=\s*(\[|['\"](?!\*))",
    re.I,
)


def py_file(rel: str, text: str, routes: list[Route]) -> list[RealtimeEndpoint]:
    """The socket and event-stream servers one Python file declares."""
    src = common.SourceFile(
        rel, text, common.auth_reads(text, _AUTH_PY), bool(_ORIGIN_PY.search(text))
    )
    found = [*_starlette(src), *_flask_sock(src), *_python_socketio(src), *_channels(src)]
    return found + common.sse_endpoints(rel, text, routes, src.auth)


# ``router = APIRouter(prefix="/ws")``
_PY_ROUTER_PREFIX = re.compile(r"(\w+)\s*=\s*APIRouter\([^)]*?\bprefix\s*=\s*['\"]([^'\"]*)['\"]")
_PY_WS_ROUTE = re.compile(
    r"@(\w+)\.websocket(?:_route)?\(\s*['\"]([^'\"]+)['\"]|"
    r"\bWebSocketRoute\(\s*['\"]([^'\"]+)['\"]|"
    r"\.add_websocket_route\(\s*['\"]([^'\"]+)['\"]"
)


def _starlette(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """FastAPI/Starlette websocket routes, with the prefix of the router they hang on."""
    text = src.text
    prefixes = {v: pre for v, pre in _PY_ROUTER_PREFIX.findall(text)}
    library = "fastapi" if "fastapi" in text else "starlette"
    found: list[RealtimeEndpoint] = []
    for m in _PY_WS_ROUTE.finditer(text):
        path = m.group(2) or m.group(3) or m.group(4)
        path = prefixes.get(m.group(1) or "", "").rstrip("/") + path
        found.append(src.websocket(normalise_path(path), library, m.start()))
    return found


_FLASK_SOCK = re.compile(r"@(\w+)\.route\(\s*['\"]([^'\"]+)['\"]")


def _flask_sock(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """flask-sock: the routes of a ``Sock(app)`` object."""
    text = src.text
    if not re.search(r"\bfrom\s+flask_sock\b|\bimport\s+flask_sock\b", text):
        return []
    socks = set(re.findall(r"(\w+)\s*=\s*Sock\(", text))
    return [
        src.websocket(normalise_path(m.group(2)), "flask-sock", m.start())
        for m in _FLASK_SOCK.finditer(text)
        if m.group(1) in socks
    ]


_PY_SOCKETIO = re.compile(r"\bSocketIO\(|\bsocketio\.(?:Async)?Server\(")
_PY_SOCKETIO_PATH = re.compile(r"socketio_path\s*=\s*['\"]([^'\"]+)['\"]")
_PY_EVENT = re.compile(
    r"@\w+\.on\(\s*['\"]([\w:.\-]+)['\"]|@\w+\.event\s*\n\s*(?:async\s+)?def\s+(\w+)"
)
# handlers that join a room, and ones that send to a room (Channels groups included)
_PY_ROOM_ROLES = (
    re.compile(r"\bjoin_room\(|\.enter_room\(|group_add\("),
    re.compile(r"\b(?:to|room)\s*=|group_send\("),
)


def _python_socketio(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """flask-socketio and python-socketio: one server, its events and namespaces."""
    text = src.text
    m = _PY_SOCKETIO.search(text)
    if m is None:
        return []
    custom = _PY_SOCKETIO_PATH.search(text)
    handlers = common.bodies_until_next(text, list(_PY_EVENT.finditer(text)))
    roles = common.event_roles(handlers, *_PY_ROOM_ROLES)
    namespaces = common.uniq(
        n for n in re.findall(r"namespace\s*=\s*['\"](/[^'\"]*)['\"]", text) if n != "/"
    )
    library = "flask-socketio" if "flask_socketio" in text else "python-socketio"
    path = custom.group(1) if custom else common.SOCKETIO_PATH
    return [src.socketio(path, library, m.start(), roles, namespaces)]


_CHANNELS_ROUTE = re.compile(
    r"\b(?:re_)?path\(\s*r?['\"]\^?([^'\"$]+)\$?['\"]\s*,\s*[\w.]+\.as_asgi\("
)


def _channels(src: common.SourceFile) -> list[RealtimeEndpoint]:
    """Django Channels: the consumers of its websocket URL patterns."""
    text = src.text
    if "websocket_urlpatterns" not in text and "URLRouter" not in text:
        return []
    return [
        src.websocket(normalise_path(_django_params(m.group(1))), "channels", m.start())
        for m in _CHANNELS_ROUTE.finditer(text)
    ]


def _django_params(path: str) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)


# ``app.include_router(chat.router, prefix="/api")``: (module, router variable, prefix)
PY_INCLUDE = re.compile(
    r"include_router\(\s*(?:(\w+)\.)?(\w+)[^)]*?\bprefix\s*=\s*['\"]([^'\"]*)['\"]"
)


def include_prefixes(found: list[RealtimeEndpoint], includes: list[tuple[str, str, str]]) -> None:
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
