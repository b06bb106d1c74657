"""The agent's own specifics for a requirement: its JSON envelope, status codes, hash schemes,
token lifetimes, rate and page-size limits. Only what the agent actually wrote ends up here."""

from __future__ import annotations

import json
import re
from typing import Any

from harness.checklist._model import ChecklistItem
from harness.checklist._params_surface import surface_params

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_RESPONSE_CONTEXT = re.compile(
    r"respon|envelope|\bformat|\berror|\breply|\breturn|\boutput|\bresult|\bsuccess|structure",
    re.I,
)
_NOT_RESPONSE = re.compile(
    r"\brequest (body|payload|example)|\bquery\b|\bconfig|status update|progress|context "
    r"(query|retrieval)|\bpayload sent|\binput\b|package\.json|tsconfig",
    re.I,
)
_ERROR_CONTEXT = re.compile(r"\berror|\bfail", re.I)
_DATE_HINT = re.compile(
    r"iso[ -]?8601|date[ -]?time|datetime|timestamp|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", re.I
)
_TYPE_WORDS = {
    "string": {"type": "string"},
    "str": {"type": "string"},
    "text": {"type": "string"},
    "number": {"type": "number"},
    "int": {"type": "integer"},
    "integer": {"type": "integer"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "bool": {"type": "boolean"},
    "array": {"type": "array"},
    "object": {"type": "object"},
    "any": {},
}
_DISCRIMINATORS = {"success", "ok", "status", "error"}
_DISCRIMINATOR_VALUES = {"success", "error", "ok", "fail", "failure", "failed"}

_CODE = re.compile(
    r"(?<![\d.])([1-5]\d\d)(?![\d.])(?!\s*(?:ms|milliseconds|items|records|rows|requests|per|users|"
    r"characters|chars|bytes|kb|mb|%|seconds|s\b|minutes))",
    re.I,
)
_CODE_WHEN = re.compile(
    r"\b([1-5]\d\d)\b[^.,;()]{0,25}?\b(?:on|for|when|after|upon|if)\s+(?:a\s+|an\s+|the\s+)?"
    r"([a-z][\w /-]{2,40}?)(?=\s*(?:[,.;)]|\band\b|$))",
    re.I,
)
_SCHEMES = (
    ("argon2", re.compile(r"\bargon-?2(?:id|i|d)?\b", re.I)),
    ("bcrypt", re.compile(r"\bbcrypt\w*", re.I)),
    ("scrypt", re.compile(r"\bscrypt\b", re.I)),
    ("pbkdf2", re.compile(r"\bpbkdf-?2\b", re.I)),
)
_SIMILAR = re.compile(
    r"\bor (?:similar|equivalent|comparable|another|other|any)\b|\bsuch as\b|\be\.g\.|\blike\b|"
    r"\betc\b",
    re.I,
)
_COST = re.compile(
    r"(?:cost(?: factor)?|rounds|work factor|salt rounds)\D{0,12}?(\d{1,2})\b"
    r"|\b(\d{1,2})\s*(?:salt\s*)?rounds\b",
    re.I,
)
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "thirty": 30,
    "sixty": 60,
}
_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "w": 604800,
    "week": 604800,
}
_UNIT = r"(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\b"
_DURATION = re.compile(
    rf"\b(\d+(?:\.\d+)?)\s*-?\s*{_UNIT}|\b(an?|one|two|three|five|ten|fifteen|thirty|sixty)\s+"
    r"(seconds?|minutes?|hours?|days?|weeks?)\b",
    re.I,
)
_RATE = re.compile(
    r"\b(\d+)\s*(?:failed\s+)?(?:login\s+)?(?:requests?|reqs?|calls?|attempts?|tries|hits|logins?)?\s*"
    r"(?:/|per|every|each|a|an|in|within)\s*(?:(\d+)\s*)?" + _UNIT,
    re.I,
)
_PAGE_MAX = re.compile(
    r"(?:max(?:imum)?|at most|up to|no more than|cap(?:ped)?(?:\s+(?:at|to))?|limit(?:ed)?\s+to|"
    r"<=|≤)\s*(?:page size\s*)?(?:of\s*)?(\d+)",
    re.I,
)
_PAGE_DEFAULT = re.compile(
    r"default(?:s)?(?:\s+(?:page\s+)?(?:size|limit))?(?:\s+(?:of|to|is))?\s*:?\s*(\d+)", re.I
)
_PAGE_STYLE = (
    ("cursor", re.compile(r"\bcursor", re.I)),
    ("keyset", re.compile(r"\bkeyset", re.I)),
    ("offset", re.compile(r"\boffset", re.I)),
    ("page", re.compile(r"\bpage[ -]?(?:based|number)|\bpage/(?:size|limit)", re.I)),
)
_MIN_LENGTH = re.compile(
    r"(?:at least|min(?:imum)?(?:\s+length)?(?:\s+of)?|no fewer than)\s*(\d{1,3})"
    r"\s*(?:char|characters|chars|letters)?",
    re.I,
)
_LATENCY = re.compile(r"(?:(p9[059]|p99\.9)\D{0,20}?)?(\d+)\s?ms\b(?:\D{0,10}(p9[059]))?", re.I)
_COVERAGE = re.compile(r"(\d{1,3})\s?%", re.I)


# --- JSON response examples ---------------------------------------------------------------


def json_example(code: str, info: str, context: str) -> tuple[str, Any] | None:
    """A JSON response example from a code block: ("success" | "error", value), or None when the
    block is not a JSON object shown as a response (by its info string and surrounding words)."""
    lang = (info or "").strip().split(" ")[0].lower()
    if lang not in ("", "json", "jsonc", "json5", "javascript", "js", "typescript", "ts"):
        return None
    if not _RESPONSE_CONTEXT.search(context) or _NOT_RESPONSE.search(context):
        return None
    value = _loads(code)
    if not isinstance(value, dict) or not value:
        return None
    return ("error" if _is_error(value, context) else "success"), value


def _loads(code: str) -> Any:
    text = code.strip()
    if not text.startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped in ("...", "…", "// ..."):
            continue
        if "//" in line and line.split("//", 1)[0].count('"') % 2 == 0:
            line = line.split("//", 1)[0]
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r",\s*([}\]])", r"\1", text)
    text = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', text)
    text = re.sub(r"'([^'\"]*)'", r'"\1"', text)
    try:
        return json.loads(text)
    except ValueError:
        return None


def _is_error(value: dict[str, Any], context: str) -> bool:
    if value.get("success") is False or value.get("ok") is False:
        return True
    if str(value.get("status", "")).lower() in ("error", "fail", "failure", "failed"):
        return True
    if value.get("success") is True or value.get("ok") is True:
        return False
    if ("error" in value or "errors" in value) and "data" not in value:
        return True
    return bool(_ERROR_CONTEXT.search(context.split("\n")[-1]))


def schema_of(value: Any, *, top: bool = False, key: str | None = None) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for an example value: keys required, types from values.

    At the top level every key is required and a discriminating flag ("success": true,
    "status": "error") becomes a ``const``; deeper down, empty placeholders ({}, [], null) are
    optional. A string that reads like a timestamp ("ISO 8601 string") becomes format date-time.
    """
    if isinstance(value, dict):
        if not value:
            return {}
        properties = {k: schema_of(v, top=top, key=k) for k, v in value.items()}
        required = [k for k, v in value.items() if top or not _placeholder(v)]
        for k, v in value.items():
            if (
                top
                and k.lower() in _DISCRIMINATORS
                and (
                    isinstance(v, bool)
                    or (isinstance(v, str) and v.lower() in _DISCRIMINATOR_VALUES)
                )
            ):
                properties[k] = {"const": v}
            elif top and isinstance(v, dict):
                properties[k] = schema_of(v, key=k)
        return {"type": "object", "properties": properties, "required": required}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TYPE_WORDS:
            return dict(_TYPE_WORDS[word])
        if _DATE_HINT.search(value) or (key and re.search(r"(_at|At|time|date)$", key)):
            return {"type": "string", "format": "date-time"}
        return {"type": "string"}
    if isinstance(value, list):
        return {"type": "array", "items": schema_of(value[0])} if value else {"type": "array"}
    return {}


def _placeholder(value: Any) -> bool:
    return value is None or value == {} or value == []


def _field_path(value: Any, names: tuple[str, ...], prefix: str = "", depth: int = 0) -> str | None:
    if not isinstance(value, dict) or depth > 2:
        return None
    for k, v in value.items():
        if k in names and not isinstance(v, dict | list):
            return f"{prefix}{k}"
    for k, v in value.items():
        found = _field_path(v, names, f"{prefix}{k}.", depth + 1)
        if found:
            return found
    return None


def envelope_params(examples: list[tuple[str, Any]]) -> dict[str, dict[str, Any]]:
    """params for api.envelope (and api.error-format when an error example is given)."""
    success = next((v for kind, v in examples if kind == "success"), None)
    error = next((v for kind, v in examples if kind == "error"), None)
    if success is None and error is None:
        return {}
    success_schema = schema_of(success, top=True) if success is not None else None
    error_schema = schema_of(error, top=True) if error is not None else None
    out: dict[str, dict[str, Any]] = {
        "api.envelope": {
            "success_schema": success_schema,
            "error_schema": error_schema,
            "schema": {
                "$schema": SCHEMA_DIALECT,
                "oneOf": [s for s in (success_schema, error_schema) if s is not None],
            },
            "examples": [v for _, v in examples],
        }
    }
    if error is not None:
        out["api.error-format"] = {
            "schema": {"$schema": SCHEMA_DIALECT, **(error_schema or {})},
            "example": error,
            "code_field": _field_path(error, ("code", "error_code", "errorCode", "type")),
            "message_field": _field_path(
                error, ("message", "detail", "msg", "error_description", "title")
            ),
        }
    return out


# --- specifics stated in item text ---------------------------------------------------------


def _seconds(amount: str, unit: str) -> int:
    number = _NUMBER_WORDS.get(amount.lower())
    value = float(number if number is not None else amount)
    unit = unit.lower().rstrip("s") or "s"
    unit = {"sec": "s", "min": "m", "hr": "h"}.get(unit, unit)
    return int(value * _UNIT_SECONDS.get(unit, _UNIT_SECONDS.get(unit[:1], 1)))


def item_params(items: list[ChecklistItem]) -> dict[str, dict[str, Any]]:
    """params from the words of the items that promise each requirement."""
    by_req: dict[str, list[str]] = {}
    for item in items:
        for rid in item.requirements:
            by_req.setdefault(rid, []).append(item.text)
    out: dict[str, dict[str, Any]] = {}

    texts = by_req.get("http.status-codes", [])
    codes = sorted({int(c) for t in texts for c in _CODE.findall(t)})
    if codes:
        entry: dict[str, Any] = {"codes": codes}
        expectations = [
            {"code": int(m.group(1)), "when": m.group(2).strip()}
            for t in texts
            for m in _CODE_WHEN.finditer(t)
        ]
        if expectations:
            entry["expectations"] = expectations
        out["http.status-codes"] = entry

    texts = by_req.get("auth.password-hashing", [])
    found = sorted(
        (ti, m.start(), name)
        for ti, t in enumerate(texts)
        for name, rx in _SCHEMES
        for m in rx.finditer(t)
    )
    schemes = list(dict.fromkeys(name for _, _, name in found))
    if schemes:
        entry = {"schemes": schemes}
        similar = [
            t for t in texts if _SIMILAR.search(t) and any(rx.search(t) for _, rx in _SCHEMES)
        ]
        if similar:
            entry["accept_any_slow_kdf"] = True
            entry["note"] = (
                f"the agent wrote {similar[0]!r}: any slow salted KDF "
                "(bcrypt, argon2, scrypt, pbkdf2) keeps the promise"
            )
        for t in texts:
            m = _COST.search(t)
            if m:
                entry["min_cost"] = int(m.group(1) or m.group(2))
                break
        out["auth.password-hashing"] = entry

    texts = by_req.get("auth.password-policy", [])
    for t in texts:
        m = _MIN_LENGTH.search(t)
        if m:
            out["auth.password-policy"] = {"min_length": int(m.group(1))}
            break

    expiry: dict[str, Any] = {}
    for t in by_req.get("auth.token-expiry", []) + by_req.get("auth.token-refresh", []):
        for m in _DURATION.finditer(t):
            before = t[max(0, m.start() - 60) : m.start()].lower()
            key = "refresh_max_lifetime_s" if "refresh" in before else "max_lifetime_s"
            amount, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            expiry.setdefault(key, _seconds(amount, unit))
    if expiry:
        out["auth.token-expiry"] = expiry

    limits = []
    for t in by_req.get("ratelimit", []):
        for m in _RATE.finditer(t):
            window = _seconds(m.group(2) or "1", m.group(3))
            scope = (
                "auth" if re.search(r"\b(login|auth\w*|sign[ -]?in|password)\b", t, re.I) else None
            )
            limits.append({"limit": int(m.group(1)), "window_s": window, "scope": scope})
    if limits:
        out["ratelimit"] = {**limits[0], **({"limits": limits} if len(limits) > 1 else {})}

    page: dict[str, Any] = {}
    for t in by_req.get("api.pagination", []):
        m = _PAGE_MAX.search(t)
        if m and "max_page_size" not in page:
            page["max_page_size"] = int(m.group(1))
        m = _PAGE_DEFAULT.search(t)
        if m and "default_page_size" not in page:
            page["default_page_size"] = int(m.group(1))
        styles = [name for name, rx in _PAGE_STYLE if rx.search(t)]
        if styles:
            page.setdefault("styles", [])
            page["styles"] += [s for s in styles if s not in page["styles"]]
    if page:
        out["api.pagination"] = page

    for t in by_req.get("perf.latency", []):
        m = _LATENCY.search(t)
        if m:
            pct = (m.group(1) or m.group(3) or "").lower()
            out["perf.latency"] = {f"{pct}_ms" if pct else "max_ms": int(m.group(2))}
            break

    for t in by_req.get("tests.present", []):
        if re.search(r"coverage", t, re.I):
            m = _COVERAGE.search(t)
            if m:
                out["tests.present"] = {"min_coverage_percent": int(m.group(1))}
                break
    out.update(surface_params(by_req))
    return out
