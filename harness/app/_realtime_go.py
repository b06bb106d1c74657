"""Socket servers in Go: gorilla/websocket (and nhooyr/coder websocket) upgrades, the route of
the handler that upgrades, CheckOrigin, tokens read from the query, a header or a cookie."""

from __future__ import annotations

import re

from harness.app._js_text import line_of
from harness.app._model import RealtimeEndpoint, Route
from harness.app._realtime_common import auth_reads, sse_endpoints, uniq_endpoints

_AUTH_GO = (
    (re.compile(r"Query\(\)\.Get\(\s*\"(\w+)\""), "query"),
    (re.compile(r"\.Query\(\s*\"(token|access_token|jwt)\""), "query"),
    (
        re.compile(r"Header\.Get\(\s*\"(Authorization)\"|GetHeader\(\s*\"(Authorization)\"", re.I),
        "header",
    ),
    (re.compile(r"\.Cookie\(\s*\"(\w+)\""), "cookie"),
)


# a CheckOrigin that is not ``return true``
_GO_CHECK_ORIGIN = re.compile(
    r"CheckOrigin\s*:\s*func\([^)]*\)\s*bool\s*\{\s*(return\s+true\s*\})?"
)


_GO_UPGRADE = re.compile(r"\.Upgrade\(")


_GO_FUNC = re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(", re.M)


def go_file(
    rel: str, text: str, routes: list[Route], all_routes: list[Route]
) -> list[RealtimeEndpoint]:
    if (
        "gorilla/websocket" not in text
        and "nhooyr.io/websocket" not in text
        and "coder/websocket" not in text
    ):
        return sse_endpoints(rel, text, routes, auth_reads(text, _AUTH_GO))
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
                auth=auth_reads(body or text, _AUTH_GO),
                origin_check=checks_origin,
            )
        )
    return uniq_endpoints(found) + sse_endpoints(rel, text, routes, auth_reads(text, _AUTH_GO))


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
