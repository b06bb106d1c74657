"""NestJS routes from decorators: ``@Controller('users')`` classes, ``@Get(':id')`` /
``@Post()`` methods, ``app.setGlobalPrefix('api')``; inputs from ``@Body() dto: CreateDto``
(the DTO class's fields, in any file) and ``@Query('q')``."""

from __future__ import annotations

import re
from pathlib import Path

from harness.app._files import read_text
from harness.app._js_text import JS_EXTENSIONS, STRING, blank_comments, call_end, line_of, literal
from harness.app._model import Route
from harness.app._routes import Handler, SourceLike, join, normalise_path, unique

_CONTROLLER = re.compile(
    r"@Controller\s*\(\s*(?:" + STRING + r"|\{[^}]*?path\s*:\s*" + STRING + r"[^}]*\})?\s*\)"
    r"[\s\S]*?\bclass\s+(\w+)"
)
_METHOD = re.compile(
    r"@(Get|Post|Put|Patch|Delete|All|Head|Options)\s*\(\s*(?:" + STRING + r")?\s*\)"
)
_MEMBER = re.compile(
    r"(?:@\w+\([^()]*(?:\([^()]*\)[^()]*)*\)\s*)*(?:public\s+)?(?:async\s+)?(\w+)\s*\("
)
_GLOBAL_PREFIX = re.compile(r"\.setGlobalPrefix\s*\(\s*" + STRING)
_CLASS = re.compile(r"\bclass\s+(\w+)[^{]*\{")
_PROP = re.compile(r"^\s*(?:readonly\s+)?(\w+)\s*[?!]?\s*:", re.M)
_BODY_PARAM = re.compile(r"@Body\s*\(\s*(?:" + STRING + r")?\s*\)\s*\w+\s*:\s*(\w+)")
_QUERY_PARAM = re.compile(r"@Query\s*\(\s*" + STRING + r"\s*")
_QUERY_DTO = re.compile(r"@Query\s*\(\s*\)\s*\w+\s*:\s*(\w+)")
_UPLOAD = re.compile(r"File(?:s)?Interceptor\s*\(\s*" + STRING)


def is_nest(text: str) -> bool:
    return "@Controller" in text and "@nestjs/common" in text


def _decls(rel: str, text: str) -> list[tuple[str, str, int, str, int, int]]:
    """(method, path, line, handler, start, end) of each decorated route method in ``text``."""
    out = []
    ctrls = list(_CONTROLLER.finditer(text))
    del rel
    for c in ctrls:
        base = literal(c, 0) or literal(c, 3)
        cls = c.group(7)
        brace = text.find("{", c.end())
        if brace < 0:
            continue
        end = call_end(text, brace)
        for m in _METHOD.finditer(text, brace, end):
            member = _MEMBER.search(text, m.end(), end)
            if member is None:
                continue
            body_open = text.find("{", member.end())
            body_end = call_end(text, body_open) if body_open >= 0 else member.end()
            path = join("/" + base.strip("/") if base else "", literal(m, 1), strict_slash=False)
            token = m.group(1).upper()
            out.append(
                (
                    "ANY" if token == "ALL" else token,
                    path,
                    line_of(text, m.start()),
                    f"{cls}.{member.group(1)}",
                    m.start(),
                    body_end,
                )
            )
    return out


def _dto_fields(texts: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for text in texts.values():
        for m in _CLASS.finditer(text):
            brace = m.end() - 1
            body = text[brace + 1 : call_end(text, brace) - 1]
            # only top-level properties: drop method bodies
            flat = re.sub(r"\{[^{}]*\}", "", body)
            out[m.group(1)] = [p for p in _PROP.findall(flat) if p not in ("constructor",)]
    return out


def nest_routes(root: Path, files: list[str]) -> list[Route]:
    texts = {
        rel: blank_comments(t)
        for rel in files
        if rel.endswith(JS_EXTENSIONS) and (t := read_text(root / rel)) is not None
    }
    return routes_from(texts)


def routes_from(texts: dict[str, str]) -> list[Route]:
    if not any(is_nest(t) for t in texts.values()):
        return []
    prefix = next((literal(m, 0) for t in texts.values() for m in _GLOBAL_PREFIX.finditer(t)), "")
    dtos = _dto_fields(texts)
    out: list[Route] = []
    for rel, text in texts.items():
        if not is_nest(text):
            continue
        for method, path, line, handler, start, end in _decls(rel, text):
            route = Route(
                method=method,
                path=normalise_path(join("/" + prefix.strip("/") if prefix else "", path)),
                file=rel,
                line=line,
                handler=handler,
            )
            _inputs(text[start:end], route, dtos)
            out.append(route)
    return out


def _inputs(chunk: str, route: Route, dtos: dict[str, list[str]]) -> None:
    query = [literal(m, 0) for m in _QUERY_PARAM.finditer(chunk)]
    for m in _QUERY_DTO.finditer(chunk):
        query += dtos.get(m.group(1), [])
    body: list[str] = []
    for m in _BODY_PARAM.finditer(chunk):
        named = literal(m, 0)
        body += [named] if named else dtos.get(m.group(4), [])
    uploads = [literal(m, 0) for m in _UPLOAD.finditer(chunk)]
    route.query_params = unique(query)
    route.body_fields = unique([*uploads, *body])
    route.body_kind = "multipart" if uploads else "json" if body else None


def nest_handlers(files: list[SourceLike]) -> list[Handler]:
    texts = {f.path: blank_comments(f.text) for f in files}
    routes = {(r.file, r.line): r for r in routes_from(texts)}
    out: list[Handler] = []
    for f in files:
        text = texts[f.path]
        if not is_nest(text):
            continue
        for _method, _path, line, handler, start, end in _decls(f.path, text):
            route = routes.get((f.path, line))
            if route is None:
                continue
            out.append(
                Handler(
                    method=route.method,
                    path=route.path,
                    file=f.path,
                    line=line,
                    end_line=f.line_of(max(start, end - 1)),
                    name=handler,
                    language=f.language,
                    body=f.text[start:end],
                )
            )
    return out
