"""The agent's own specifics for the GraphQL, WebSocket and outbound-fetch promises: the query
depth, complexity, alias and batch limits it names, the Origin allow-list of its sockets and the
hosts its server may fetch from. Only what the agent wrote ends up here."""

from __future__ import annotations

import re
from typing import Any

_N = r"(\d{1,6})"
_GRAPHQL_LIMITS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
    (
        "max_depth",
        (
            re.compile(rf"\bdepth\b[^.;,\d]{{0,30}}?{_N}\b", re.I),
            re.compile(rf"{_N}\+?\s*(?:levels?|nested levels?)\b(?:\s*deep)?", re.I),
        ),
    ),
    (
        "max_complexity",
        (
            re.compile(rf"\b(?:complexity|cost)\b[^.;,\d]{{0,30}}?{_N}\b", re.I),
            re.compile(rf"{_N}\s*(?:complexity|cost)\s*(?:points?|units?)?\b", re.I),
        ),
    ),
    (
        "max_aliases",
        (
            re.compile(rf"{_N}\s*aliases\b", re.I),
            re.compile(rf"\baliases\b[^.;,\d]{{0,25}}?{_N}\b", re.I),
        ),
    ),
    (
        "max_batch",
        (
            re.compile(
                rf"{_N}\s*(?:operations|queries)\s*(?:per|in a|in one)\s*(?:batch\w*|request)", re.I
            ),
            re.compile(rf"\bbatch\w*\b[^.;,\d]{{0,30}}?{_N}\b", re.I),
        ),
    ),
)
# https://chat.example.com or a bare host name like news.example.org
_ORIGIN = re.compile(r"\bhttps?://[A-Za-z0-9.-]+(?::\d+)?", re.I)
_HOST = re.compile(
    r"(?<![\w@/.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24})(?![\w.-]*/)", re.I
)
_NOT_HOSTS = re.compile(r"\.(?:js|ts|py|json|ya?ml|md|env|txt)$|^socket\.io$", re.I)
# settings that hold the list: ALLOWED_WS_ORIGINS, PREVIEW_ALLOWLIST, AVATAR_HOSTS
_SETTING = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]+_?(?:HOSTS|ORIGINS|ALLOWLIST)\b")
_LIST_SETTING = re.compile(r"ALLOW|HOSTS|ORIGINS|WHITELIST|DOMAINS", re.I)


def _first(patterns: tuple[re.Pattern[str], ...], texts: list[str]) -> int | None:
    for text in texts:
        for rx in patterns:
            m = rx.search(text)
            if m:
                return int(m.group(1))
    return None


def _settings(texts: list[str]) -> list[str]:
    names = [m.group(0) for t in texts for m in _SETTING.finditer(t)]
    return list(dict.fromkeys(n for n in names if _LIST_SETTING.search(n)))


def surface_params(by_req: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """params for graphql.limits, ws.origin and injection.ssrf from the items promising them."""
    out: dict[str, dict[str, Any]] = {}

    texts = by_req.get("graphql.limits", [])
    limits = {key: _first(patterns, texts) for key, patterns in _GRAPHQL_LIMITS}
    limits = {k: v for k, v in limits.items() if v is not None}
    if limits:
        out["graphql.limits"] = limits

    texts = by_req.get("ws.origin", [])
    origins = list(dict.fromkeys(m.group(0).lower() for t in texts for m in _ORIGIN.finditer(t)))
    entry: dict[str, Any] = {}
    if origins:
        entry["origins"] = origins
    if settings := _settings(texts):
        entry["settings"] = settings
    if entry:
        out["ws.origin"] = entry

    texts = by_req.get("injection.ssrf", [])
    hosts = [
        m.group(0).lower()
        for t in texts
        for m in _HOST.finditer(_ORIGIN.sub(lambda o: o.group(0).split("://", 1)[1], t))
        if not _NOT_HOSTS.search(m.group(0)) and not m.group(0)[0].isdigit()
    ]
    entry = {}
    if hosts := list(dict.fromkeys(hosts)):
        entry["allowed_hosts"] = hosts
    if settings := _settings(texts):
        entry["settings"] = settings
    if entry:
        out["injection.ssrf"] = entry
    return out
