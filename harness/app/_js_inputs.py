"""What an Express route handler reads from the request: ``req.query.q``, ``req.body.email``,
``const { email, password } = req.body``, an upload field named in ``upload.single('file')``."""

from __future__ import annotations

import re
from pathlib import Path

from harness.app._js_schemas import schema_definitions, schema_inputs
from harness.app._js_text import call_end
from harness.app._model import Route
from harness.app._routes import unique

_NAME = re.compile(r"^[A-Za-z_][\w-]{0,63}$")

_JS_ROUTE_CALL = re.compile(r"\.\s*(?:get|post|put|patch|delete|all)\s*\(")
_JS_DOT = re.compile(
    r"\breq(?:uest)?\s*\.\s*(query|body|files?)\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)"
)
_JS_INDEX = re.compile(r"\breq(?:uest)?\s*\.\s*(query|body)\s*\[\s*['\"]([^'\"]+)['\"]\s*\]")
_JS_DESTRUCT = re.compile(
    r"(?:const|let|var)\s*\{([^}]*)\}\s*=\s*req(?:uest)?\s*\.\s*(query|body)\b", re.S
)
# a route call that may name a validation schema (the repo's schemas are read only then)
_SCHEMA_HINT = re.compile(r"[Vv]alidat|celebrate|[Ss]chema|\bbody\(|[Pp]arse\w*\(")
_JS_UPLOAD = re.compile(r"\.\s*(?:single|array)\s*\(\s*['\"]([^'\"]+)['\"]")


def js_inputs(text: str, routes: list[Route], root: Path | None = None) -> None:
    """Fill the inputs of ``routes`` (all in one file with source ``text``) in place; with
    ``root``, the fields of validation schemas in the route's middleware count too."""
    definitions: dict[str, list[str]] | None = None
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for route in routes:
        if route.line < 1 or route.line > len(starts) - 1:
            continue
        begin = starts[route.line - 1]
        m = _JS_ROUTE_CALL.search(text, begin)
        if m is None or m.start() - begin > 400:
            continue
        end = call_end(text, m.end() - 1, max_chars=20000)
        chunk = text[m.start() : end]
        query: list[str] = []
        body: list[str] = []
        kind: str | None = None
        for src, name in _JS_DOT.findall(chunk) + _JS_INDEX.findall(chunk):
            if src == "query":
                query.append(name)
            elif src == "body":
                body.append(name)
        for names, src in _JS_DESTRUCT.findall(chunk):
            for part in names.split(","):
                name = part.split(":")[0].split("=")[0].strip()
                if _NAME.match(name):
                    (query if src == "query" else body).append(name)
        if root is not None and _SCHEMA_HINT.search(chunk):
            if definitions is None:
                definitions = schema_definitions(root)
            named_query, named_body = schema_inputs(definitions, chunk)
            query += named_query
            body += named_body
        upload = _JS_UPLOAD.findall(chunk)
        if upload or re.search(r"\breq\s*\.\s*files?\b", chunk):
            body = [*upload, *body]
            kind = "multipart"
        elif body:
            kind = "json"
        route.query_params = unique(query)
        route.body_fields = unique(body)
        route.body_kind = kind
