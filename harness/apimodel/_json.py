"""Finding things in JSON bodies whose envelope is not known in advance: the token in a login
response, the object in ``{"data": {...}}``, the list in ``{"items": [...], "total": 3}``."""

from __future__ import annotations

import re
from typing import Any

JWT = re.compile(r"^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$")
_TOKEN_KEYS = ("access_token", "accessToken", "token", "jwt", "id_token", "auth_token", "authToken")
_LIST_KEYS = ("items", "data", "results", "result", "records", "rows", "content", "docs", "list")
_OBJECT_KEYS = ("data", "result", "item", "record", "payload")
ID_FIELDS = ("id", "_id", "uuid", "ID", "Id")


def json_body(resp: Any) -> Any:
    """The response's JSON body; None when there is no response or its body is not JSON."""
    if resp is None:
        return None
    try:
        return resp.json()
    except ValueError:
        return None


def dig(body: Any, dotted: str) -> Any:
    """``dig(body, "data.token")``; None when any step is missing."""
    node = body
    for part in dotted.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def find_token(body: Any, paths: list[str] | None = None) -> tuple[str | None, str | None]:
    """(token, dotted path): the given paths first, then any JWT-looking string, then an opaque
    string under a token-like key."""
    for p in paths or []:
        value = dig(body, p)
        if isinstance(value, str) and value:
            return value, p
    found = _walk_strings(body, "")
    for path, value in found:
        if JWT.match(value) and "refresh" not in path.lower():
            return value, path
    for path, value in found:
        last = path.rsplit(".", 1)[-1]
        if last in _TOKEN_KEYS and len(value) >= 16:
            return value, path
    return None, None


def find_refresh_token(body: Any, paths: list[str]) -> str | None:
    for p in paths:
        value = dig(body, p)
        if isinstance(value, str) and value:
            return value
    for path, value in _walk_strings(body, ""):
        if "refresh" in path.lower() and len(value) >= 16:
            return value
    return None


def _walk_strings(node: Any, prefix: str, depth: int = 0) -> list[tuple[str, str]]:
    if depth > 6:
        return []
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, str):
                out.append((path, v))
            else:
                out.extend(_walk_strings(v, path, depth + 1))
    elif isinstance(node, list):
        for i, v in enumerate(node[:20]):
            out.extend(_walk_strings(v, f"{prefix}.{i}" if prefix else str(i), depth + 1))
    return out


def items_of(body: Any, name: str | None = None) -> list[Any] | None:
    """The list of records in a list response, whatever the envelope; None when there is none."""
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        return None
    keys = [*(k for k in (name, name and name.lower()) if k), *_LIST_KEYS]
    for key in keys:
        value = body.get(key)
        if isinstance(value, list):
            return value
    for key in _OBJECT_KEYS:
        inner = body.get(key)
        if isinstance(inner, dict):
            found = items_of(inner, name)
            if found is not None:
                return found
    lists = [v for v in body.values() if isinstance(v, list)]
    return lists[0] if len(lists) == 1 else None


def unwrap(body: Any, name: str | None = None) -> dict[str, Any] | None:
    """The record in a single-object response: the body itself or its data/item envelope."""
    if not isinstance(body, dict):
        return None
    if any(k in body for k in ID_FIELDS):
        return body
    keys = [k for k in (name,) if k] + list(_OBJECT_KEYS)
    for key in keys:
        inner = body.get(key)
        if isinstance(inner, dict):
            return unwrap(inner, name) or inner
    dicts = [v for v in body.values() if isinstance(v, dict)]
    if len(dicts) == 1 and any(k in dicts[0] for k in ID_FIELDS):
        return dicts[0]
    return body


def record_id(body: Any, name: str | None = None, field: str | None = None) -> Any:
    """The id of the record in a create/read response."""
    record = unwrap(body, name)
    if not record:
        return None
    for key in [field, *ID_FIELDS, f"{name}_id" if name else None, f"{name}Id" if name else None]:
        if key and key in record and record[key] not in (None, ""):
            return record[key]
    return None
