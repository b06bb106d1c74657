"""Go route reader: net/http (ServeMux, Go 1.22 ``"GET /x/{id}"`` patterns), Gin, Echo, Fiber,
chi and gorilla/mux handler tables, followed through groups (``r.Group("/api")``, chi
``r.Route``/``r.Mount``, gorilla ``PathPrefix().Subrouter()``) and through routers handed to
registration functions in other files and packages (``routes.Register(api)``).

Go code shares one scope per package (directory), so each package is one table; a router is
named by the function it lives in and its variable (``main:r``), a struct field by its name
(``.router``), so that ``s.router`` set in one file and used in another is the same router.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from harness.app._files import is_test_path, read_text
from harness.app._go_text import (
    GO_STRING,
    GoFunc,
    blank_go_comments,
    functions,
    go_imports,
    go_literal,
    line_at,
)
from harness.app._js_text import call_end, split_args
from harness.app._model import Route
from harness.app._routes import AppFile, Decl, Handler, SourceLike, normalise_path, walk_mounts

# import path (prefix) -> framework name
GO_FRAMEWORKS = {
    "github.com/gin-gonic/gin": "gin",
    "github.com/labstack/echo": "echo",
    "github.com/gofiber/fiber": "fiber",
    "github.com/go-chi/chi": "chi",
    "github.com/gorilla/mux": "gorilla",
    "net/http": "nethttp",
}
_FRAMEWORK_RANK = ("gin", "echo", "fiber", "chi", "gorilla", "nethttp")
_MAKERS = {"Default", "New", "NewRouter", "NewMux", "NewServeMux"}
_ROUTER_TYPES = re.compile(
    r"\b(Engine|RouterGroup|IRouter|IRoutes|Echo|Group|App|Router|Mux|ServeMux)\b"
)
_UPPER = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_TITLE = {m.title(): m for m in _UPPER}
_ANY = {"Any", "All", "HandleFunc", "Handle", "HandlerFunc"}
_WITH_METHOD = {"Handle", "Method", "MethodFunc", "Add", "Match"}  # ("GET", "/x", h)

_ASSIGN_MAKER = re.compile(r"(?:\bvar\s+)?([\w.]+)\s*:?=\s*&?(\w+)\.(\w+)\s*\(")
_ASSIGN_GROUP = re.compile(
    r"(?:\bvar\s+)?([\w.]+)\s*:?=\s*([\w.]+)\.(?:Group|PathPrefix)\(\s*" + GO_STRING + r"[^)\n]*\)"
)
_CLOSURE = re.compile(
    r"([\w.]+)\.(Route|Group)\(\s*(?:" + GO_STRING + r"\s*,\s*)?func\s*\(\s*(\w+)\s+[\w.*]+\s*\)"
)
_CALL = re.compile(r"([\w.]+)\.(\w+)\s*\(")
_MOUNT = re.compile(r"([\w.]+)\.Mount\(\s*" + GO_STRING + r"\s*,\s*([\w.]+)\s*\(")
_INLINE_GROUP = re.compile(
    r"([\w.]+)\.(?:Group|PathPrefix)\(\s*" + GO_STRING + r"[^)]*\)(?:\.Subrouter\(\))?"
)
_FUNC_CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*\(")
_PARAM_PATTERN = re.compile(r"\{(\w+)(?::[^}]*)?\}|\*(\w+)$|\{(\w+)\.\.\.\}")


@dataclass
class GoDecl(Decl):
    file: str = ""
    start: int = 0  # offsets of the route call in its file
    end: int = 0
    owner: str = ""


@dataclass
class _Scope:
    key: str  # function (or closure) id
    start: int
    end: int
    names: set[str] = field(default_factory=set)  # variables declared or received here


@dataclass
class _GoPackage:
    """One package's routers (a ``RouteTable``): ``rel`` is its directory."""

    rel: str
    apps: set[str] = field(default_factory=set)
    prefixes: dict[str, str] = field(default_factory=dict)
    routes: dict[str, list[Decl]] = field(default_factory=dict)
    mounts: dict[str, list[tuple[tuple, str]]] = field(default_factory=dict)
    created: list[tuple[str, str]] = field(default_factory=list)  # (router key, function key)
    funcs: dict[str, list[tuple[str, GoFunc]]] = field(default_factory=dict)  # name -> (file, fn)
    texts: dict[str, str] = field(default_factory=dict)
    framework: set[str] = field(default_factory=set)


def framework_of(imports: dict[str, str]) -> str | None:
    found = {
        fw for path in imports.values() for pre, fw in GO_FRAMEWORKS.items() if path.startswith(pre)
    }
    return next((fw for fw in _FRAMEWORK_RANK if fw in found), None)


def app_objects(rel: str, text: str) -> list[AppFile]:
    """A ``main`` package file that creates a router or serves HTTP: the app object."""
    if not re.search(r"^package\s+main\b", text, re.M):
        return []
    imports = go_imports(text)
    fw = framework_of(imports)
    if fw is None:
        return []
    aliases = {a for a, p in imports.items() if any(p.startswith(k) for k in GO_FRAMEWORKS)}
    for m in _ASSIGN_MAKER.finditer(text):
        if m.group(2) in aliases and m.group(3) in _MAKERS:
            return [AppFile(rel, fw, m.group(1))]
    if re.search(r"\.(ListenAndServe(TLS)?|Run|Start|Listen|Serve)\s*\(", text):
        return [AppFile(rel, fw, None)]
    return []


def _key(name: str, pos: int, scopes: list[_Scope]) -> str:
    if "." in name:
        return "." + name.rsplit(".", 1)[1]
    for s in sorted(
        (s for s in scopes if s.start <= pos < s.end), key=lambda s: s.start, reverse=True
    ):
        if name in s.names:
            return f"{s.key}:{name}"
    inner = [s for s in scopes if s.start <= pos < s.end]
    outer = min(inner, key=lambda s: s.start).key if inner else ""
    return f"{outer}:{name}"


def _method_of(token: str) -> str | None:
    if token in _UPPER:
        return token
    if token in _TITLE:
        return _TITLE[token]
    if token in _ANY:
        return "ANY"
    return None


def _scan_file(pkg: _GoPackage, rel: str, raw: str) -> None:
    text = blank_go_comments(raw)
    pkg.texts[rel] = text
    imports = go_imports(text)
    fw = framework_of(imports)
    if fw:
        pkg.framework.add(fw)
    fw_aliases = {a for a, p in imports.items() if any(p.startswith(k) for k in GO_FRAMEWORKS)}
    http_alias = next((a for a, p in imports.items() if p == "net/http"), None)
    scopes: list[_Scope] = []
    for fn in functions(text):
        key = f"{fn.receiver}.{fn.name}" if fn.receiver else fn.name
        pkg.funcs.setdefault(fn.name, []).append((rel, fn))
        names = {n for n, _ in fn.param_names()}
        body = text[fn.body_start : fn.end]
        names |= set(re.findall(r"(?:\bvar\s+|[;{\n]\s*)(\w+)(?:\s*,\s*\w+)*\s*:?=", body))
        scopes.append(_Scope(key, fn.start, fn.end, names))
    for m in _CLOSURE.finditer(text):
        brace = text.find("{", m.end())
        if brace < 0:
            continue
        inner = _Scope(f"closure@{rel}:{m.start()}", brace, call_end(text, brace), {m.group(5)})
        outer = _key(m.group(1), m.start(), scopes)
        scopes.append(inner)
        prefix = go_literal(m, 2) if m.group(2) == "Route" else ""
        if m.group(2) == "Route" or m.group(3) is None:
            pkg.mounts.setdefault(outer, []).append((("var", f"{inner.key}:{m.group(5)}"), prefix))
    for m in _ASSIGN_MAKER.finditer(text):
        if m.group(2) in fw_aliases and m.group(3) in _MAKERS:
            key = _key(m.group(1), m.start(), scopes)
            owner = [
                s
                for s in scopes
                if s.start <= m.start() < s.end and not s.key.startswith("closure@")
            ]
            pkg.prefixes.setdefault(key, "")
            pkg.created.append((key, owner[0].key if owner else ""))
    for m in _ASSIGN_GROUP.finditer(text):
        child = _key(m.group(1), m.start(), scopes)
        parent = _key(m.group(2), m.start(), scopes)
        pkg.prefixes.setdefault(child, "")
        pkg.mounts.setdefault(parent, []).append((("var", child), go_literal(m, 2)))
    for m in _MOUNT.finditer(text):
        parent = _key(m.group(1), m.start(), scopes)
        target = m.group(4)
        qual, _, name = target.rpartition(".")
        pkg.mounts.setdefault(parent, []).append((("ret", qual, name, rel), go_literal(m, 1)))
    _scan_routes(pkg, rel, text, scopes, http_alias)
    _scan_router_args(pkg, rel, text, scopes, fw_aliases | ({http_alias} if http_alias else set()))


def _scan_routes(
    pkg: _GoPackage, rel: str, text: str, scopes: list[_Scope], http_alias: str | None
) -> None:
    for m in _CALL.finditer(text):
        owner, token = m.group(1), m.group(2)
        method = _method_of(token)
        if method is None and token not in _WITH_METHOD:
            continue
        open_paren = m.end() - 1
        end = call_end(text, open_paren, max_chars=50000)
        args = split_args(text[open_paren + 1 : end - 1])
        if not args:
            continue
        first = re.fullmatch(r"\s*" + GO_STRING + r"\s*", args[0])
        if token in _WITH_METHOD:
            second = re.fullmatch(r"\s*" + GO_STRING + r"\s*", args[1]) if len(args) > 1 else None
            if first is None or second is None or go_literal(first).upper() not in _UPPER:
                continue
            method, path, handler_arg = go_literal(first).upper(), go_literal(second), args[2:]
        else:
            if first is None:
                continue
            path, handler_arg = go_literal(first), args[1:]
        if not handler_arg:
            continue
        pattern = re.fullmatch(r"([A-Z]+)\s+(/\S*)", path)  # Go 1.22 ServeMux "GET /x/{id}"
        if pattern and method == "ANY":
            method, path = pattern.group(1), pattern.group(2)
        if not path.startswith("/") and path != "":
            continue  # c.Get("key"), http.Get("http://..."): not routes; "" is the group root
        if method == "ANY":
            chained = re.match(r"\s*\.\s*Methods\(([^)]*)\)", text[end : end + 200])
            if chained:
                methods = re.findall(r'"(\w+)"', chained.group(1))
                for extra in methods[1:]:
                    _add(
                        pkg,
                        rel,
                        text,
                        scopes,
                        owner,
                        http_alias,
                        m,
                        end,
                        extra.upper(),
                        path,
                        handler_arg,
                    )
                method = methods[0].upper() if methods else "ANY"
        _add(pkg, rel, text, scopes, owner, http_alias, m, end, method or "ANY", path, handler_arg)


def _add(
    pkg: _GoPackage,
    rel: str,
    text: str,
    scopes: list[_Scope],
    owner: str,
    http_alias: str | None,
    m: re.Match[str],
    end: int,
    method: str,
    path: str,
    handler_arg: list[str],
) -> None:
    if owner == http_alias:  # http.HandleFunc: the default ServeMux
        key = ":DefaultServeMux"
        pkg.prefixes.setdefault(key, "")
        pkg.created.append((key, ""))
    else:
        key = _key(owner, m.start(), scopes)
    last = handler_arg[-1].strip()
    ident = re.fullmatch(r"(?:[\w.]+\.)?(\w+)(?:\([^()]*\))?", last)
    handler = ident.group(1) if ident and not last.startswith("func") else None
    decl = GoDecl(method, path, line_at(text, m.start()), handler, rel, m.start(), end, key)
    pkg.routes.setdefault(key, []).append(decl)


def _scan_router_args(
    pkg: _GoPackage, rel: str, text: str, scopes: list[_Scope], fw_aliases: set[str]
) -> None:
    """``routes.Register(api)``: a router handed to a function; the function's parameter at
    that position is the same router (resolved once every package is read)."""
    known = set(pkg.prefixes) | set(pkg.routes) | set(pkg.mounts)
    for m in _FUNC_CALL.finditer(text):
        target = m.group(1)
        qual, _, name = target.rpartition(".")
        if qual in fw_aliases or name in ("func", "if", "for", "switch", "return", "make", "len"):
            continue
        end = call_end(text, m.end() - 1, max_chars=5000)
        for i, arg in enumerate(split_args(text[m.end() : end - 1])):
            arg = arg.strip()
            prefix = ""
            group = _INLINE_GROUP.fullmatch(arg)  # register(api.Group("/todos"), ...)
            if group:
                arg, prefix = group.group(1), go_literal(group, 1)
            if not re.fullmatch(r"[\w.]+", arg):
                continue
            key = _key(arg, m.start(), scopes)
            if key in known:
                pkg.mounts.setdefault(key, []).append((("param", qual, name, rel, i), prefix))


def _tables(texts: dict[str, str]) -> dict[str, _GoPackage]:
    pkgs: dict[str, _GoPackage] = {}
    for rel in sorted(texts):
        d = str(PurePosixPath(rel).parent)
        pkg = pkgs.setdefault(d, _GoPackage(rel=d))
        _scan_file(pkg, rel, texts[rel])
    return pkgs


def _resolver(pkgs: dict[str, _GoPackage]):
    def find_funcs(src: _GoPackage, qual: str, name: str) -> list[tuple[_GoPackage, str, GoFunc]]:
        hits = [(p, f, fn) for p in pkgs.values() for f, fn in p.funcs.get(name, [])]
        if not qual:
            same = [h for h in hits if h[0] is src]
            return same or hits
        by_dir = [h for h in hits if PurePosixPath(h[0].rel).name == qual]
        return by_dir or [h for h in hits if h[0] is not src] or hits

    def resolve(pkg: _GoPackage, expr: tuple) -> tuple[_GoPackage, str] | None:
        kind = expr[0]
        if kind == "var":
            return pkg, expr[1]
        if kind == "param":
            _, qual, name, _rel, index = expr
            for target, _f, fn in find_funcs(pkg, qual, name):
                params = fn.param_names()
                if index < len(params) and _ROUTER_TYPES.search(params[index][1]):
                    key = f"{fn.receiver}.{fn.name}" if fn.receiver else fn.name
                    return target, f"{key}:{params[index][0]}"
            return None
        if kind == "ret":
            _, qual, name, _rel = expr
            for target, _f, fn in find_funcs(pkg, qual, name):
                key = f"{fn.receiver}.{fn.name}" if fn.receiver else fn.name
                made = [r for r, owner in target.created if owner == key]
                if made:
                    return target, made[0]
            return None
        return None

    return resolve


def _walk(pkgs: dict[str, _GoPackage]) -> list[tuple[_GoPackage, str, str]]:
    resolve = _resolver(pkgs)
    mounted: set[tuple[str, str]] = set()
    for pkg in pkgs.values():
        for exprs in pkg.mounts.values():
            for expr, _prefix in exprs:
                hit = resolve(pkg, expr)
                if hit:
                    mounted.add((hit[0].rel, hit[1]))
    for pkg in pkgs.values():  # a router mounted somewhere is not an application of its own
        pkg.apps = {k for k, _ in pkg.created if (pkg.rel, k) not in mounted}
    return walk_mounts(pkgs, resolve, orphan=lambda _p, _v: True)


def go_routes(root: Path, files: list[str]) -> list[Route]:
    texts = _texts(root, files)
    pkgs = _tables(texts)
    out: list[Route] = []
    seen: set[tuple[str, str, str, int]] = set()
    for pkg, var, prefix in _walk(pkgs):
        for d in pkg.routes.get(var, []):
            assert isinstance(d, GoDecl)
            path = go_path(_join(prefix, d.path))
            key = (d.method, path, d.file, d.line)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Route(method=d.method, path=path, file=d.file, line=d.line, handler=d.handler)
            )
    from harness.app._go_inputs import fill_inputs

    fill_inputs(pkgs, out)
    return out


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path or "/"
    if path in ("", "/"):
        return prefix.rstrip("/") or "/"
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def go_path(path: str) -> str:
    """``/users/:id``, ``/files/*path``, ``/items/{id:[0-9]+}``, ``{rest...}`` -> ``{name}``."""
    parts = []
    for part in path.split("/"):
        m = _PARAM_PATTERN.fullmatch(part) or re.fullmatch(r"\{(\w+)\.\.\.\}", part)
        if m:
            parts.append("{" + next(g for g in m.groups() if g) + "}")
        elif part.startswith("*") and len(part) > 1:
            parts.append("{" + part[1:] + "}")
        else:
            parts.append(part)
    return normalise_path("/".join(parts))


def _texts(root: Path, files: list[str]) -> dict[str, str]:
    return {
        rel: text
        for rel in files
        if rel.endswith(".go")
        and not is_test_path(rel)
        and (text := read_text(root / rel)) is not None
    }


def handler_body(
    pkg_all: dict[str, _GoPackage], home: _GoPackage, name: str
) -> tuple[str, GoFunc] | None:
    """The function named ``name`` (same package first), with its file."""
    hits = home.funcs.get(name, []) or [h for p in pkg_all.values() for h in p.funcs.get(name, [])]
    return hits[0] if hits else None


def go_handlers(files: Sequence[SourceLike]) -> list[Handler]:
    """Each route with its handler's source: the named function's body, else the call."""
    by_path = {f.path: f for f in files}
    pkgs = _tables({f.path: f.text for f in files if not is_test_path(f.path)})
    out: list[Handler] = []
    for pkg, var, prefix in _walk(pkgs):
        for d in pkg.routes.get(var, []):
            assert isinstance(d, GoDecl)
            src = by_path[d.file]
            rel, start, end, name = d.file, d.start, d.end, d.handler or f"{var}.{d.method}"
            found = handler_body(pkgs, pkg, d.handler) if d.handler else None
            if found is not None:
                rel, fn = found
                src, start, end = by_path[rel], fn.start, fn.end
            out.append(
                Handler(
                    method=d.method,
                    path=go_path(_join(prefix, d.path)),
                    file=rel,
                    line=src.line_of(start),
                    end_line=src.line_of(max(start, end - 1)),
                    name=name,
                    language="go",
                    body=src.text[start:end],
                )
            )
    return out
