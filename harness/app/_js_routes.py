"""JavaScript/TypeScript route reader: Express (and router-style Koa/Fastify) routes followed
through ``app.use('/prefix', router)`` across files, and the handler calls with their bodies.
"""

from __future__ import annotations

import re
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
from harness.app._routes import AppFile, Decl, Handler, SourceLike, mounted_routes

OTHER_NODE_FRAMEWORKS = {
    "koa": "Koa",
    "fastify": "Fastify",
    "@nestjs/core": "NestJS",
    "@hapi/hapi": "hapi",
    "hapi": "hapi",
    "restify": "restify",
}
_JS_EXPRESS = re.compile(r"\b(\w+)\s*=\s*express\s*\(\s*\)")
_JS_REQ_EXPRESS = re.compile(r"""(?:require\s*\(\s*|from\s+)['"]express['"]""")


def app_objects(rel: str, text: str) -> list[AppFile]:
    """The Express app object; for other Node frameworks, a marker naming the framework."""
    m = _JS_EXPRESS.search(text)
    if m and _JS_REQ_EXPRESS.search(text):
        return [AppFile(rel, "express", m.group(1))]
    for pkg, label in OTHER_NODE_FRAMEWORKS.items():
        if re.search(r"""(?:require\s*\(\s*|from\s+)['"]""" + re.escape(pkg) + "['\"]", text):
            return [AppFile(rel, f"other:{label}")]
    return []


_EX_APP = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:express|fastify|new\s+Koa)\s*\(")
_EX_ROUTER = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*"
    r"(?:express\s*\.\s*Router|Router|new\s+Router|require\s*\(\s*['\"]express['\"]\s*\)\s*\.\s*Router)"
    r"\s*\(\s*(?:\{\s*prefix\s*:\s*" + STRING + r")?"
)
_EX_ROUTE = re.compile(
    r"\b(\w+)\s*\.\s*(get|post|put|patch|delete|all|head|options)\s*\(\s*" + STRING
)
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


def _scan_js(root: Path, rel: str, known: set[str]) -> _JsFile | None:
    raw = read_text(root / rel)
    if raw is None:
        return None
    text = blank_comments(raw)
    info = _JsFile(rel=rel, text=text)
    for m in _EX_APP.finditer(text):
        info.apps.add(m.group(1))
        info.prefixes[m.group(1)] = ""
    for m in _EX_ROUTER.finditer(text):
        info.prefixes[m.group(1)] = literal(m, 1)
    for m in _EX_ROUTE.finditer(text):
        owner, method, path = m.group(1), m.group(2), literal(m, 2)
        if owner in ("request", "supertest", "axios", "fetch", "http", "res", "req", "client"):
            continue
        if method == "get" and not path.startswith("/") and path != "*":
            continue  # app.get('env') and friends read settings
        info.routes.setdefault(owner, []).append(
            Decl("ANY" if method == "all" else method.upper(), path, line_of(text, m.start()), None)
        )
    for m in _EX_CHAIN.finditer(text):
        owner, path = m.group(1), literal(m, 1)
        line = line_of(text, m.start())
        for method in _chain_methods(text, m.end()):
            info.routes.setdefault(owner, []).append(
                Decl("ANY" if method == "all" else method.upper(), path, line, None)
            )
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


def _chain_methods(text: str, pos: int) -> list[str]:
    """Methods of ``.route(path).get(...).post(...)``, from just after ``.route(...)``."""
    methods = []
    for _ in range(12):
        m = _CHAIN_STEP.match(text, pos)
        if not m:
            break
        methods.append(m.group(1))
        pos = call_end(text, m.end())
    if len(methods) > 1:  # .all() after named methods answers the rest (usually with 405)
        methods = [x for x in methods if x != "all"]
    return methods


def express_routes(root: Path, files: list[str]) -> list[Route]:
    """Express (and router-style Koa/Fastify) routes, following app.use('/prefix', router)."""
    known = {f for f in files if f.endswith(JS_EXTENSIONS)}
    tables = {rel: t for rel in sorted(known) if (t := _scan_js(root, rel, known)) is not None}

    def router_of(t: _JsFile, name: str) -> tuple[_JsFile, str]:
        """``name`` in ``t``; a factory function (``authRouter(ctx)``) stands for the one
        router its file creates."""
        if name in t.prefixes or name in t.routes or name in t.mounts:
            return t, name
        routers = [v for v in t.prefixes if v not in t.apps]
        if len(routers) == 1:
            return t, routers[0]
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

    return mounted_routes(
        tables,
        resolve,
        strict_slash=False,
        orphan=lambda info, var: var in info.prefixes or var in info.apps,
    )


# ----------------------------------------------------------------------------- handlers

_JS_ROUTE = re.compile(
    r"""\b([A-Za-z_$][\w$]*)\.(get|post|put|patch|delete|all)\(\s*(['"`])(/[^'"`]*)\3"""
)
_JS_CONST = re.compile(r"""(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(['"`])(/[^'"`]*)\2""")
_JS_MOUNT = re.compile(
    r"""\b[A-Za-z_$][\w$]*\.use\(\s*(?:(['"`])(/[^'"`]*)\1|([A-Za-z_$][\w$.]*))\s*,\s*(?:[^,()]*,\s*)*"""
    r"""(?:require\(\s*['"](\.[^'"]+)['"]\s*\)|([A-Za-z_$][\w$]*))\s*(?:\([^()]*\))?\s*\)"""
)
_JS_CHAIN = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*\.route\(\s*(['"`])(/[^'"`]*)\2\s*\)""")
_JS_CHAINED_METHOD = re.compile(r"""\s*\.(get|post|put|patch|delete|all)\s*\(""")


def _js_prefixes(files: list[SourceLike]) -> dict[str, str]:
    """file -> prefix under which its routes are mounted (app.use('/api/v1', router))."""
    known = {f.path for f in files}
    constants = {m.group(1): m.group(3) for f in files for m in _JS_CONST.finditer(f.text)}
    mounted: dict[str, tuple[str, str]] = {}  # child file -> (parent file, prefix)
    local: dict[tuple[str, str], str] = {}
    for f in files:
        found = imports(f.path, f.text, known)
        by_name = {**found.default, **{k: file for k, (file, _) in found.named.items()}}
        for m in _JS_MOUNT.finditer(f.text):
            prefix = m.group(2) if m.group(1) else constants.get((m.group(3) or "").split(".")[-1])
            spec, var = m.group(4), m.group(5)
            target = resolve_import(f.path, spec, known) if spec else by_name.get(var or "")
            if prefix is not None and target and target != f.path:
                mounted[target] = (f.path, prefix)
            elif prefix is not None and var and not spec:
                local[(f.path, var)] = prefix  # router declared and mounted in one file
    out: dict[str, str] = {}
    for child in mounted:
        prefix, seen, node = "", set(), child
        while node in mounted and node not in seen:
            seen.add(node)
            parent, p = mounted[node]
            prefix = p.rstrip("/") + prefix
            node = parent
        out[child] = prefix
    for (path, var), prefix in local.items():
        out[f"{path}\x00{var}"] = out.get(path, "").rstrip("/") + prefix
    return out


def js_handlers(files: list[SourceLike]) -> list[Handler]:
    prefixes = _js_prefixes(files)
    out: list[Handler] = []
    for f in files:
        for m in _JS_ROUTE.finditer(f.text):
            receiver = m.group(1)
            if receiver in ("axios", "http", "https", "api", "client", "request", "fetch", "$"):
                continue
            open_paren = f.text.index("(", m.start())
            end = call_end(f.text, open_paren)
            line = f.line_of(m.start())
            out.append(
                Handler(
                    method=m.group(2).upper().replace("ALL", "ANY"),
                    path=prefixes.get(f"{f.path}\x00{receiver}", prefixes.get(f.path, "")).rstrip(
                        "/"
                    )
                    + m.group(4),
                    file=f.path,
                    line=line,
                    end_line=f.line_of(end - 1),
                    name=f"{receiver}.{m.group(2)}",
                    language=f.language,
                    body=f.text[m.start() : end],
                )
            )
        for m in _JS_CHAIN.finditer(f.text):  # router.route('/x').get(...).post(...)
            pos = call_end(f.text, f.text.index("(", m.start() + len(m.group(1))))
            while True:
                cm = _JS_CHAINED_METHOD.match(f.text, pos)
                if not cm:
                    break
                end = call_end(f.text, cm.end() - 1)
                out.append(
                    Handler(
                        method=cm.group(1).upper().replace("ALL", "ANY"),
                        path=prefixes.get(f.path, "").rstrip("/") + m.group(3),
                        file=f.path,
                        line=f.line_of(cm.start() + len(cm.group(0)) - len(cm.group(0).lstrip())),
                        end_line=f.line_of(end - 1),
                        name=f"{m.group(1)}.route.{cm.group(1)}",
                        language=f.language,
                        body=f.text[cm.start() : end],
                    )
                )
                pos = end
    return [h for h in out if h.method != "ANY" or "methodNotAllowed" not in h.body]
