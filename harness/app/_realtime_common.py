"""What the socket readers of every language share: where credentials are read (a table of
patterns per language, read the same way), event-stream routes, path and list helpers."""

from __future__ import annotations

import re

from harness.app._js_text import line_of
from harness.app._model import RealtimeEndpoint, Route
from harness.app._routes import normalise_path

SOCKETIO_PATH = "/socket.io/"
# socket.io's reserved events: the server's own, not the app's


# socket.io's reserved events: the server's own, not the app's
RESERVED_EVENTS = {"connect", "connection", "disconnect", "disconnecting", "error", "connect_error"}


def auth_reads(text: str, table: tuple) -> list[str]:
    out: list[str] = []
    for rx, where in table:
        for m in rx.finditer(text):
            name = next((g for g in m.groups() if g), "") if m.groups() else ""
            out.append(f"{where}:{name.lower()}" if name else where)
    return list(dict.fromkeys(out))


_SSE = re.compile(r"text/event-stream|\bEventSourceResponse\b|\bc\.SSEvent\(|\bc\.Stream\(")


def sse_endpoints(
    rel: str, text: str, routes: list[Route], auth: list[str]
) -> list[RealtimeEndpoint]:
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
    return uniq_endpoints(out)


def engine_path(path: str) -> str:
    path = normalise_path(path)
    return path if path.endswith("/") else path + "/"


def uniq(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))


def uniq_endpoints(items: list[RealtimeEndpoint]) -> list[RealtimeEndpoint]:
    seen: dict[tuple[str, str], RealtimeEndpoint] = {}
    for ep in items:
        seen.setdefault((ep.protocol, ep.path), ep)
    return list(seen.values())
