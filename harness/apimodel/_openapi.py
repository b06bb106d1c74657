"""Reading OpenAPI documents (a task contract, or the one the app serves) into operations, and
making example request bodies from their schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import yaml

from harness.apimodel._match import path_params, split, to_braces
from harness.apimodel._model import Operation

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def load_document(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return doc if isinstance(doc, dict) else {}


def is_openapi(doc: Any) -> bool:
    return isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc) and "paths" in doc


def resolve(doc: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """Inline local ``$ref``s (bounded depth: recursive schemas stay as refs)."""
    if depth > 12:
        return node
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = doc
            for part in ref[2:].split("/"):
                target = (
                    target.get(part.replace("~1", "/").replace("~0", "~"), {})
                    if isinstance(target, dict)
                    else {}
                )
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            return resolve(doc, merged, depth + 1)
        return {k: resolve(doc, v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(doc, v, depth + 1) for v in node]
    return node


def _server_prefix(doc: dict[str, Any]) -> str:
    """The path part of the first server URL (OpenAPI 3) or the basePath (Swagger 2)."""
    if "swagger" in doc:
        base = str(doc.get("basePath") or "")
        return "" if base in ("", "/") else "/" + "/".join(split(base))
    servers = doc.get("servers") or []
    if servers and isinstance(servers[0], dict):
        url = str(servers[0].get("url") or "")
        path = httpx.URL(url).path if "://" in url else url
        return "" if path in ("", "/") else "/" + "/".join(split(path))
    return ""


def operations(doc: dict[str, Any], origin: str, *, apply_servers: bool = True) -> list[Operation]:
    """Every operation of an OpenAPI 3 / Swagger 2 document."""
    prefix = _server_prefix(doc) if apply_servers else ""
    global_security = doc.get("security")
    out: list[Operation] = []
    for raw_path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        item = resolve(doc, item)
        shared_params = item.get("parameters") or []
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params = shared_params + (op.get("parameters") or [])
            schema, kind, upload = _request_body(op, params)
            security = op.get("security", global_security)
            tags = [str(t).lower() for t in op.get("tags") or []]
            path = to_braces(prefix + raw_path) if prefix else to_braces(raw_path)
            out.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    path_params=path_params(path),
                    query_params=[
                        str(p.get("name"))
                        for p in params
                        if isinstance(p, dict) and p.get("in") == "query"
                    ],
                    body_schema=schema,
                    body_example=example(schema) if schema else None,
                    body_kind=kind,
                    success_status=sorted(
                        int(c) for c in (op.get("responses") or {}) if str(c).startswith("2")
                    ),
                    auth_required=_auth_required(security, doc),
                    admin="admin" in tags or "admin" in [s.lower() for s in split(path)],
                    upload=upload,
                    operation_id=op.get("operationId"),
                    origin=origin,
                )
            )
    return out


def _auth_required(security: Any, doc: dict[str, Any]) -> bool | None:
    """True/False when the document says; None when it does not (no security anywhere: apps
    that check tokens by hand document nothing)."""
    if security is None:
        return None
    return bool(security) and not all(req == {} for req in security if isinstance(req, dict))


def _request_body(op: dict[str, Any], params: list[Any]) -> tuple[dict[str, Any] | None, str, bool]:
    """(schema, "json"|"form", is_upload) of an operation's request body."""
    body = op.get("requestBody")
    if isinstance(body, dict):
        content = body.get("content") or {}
        for ctype, media in content.items():
            schema = (media or {}).get("schema") if isinstance(media, dict) else None
            if "json" in ctype:
                return schema, "json", False
            if "multipart" in ctype:
                return schema, "form", _has_binary(schema)
            if "x-www-form-urlencoded" in ctype:
                return schema, "form", False
    for p in params:  # Swagger 2
        if isinstance(p, dict) and p.get("in") == "body":
            return p.get("schema"), "json", False
    form = [p for p in params if isinstance(p, dict) and p.get("in") == "formData"]
    if form:
        schema = {
            "type": "object",
            "required": [p["name"] for p in form if p.get("required")],
            "properties": {p["name"]: {"type": p.get("type", "string")} for p in form},
        }
        return schema, "form", any(p.get("type") == "file" for p in form)
    return None, "json", False


def _has_binary(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("format") in ("binary", "base64") or schema.get("contentMediaType"):
        return True
    return any(_has_binary(s) for s in (schema.get("properties") or {}).values()) or _has_binary(
        schema.get("items")
    )


# Values for well-known field names; anything else is derived from the schema type.
NAMED_VALUES: dict[str, Any] = {
    "title": "Probe todo",
    "name": "Probe item",
    "description": "created by the harness probe",
    "completed": False,
    "done": False,
    "priority": 1,
    "content": "probe content",
    "body": "probe body",
    "text": "probe text",
}


def example(schema: Any, name: str = "", depth: int = 0) -> Any:
    """A small valid-looking value for ``schema``: examples and defaults first, then types."""
    if not isinstance(schema, dict) or depth > 6:
        return NAMED_VALUES.get(name, "probe")
    for key in ("example", "default", "const"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("examples"):
        ex = schema["examples"]
        return ex[0] if isinstance(ex, list) else next(iter(ex.values()), None)
    if schema.get("enum"):
        return schema["enum"][0]
    for combo in ("allOf", "oneOf", "anyOf"):
        if schema.get(combo):
            subs = [s for s in schema[combo] if isinstance(s, dict) and s.get("type") != "null"]
            if combo == "allOf":
                merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
                for s in subs:
                    merged["properties"].update(s.get("properties") or {})
                    merged["required"] += s.get("required") or []
                return example(merged, name, depth + 1)
            if subs:
                return example(subs[0], name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        keep = [k for k, v in props.items() if k in required or not _read_only(k, v)]
        if len(keep) > 8:
            keep = [k for k in keep if k in required] or keep[:8]
        return {k: example(props[k], k, depth + 1) for k in keep}
    if kind == "array":
        return [example(schema.get("items"), name, depth + 1)] if schema.get("minItems") else []
    if kind == "boolean":
        return bool(NAMED_VALUES.get(name, False))
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        return NAMED_VALUES.get(name, low) if isinstance(NAMED_VALUES.get(name), int) else low
    fmt = schema.get("format")
    if fmt == "email":
        return "probe@example.com"
    if fmt == "date-time":
        return "2030-01-01T00:00:00Z"
    if fmt == "date":
        return "2030-01-01"
    if fmt == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    value = NAMED_VALUES.get(name, "probe")
    value = value if isinstance(value, str) else "probe"
    min_len = int(schema.get("minLength") or 0)
    return value + "x" * max(0, min_len - len(value))


def _read_only(name: str, schema: Any) -> bool:
    if isinstance(schema, dict) and schema.get("readOnly"):
        return True
    return name in ("id", "_id", "created_at", "updated_at", "createdAt", "updatedAt", "owner_id")


def required_fields(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    req = list(schema.get("required") or [])
    return req or list((schema.get("properties") or {}).keys())


# Where apps commonly serve their own document (FastAPI, flask-smorest, swagger-jsdoc...).
OPENAPI_PATHS = (
    "/openapi.json",
    "/api/openapi.json",
    "/api/v1/openapi.json",
    "/docs/openapi.json",
    "/swagger.json",
    "/api/swagger.json",
    "/api-docs",
    "/api-docs.json",
    "/api/docs/openapi.json",
    "/v3/api-docs",
    "/openapi.yaml",
    "/apispec_1.json",
    "/api/docs.json",
    "/swagger/v1/swagger.json",
    "/schema/openapi.json",  # Litestar's default
)


async def fetch_app_document(
    client: httpx.AsyncClient, base_url: str, extra: list[str] | None = None
) -> tuple[str | None, dict[str, Any] | None, list[str]]:
    """Look for the app's own OpenAPI document; returns (path, doc, notes)."""
    notes: list[str] = []
    for path in [*(extra or []), *OPENAPI_PATHS]:
        try:
            resp = await client.get(base_url.rstrip("/") + path, timeout=5.0)
        except httpx.HTTPError as exc:
            notes.append(f"GET {path}: {type(exc).__name__}")
            continue
        if resp.status_code != 200:
            continue
        doc: Any = None
        try:
            doc = resp.json()
        except ValueError:
            try:
                doc = yaml.safe_load(resp.text)
            except yaml.YAMLError:
                doc = None
        if is_openapi(doc):
            notes.append(f"the app serves its OpenAPI document at {path}")
            return path, doc, notes
    return None, None, notes
