"""JavaScript/TypeScript route reader: Express (and router-style Koa/Fastify) routes followed
through ``app.use('/prefix', router)`` across files, and the handler calls with their bodies.

One scan per file finds route calls, routers, mounts, imports and exports; routes for the API
model and handlers for the static checks are two views of those tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness.app._files import read_text
from harness.app._js_text import (
    JS_EXTENSIONS,
    STRING,
    blank_comments,
    call_end,
    imports,
    line_of,
    literal,
    resolve_import,
    split_args,
)
from harness.app._model import Route
from harness.app._routes import AppFile, Decl, Handler, SourceLike, handler_prefixes, mounted_routes

OTHER_NODE_FRAMEWORKS = {
    "@hapi/hapi": "hapi",
    "hapi": "hapi",
    "restify": "restify",
}
_JS_EXPRESS = re.compile(r"\b(\w+)\s*=\s*express\s*\(\s*\)")
_JS_REQ_EXPRESS = re.compile(r"""(?:require\s*\(\s*|from\s+)['"]express['"]""")


# framework -> (package it is imported from, how the app object is made)
NODE_APPS = {
    "fastify": (
        "fastify",
        r"\b(\w+)\s*=\s*(?:await\s+)?(?:fastify|Fastify|require\s*\(\s*['\"]fastify['\"]\s*\))\s*\(",
    ),
    "koa": ("koa", r"\b(\w+)\s*=\s*new\s+Koa\s*\("),
    "hono": ("hono", r"\b(\w+)\s*=\s*new\s+Hono\s*(?:<[^>]*>)?\s*\("),
    "nestjs": ("@nestjs/core", r"\b(\w+)\s*=\s*await\s+NestFactory\.create\w*\s*(?:<[^>]*>)?\s*\("),
}


def app_objects(rel: str, text: str) -> list[AppFile]:
    """The Express, Fastify, Koa, Hono or NestJS app object; for other Node frameworks, a
    marker naming the framework."""
    m = _JS_EXPRESS.search(text)
    if m and _JS_REQ_EXPRESS.search(text):
        return [AppFile(rel, "express", m.group(1))]
    for kind, (pkg, made) in NODE_APPS.items():
        imported = re.search(
            r"""(?:require\s*\(\s*|from\s+)['"]""" + re.escape(pkg) + "['\"]", text
        )
        app = re.search(made, text)
        if imported and app:
            return [AppFile(rel, kind, app.group(1))]
    for pkg, label in OTHER_NODE_FRAMEWORKS.items():
        if re.search(r"""(?:require\s*\(\s*|from\s+)['"]""" + re.escape(pkg) + "['\"]", text):
            return [AppFile(rel, f"other:{label}")]
    return []


_EX_APP = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*(?::\s*[\w<>.]+\s*)?=\s*(?:await\s+)?"
    r"(?:express|fastify|Fastify|require\s*\(\s*['\"]fastify['\"]\s*\)|new\s+Koa"
    r"|new\s+Hono(?:<[^>]*>)?)\s*\("
)
# Hono app.route('/api', sub), Fastify app.register(plugin, { prefix: '/api' }),
# Koa app.use(router.routes())
_HONO_ROUTE = re.compile(r"\b(\w+)\s*\.\s*route\s*\(\s*" + STRING + r"\s*,\s*([\w.]+)\s*\)")
_FASTIFY_REGISTER = re.compile(
    r"\b(\w+)\s*\.\s*register\s*\(\s*(require\s*\([^)]*\)|[\w.]+)\s*(?:,\s*\{[^}]*?prefix\s*:\s*"
    + STRING
    + r")?"
)
_KOA_ROUTES = re.compile(r"\b(\w+)\s*\.\s*use\s*\(\s*(\w+)\s*\.\s*routes\s*\(\s*\)\s*\)")
_EX_ROUTER = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*"
    r"(?:express\s*\.\s*Router|Router|new\s+Router|require\s*\(\s*['\"]express['\"]\s*\)\s*\.\s*Router)"
    r"\s*\(\s*(?:\{\s*prefix\s*:\s*" + STRING + r")?"
)
_EX_ROUTE = re.compile(
    r"\b(\w+)\s*\.\s*(get|post|put|patch|delete|all|head|options)\s*\(\s*" + STRING
)
# receivers that are HTTP clients, test agents or request/response objects, not routers
_NOT_ROUTERS = {
    "request", "supertest", "axios", "fetch", "http", "https", "res", "req", "client", "api",
}  # fmt: skip
_EX_CHAIN = re.compile(r"\b(\w+)\s*\.\s*route\s*\(\s*" + STRING + r"\s*\)")
_EX_USE = re.compile(
    r"\b(\w+)\s*\.\s*use\s*\(\s*(?:" + STRING + r"|([A-Za-z_$][\w$.]*))\s*,([^;]*?)\)\s*;?\s*$",
    re.MULTILINE,
)
_EX_CONST = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*" + STRING + r"\s*;?\s*$", re.M
)
_EX_CALL_ASSIGN = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(\w+)\s*\(")
_EX_USE_NOPREFIX = re.compile(r"\b(\w+)\s*\.\s*use\s*\(\s*(\w+|require\s*\([^)]*\))\s*\)")
_EX_EXPORT = re.compile(r"(?:module\.exports\s*=\s*|export\s+default\s+)(\w+)")
_EX_EXPORT_NAMED = re.compile(r"(?:module\.exports|exports)\s*\.\s*(\w+)\s*=\s*(\w+)")
_EX_EXPORT_OBJ = re.compile(r"module\.exports\s*=\s*\{([^}]*)\}")


@dataclass
class _Call:
    """One route call as written: what the handler view reads."""

    owner: str
    label: str  # router.get, router.route.post
    method: str
    path: str
    start: int  # offsets of the call's text
    end: int


@dataclass
class _JsFile:
    rel: str
    text: str
    apps: set[str] = field(default_factory=set)
    prefixes: dict[str, str] = field(default_factory=dict)
    routes: dict[str, list[Decl]] = field(default_factory=dict)
    mounts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # var -> (expr, prefix)
    imports: dict[str, str] = field(default_factory=dict)  # local name -> file rel
    named_imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local -> (file, name)
    export: str | None = None
    named_exports: dict[str, str] = field(default_factory=dict)
    consts: dict[str, str] = field(default_factory=dict)  # const API = '/api/v1'
    aliases: dict[str, str] = field(default_factory=dict)  # const r = makeRouter(ctx)
    calls: list[_Call] = field(default_factory=list)  # every route call, direct ones first


def _method(token: str) -> str:
    return "ANY" if token == "all" else token.upper()


def _scan_js(rel: str, raw: str, known: set[str]) -> _JsFile:
    text = blank_comments(raw)
    info = _JsFile(rel=rel, text=text)
    for m in _EX_APP.finditer(text):
        info.apps.add(m.group(1))
        info.prefixes[m.group(1)] = ""
    for m in _EX_ROUTER.finditer(text):
        info.prefixes[m.group(1)] = literal(m, 1)
    for m in _EX_ROUTE.finditer(text):
        owner, token, path = m.group(1), m.group(2), literal(m, 2)
        if owner in _NOT_ROUTERS and owner not in info.prefixes:
            continue
        if not path.startswith("/") and path != "*":
            continue  # app.get('env'), cache.delete('key'): settings and maps, not routes
        line = line_of(text, m.start())
        info.routes.setdefault(owner, []).append(Decl(_method(token), path, line, None))
        end = call_end(text, text.index("(", m.start() + len(owner)))
        info.calls.append(_Call(owner, f"{owner}.{token}", _method(token), path, m.start(), end))
    for m in _EX_CHAIN.finditer(text):
        owner, path = m.group(1), literal(m, 1)
        line = line_of(text, m.start())
        steps = _chain_steps(text, m.end())
        tokens = [t for t, _, _ in steps]
        if len(tokens) > 1:  # .all() after named methods answers the rest (usually with 405)
            tokens = [t for t in tokens if t != "all"]
        for token in tokens:
            info.routes.setdefault(owner, []).append(Decl(_method(token), path, line, None))
        for token, start, end in steps:
            label = f"{owner}.route.{token}"
            info.calls.append(_Call(owner, label, _method(token), path, start, end))
    for m in _EX_CONST.finditer(text):
        info.consts[m.group(1)] = literal(m, 1)
    for m in _EX_CALL_ASSIGN.finditer(text):
        if m.group(2) not in ("express", "Router", "require", "Number", "String", "parseInt"):
            info.aliases[m.group(1)] = m.group(2)
    for m in _EX_USE.finditer(text):
        owner, rest = m.group(1), m.group(6)
        prefix = literal(m, 1) if m.group(5) is None else info.consts.get(m.group(5))
        if prefix is None:
            continue  # app.use(middleware, ...) or a prefix we cannot read
        args = [a.strip() for a in split_args(rest)]
        if args:
            info.mounts.setdefault(owner, []).append((args[-1], prefix))
    for m in _EX_USE_NOPREFIX.finditer(text):
        info.mounts.setdefault(m.group(1), []).append((m.group(2), ""))
    for m in _HONO_ROUTE.finditer(text):
        info.mounts.setdefault(m.group(1), []).append((m.group(5), literal(m, 1)))
    for m in _FASTIFY_REGISTER.finditer(text):
        prefix = literal(m, 2) if m.lastindex and m.lastindex > 2 else ""
        info.mounts.setdefault(m.group(1), []).append((m.group(2), prefix))
    for m in _KOA_ROUTES.finditer(text):
        info.mounts.setdefault(m.group(1), []).append((m.group(2), ""))
    found = imports(rel, text, known)
    info.imports, info.named_imports = found.default, found.named
    m = _EX_EXPORT.search(text)
    if m:
        info.export = m.group(1)
    for m in _EX_EXPORT_NAMED.finditer(text):
        info.named_exports[m.group(1)] = m.group(2)
    for m in _EX_EXPORT_OBJ.finditer(text):
        for part in m.group(1).split(","):
            name, _, value = part.strip().partition(":")
            if name.strip():
                info.named_exports[name.strip()] = (value or name).strip()
    return info


_CHAIN_STEP = re.compile(r"\s*\.\s*(get|post|put|patch|delete|all|head|options)\s*(?=\()")


def _chain_steps(text: str, pos: int) -> list[tuple[str, int, int]]:
    """(method, start, end) of each ``.get(...)`` in ``.route(path).get(...).post(...)``, from
    just after ``.route(...)``."""
    steps = []
    for _ in range(12):
        m = _CHAIN_STEP.match(text, pos)
        if not m:
            break
        pos = call_end(text, m.end())
        steps.append((m.group(1), m.start(), pos))
    return steps


def _tables(texts: dict[str, str]) -> dict[str, _JsFile]:
    known = set(texts)
    return {rel: _scan_js(rel, texts[rel], known) for rel in sorted(texts)}


def _orphan(info: _JsFile, var: str) -> bool:
    """Routers mounted nowhere still count when the file creates them."""
    return var in info.prefixes or var in info.apps


def _resolver(tables: dict[str, _JsFile]) -> Callable[[_JsFile, str], tuple[_JsFile, str] | None]:
    """What a mounted expression (``todos``, ``routes.todos``, ``require('./x')``,
    ``makeRouter(db)``) names: a file's table and a router variable in it."""
    known = set(tables)

    def router_of(t: _JsFile, name: str) -> tuple[_JsFile, str]:
        """``name`` in ``t``; a factory function (``authRouter(ctx)``) stands for the one
        router its file creates."""
        if name in t.prefixes or name in t.routes or name in t.mounts:
            return t, name
        routers = [v for v in t.prefixes if v not in t.apps]
        if len(routers) == 1:
            return t, routers[0]
        if not routers and len(t.routes) == 1:  # a Fastify plugin: routes on its parameter
            return t, next(iter(t.routes))
        return t, "router" if "router" in routers else name

    def resolve(info: _JsFile, expr: str, depth: int = 0) -> tuple[_JsFile, str] | None:
        if depth > 6:
            return None
        expr = (
            re.sub(r"\s*\(.*\)\s*$", "", expr.strip(), flags=re.S)
            if not expr.startswith("require")
            else expr
        )
        req = re.match(r"require\s*\(\s*['\"]([^'\"]+)['\"]", expr)
        if req:
            target = resolve_import(info.rel, req.group(1), known)
            t = tables.get(target or "")
            return router_of(t, t.export) if t and t.export else None
        if "." in expr:  # routes.todos
            head, _, attr = expr.partition(".")
            t = tables.get(info.imports.get(head, ""))
            if t and attr in t.named_exports:
                return router_of(t, t.named_exports[attr])
            return None
        if expr in info.prefixes or expr in info.routes:
            return info, expr
        if expr in info.aliases:
            return resolve(info, info.aliases[expr], depth + 1)
        if expr in info.imports:
            t = tables.get(info.imports[expr])
            if t and t.export:
                return router_of(t, t.export)
        if expr in info.named_imports:
            file, name = info.named_imports[expr]
            t = tables.get(file)
            if t:
                return router_of(t, t.named_exports.get(name, name))
        return None

    return resolve


def express_routes(root: Path, files: list[str]) -> list[Route]:
    """Express (and router-style Koa/Fastify) routes, following app.use('/prefix', router)."""
    texts = {
        rel: text
        for rel in files
        if rel.endswith(JS_EXTENSIONS) and (text := read_text(root / rel)) is not None
    }
    tables = _tables(texts)
    _drop_mounted_apps(tables)
    return mounted_routes(tables, _resolver(tables), strict_slash=False, orphan=_orphan)


def _drop_mounted_apps(tables: dict[str, _JsFile]) -> None:
    """A sub-application mounted on another (Hono ``app.route('/users', users)``, an Express
    app under ``app.use('/v1', v1)``) is served under its mount, not at the root."""
    resolve = _resolver(tables)
    for info in tables.values():
        for mounts in info.mounts.values():
            for expr, _prefix in mounts:
                hit = resolve(info, expr)
                if hit and hit[1] in hit[0].apps and hit[0] is not info:
                    hit[0].apps.discard(hit[1])


def js_handlers(files: list[SourceLike]) -> list[Handler]:
    """Each route call with its full text, under the prefix its router is mounted at."""
    tables = _tables({f.path: f.text for f in files})
    _drop_mounted_apps(tables)
    prefixes = handler_prefixes(tables, _resolver(tables), orphan=_orphan)
    out: list[Handler] = []
    for f in files:
        for call in tables[f.path].calls:
            if not call.path.startswith("/"):
                continue
            body = f.text[call.start : call.end]
            prefix = prefixes.get((f.path, call.owner), "")
            out.append(
                Handler(
                    method=call.method,
                    path=prefix.rstrip("/") + call.path,
                    file=f.path,
                    line=f.line_of(call.start + len(body) - len(body.lstrip())),
                    end_line=f.line_of(call.end - 1),
                    name=call.label,
                    language=f.language,
                    body=body,
                )
            )
    return [h for h in out if h.method != "ANY" or "methodNotAllowed" not in h.body]
