"""Socket servers in Python: FastAPI/Starlette websocket routes (router prefixes included),
flask-sock, flask-socketio and python-socketio, Django Channels routing."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from harness.app._model import RealtimeEndpoint, Route
from harness.app._realtime_common import (
    SOCKETIO_PATH,
    SourceFile,
    auth_reads,
    bodies_until_next,
    event_roles,
    sse_endpoints,
    uniq,
)
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
# a CheckOrigin that is not ``return true``


_PY_WS_ROUTE = re.compile(
    r"@(\w+)\.websocket(?:_route)?\(\s*['\"]([^'\"]+)['\"]|"
    r"\bWebSocketRoute\(\s*['\"]([^'\"]+)['\"]|"
    r"\.add_websocket_route\(\s*['\"]([^'\"]+)['\"]"
)
# ``router = APIRouter(prefix="/ws")`` and ``app.include_router(chat.router, prefix="/api")``


# ``router = APIRouter(prefix="/ws")`` and ``app.include_router(chat.router, prefix="/api")``
_PY_ROUTER_PREFIX = re.compile(r"(\w+)\s*=\s*APIRouter\([^)]*?\bprefix\s*=\s*['\"]([^'\"]*)['\"]")


PY_INCLUDE = re.compile(
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


def py_file(rel: str, text: str, routes: list[Route]) -> list[RealtimeEndpoint]:
    src = SourceFile(rel, text, auth_reads(text, _AUTH_PY), bool(_ORIGIN_PY.search(text)))
    found: list[RealtimeEndpoint] = []
    prefixes = {v: pre for v, pre in _PY_ROUTER_PREFIX.findall(text)}
    for m in _PY_WS_ROUTE.finditer(text):
        path = m.group(2) or m.group(3) or m.group(4)
        path = prefixes.get(m.group(1) or "", "").rstrip("/") + path
        library = "fastapi" if "fastapi" in text else "starlette"
        found.append(src.websocket(normalise_path(path), library, m.start()))
    if re.search(r"\bfrom\s+flask_sock\b|\bimport\s+flask_sock\b", text):
        socks = set(re.findall(r"(\w+)\s*=\s*Sock\(", text))
        for m in _FLASK_SOCK.finditer(text):
            if m.group(1) in socks:
                found.append(src.websocket(normalise_path(m.group(2)), "flask-sock", m.start()))
    if (m := _PY_SOCKETIO.search(text)) is not None:
        custom = _PY_SOCKETIO_PATH.search(text)
        roles = event_roles(
            bodies_until_next(text, list(_PY_EVENT.finditer(text))), _PY_JOIN, _PY_EMIT_ROOM
        )
        namespaces = uniq(
            n for n in re.findall(r"namespace\s*=\s*['\"](/[^'\"]*)['\"]", text) if n != "/"
        )
        library = "flask-socketio" if "flask_socketio" in text else "python-socketio"
        path = custom.group(1) if custom else SOCKETIO_PATH
        found.append(src.socketio(path, library, m.start(), roles, namespaces))
    if "websocket_urlpatterns" in text or "URLRouter" in text:
        for m in _CHANNELS_ROUTE.finditer(text):
            path = normalise_path(_django_params(m.group(1)))
            found.append(src.websocket(path, "channels", m.start()))
    found += sse_endpoints(rel, text, routes, src.auth)
    return found


def _django_params(path: str) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)


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
