"""What the socket readers of every language share: where credentials are read (a table of
patterns per language, read the same way), event-stream routes, path and list helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from harness.app._js_text import line_of
from harness.app._model import RealtimeEndpoint, Route
from harness.app._routes import normalise_path

SOCKETIO_PATH = "/socket.io/"
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


def event_roles(
    handlers: Iterable[tuple[str, str]],
    join: re.Pattern[str],
    send: re.Pattern[str],
    skip: Iterable[str] = RESERVED_EVENTS,
) -> tuple[list[str], list[str], list[str]]:
    """(events, join events, send events) from (event name, handler body) pairs: a handler
    that joins a room, one that sends to a room."""
    events, joins, sends = [], [], []
    for name, body in handlers:
        if name in skip:
            continue
        events.append(name)
        if join.search(body):
            joins.append(name)
        if send.search(body):
            sends.append(name)
    return uniq(events), uniq(joins), uniq(sends)


def bodies_until_next(text: str, marks: list[re.Match[str]]) -> Iterator[tuple[str, str]]:
    """(first named group, text up to the next mark) for handlers declared one after another."""
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        yield next(g for g in m.groups() if g), text[m.end() : end]


@dataclass
class SourceFile:
    """One file being read: its credential reads and origin check hold for every endpoint it
    declares, so each endpoint is built from the file and what is particular to it."""

    rel: str
    text: str
    auth: list[str]
    origin: bool

    def websocket(self, path: str, library: str, at: int) -> RealtimeEndpoint:
        return RealtimeEndpoint(
            protocol="websocket",
            path=path,
            library=library,
            file=self.rel,
            line=line_of(self.text, at),
            auth=self.auth,
            origin_check=self.origin,
        )

    def socketio(
        self,
        path: str,
        library: str,
        at: int,
        roles: tuple[list[str], list[str], list[str]],
        namespaces: list[str],
        root_namespace: bool = True,
    ) -> RealtimeEndpoint:
        events, joins, sends = roles
        return RealtimeEndpoint(
            protocol="socketio",
            path=engine_path(path),
            library=library,
            file=self.rel,
            line=line_of(self.text, at),
            auth=self.auth,
            namespaces=namespaces,
            root_namespace=root_namespace,
            events=events,
            join_events=joins,
            send_events=sends,
            origin_check=self.origin,
        )


def uniq(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))


def uniq_endpoints(items: list[RealtimeEndpoint]) -> list[RealtimeEndpoint]:
    seen: dict[tuple[str, str], RealtimeEndpoint] = {}
    for ep in items:
        seen.setdefault((ep.protocol, ep.path), ep)
    return list(seen.values())
