"""Static route discovery: Flask, FastAPI, Django urls.py and Express, across files.

Each file is read into a small table (router objects and their prefixes, routes declared on them,
routers mounted on other routers, imported names); routes are then collected by walking from the
application objects through every mount, adding prefixes on the way. Routers mounted nowhere are
still reported with their own prefix.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from harness.app._model import Route

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_FLASK_PARAM = re.compile(r"<(?:[a-zA-Z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_DJANGO_PARAM = _FLASK_PARAM
_EXPRESS_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)\??(?:\([^)]*\))?")
_REGEX_GROUP = re.compile(r"\(\?P<([a-zA-Z_][a-zA-Z0-9_]*)>[^)]*\)")
_F = TypeVar("_F", "_PyFile", "_JsFile")  # a file's table of routers, routes and mounts


def normalise_path(path: str) -> str:
    """``/todos/<int:id>`` and ``/todos/:id`` become ``/todos/{id}``; slashes collapsed."""
    path = _FLASK_PARAM.sub(r"{\1}", path)
    path = _EXPRESS_PARAM.sub(r"{\1}", path)
    path = re.sub(r"/{2,}", "/", path)
    if not path.startswith("/"):
        path = "/" + path
    return path


def join(prefix: str, path: str, *, strict_slash: bool = True) -> str:
    """Prefix + path. Flask/FastAPI serve ``prefix + "/"`` literally (``/todos/``); Express
    (``strict_slash=False``) matches a router's "/" at the bare prefix (``/todos``)."""
    if not prefix:
        return path or "/"
    if not path:
        return prefix
    if path == "/" and not strict_slash:
        return prefix.rstrip("/") or "/"
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def _mounted_routes(
    tables: Mapping[str, _F],
    resolve: Callable[[_F, Any], tuple[_F, str] | None],
    *,
    strict_slash: bool,
    orphan: Callable[[_F, str], bool],
) -> list[Route]:
    """Routes reached from every application object through its mounts, prefixes added on the
    way; then those of routers mounted nowhere we could follow (the ones ``orphan`` accepts)."""
    found: list[Route] = []
    seen: set[tuple[str, str, str]] = set()
    visited: set[tuple[str, str]] = set()

    def walk(info: _F, var: str, prefix: str, depth: int) -> None:
        key = (info.rel, var, prefix)  # one router may be mounted under several prefixes
        if key in seen or depth > 12:
            return
        seen.add(key)
        visited.add((info.rel, var))
        own = join(prefix, info.prefixes.get(var, ""))
        for d in info.routes.get(var, []):
            found.append(
                Route(
                    method=d.method,
                    path=normalise_path(join(own, d.path, strict_slash=strict_slash)),
                    file=info.rel,
                    line=d.line,
                    handler=d.handler,
                )
            )
        for expr, mount_prefix in info.mounts.get(var, []):
            hit = resolve(info, expr)
            if hit:
                walk(hit[0], hit[1], join(own, mount_prefix), depth + 1)

    for info in tables.values():
        for app in sorted(info.apps):
            walk(info, app, "", 0)
    for info in tables.values():
        for var in list(info.routes):
            if (info.rel, var) not in visited and orphan(info, var):
                walk(info, var, "", 0)
    return found


# ----------------------------------------------------------------- Python (Flask, FastAPI)


@dataclass
class _Decl:
    method: str
    path: str
    line: int
    handler: str | None


@dataclass
class _PyFile:
    rel: str
    module: str
    apps: set[str] = field(default_factory=set)  # Flask()/FastAPI() objects
    prefixes: dict[str, str] = field(default_factory=dict)  # router var -> own prefix
    routes: dict[str, list[_Decl]] = field(default_factory=dict)  # var -> routes
    # var -> [(mounted router expression, prefix)]
    mounts: dict[str, list[tuple[ast.expr, str]]] = field(default_factory=dict)
    # local name -> (module, attribute or None for `import module`)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    consts: dict[str, str] = field(default_factory=dict)  # module-level NAME = "string"


_APP_CTORS = {"Flask", "FastAPI", "Quart", "Starlette"}
_ROUTER_CTORS = {"APIRouter", "Blueprint"}


def _call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _str(node: ast.expr | None, consts: dict[str, str] | None = None) -> str | None:
    """A string literal, a module constant, or an f-string of those."""
    consts = consts or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    if isinstance(node, ast.JoinedStr):  # f"{API}/todos"
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                parts.append(_str(v.value, consts) or "")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # API + "/todos"
        left, right = _str(node.left, consts), _str(node.right, consts)
        if left is not None and right is not None:
            return left + right
    return None


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _methods(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [str(e.value).upper() for e in node.elts if isinstance(e, ast.Constant)]
    return []


def _var(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # module.router
        base = _var(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _module_name(rel: str, import_root: str) -> str:
    p = Path(rel)
    if import_root and import_root != ".":
        with contextlib.suppress(ValueError):
            p = p.relative_to(import_root)
    parts = list(p.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _scan_python(root: Path, rel: str, import_root: str) -> _PyFile | None:
    try:
        tree = ast.parse((root / rel).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return None
    info = _PyFile(rel=rel, module=_module_name(rel, import_root))
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            value = _str(stmt.value, info.consts)
            if isinstance(target, ast.Name) and value is not None:
                info.consts[target.id] = value
    pkg = info.module.split(".")
    if not rel.endswith("__init__.py"):
        pkg = pkg[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
                base = ".".join([*anchor, base] if base else anchor)
            for a in node.names:
                info.imports[a.asname or a.name] = (base, a.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                info.imports[a.asname or a.name.split(".")[0]] = (a.name, None)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            ctor = _call_name(node.value)
            for target in node.targets:
                if not isinstance(target, ast.Name):
                    continue
                if ctor in _APP_CTORS:
                    info.apps.add(target.id)
                    if ctor == "FastAPI":
                        info.prefixes[target.id] = ""
                elif ctor in _ROUTER_CTORS:
                    kw = "prefix" if ctor == "APIRouter" else "url_prefix"
                    info.prefixes[target.id] = _str(_kw(node.value, kw), info.consts) or ""
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                _python_decorator(info, dec, node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _python_call(info, node)
    return info


def _python_decorator(info: _PyFile, dec: ast.expr, fn: ast.AST) -> None:
    if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
        return
    owner = _var(dec.func.value)
    attr = dec.func.attr
    if owner is None or not dec.args:
        return
    path = _str(dec.args[0], info.consts)
    if path is None:
        return
    name = getattr(fn, "name", None)
    line = getattr(dec, "lineno", 0)
    if attr in HTTP_METHODS:
        methods = [attr.upper()]
    elif attr == "route" or attr == "api_route":
        methods = _methods(_kw(dec, "methods")) or ["GET"]
    else:
        return
    for m in methods:
        info.routes.setdefault(owner, []).append(_Decl(m, path, line, name))


def _python_call(info: _PyFile, call: ast.Call) -> None:
    assert isinstance(call.func, ast.Attribute)
    owner = _var(call.func.value)
    attr = call.func.attr
    if owner is None:
        return
    if attr in ("include_router", "register_blueprint") and call.args:
        kw = "prefix" if attr == "include_router" else "url_prefix"
        prefix = _str(_kw(call, kw), info.consts) or ""
        info.mounts.setdefault(owner, []).append((call.args[0], prefix))
    elif attr in ("add_url_rule", "add_api_route") and call.args:
        path = _str(call.args[0], info.consts)
        if path is None:
            return
        methods = _methods(_kw(call, "methods")) or ["GET"]
        handler = (
            call.args[1] if len(call.args) > 1 else _kw(call, "view_func") or _kw(call, "endpoint")
        )
        name = _var(handler) if handler is not None else None
        for m in methods:
            info.routes.setdefault(owner, []).append(_Decl(m, path, call.lineno, name))


def python_routes(root: Path, files: list[str], import_roots: list[str]) -> list[Route]:
    """Flask/FastAPI routes of the Python files under ``root``."""
    tables: dict[str, _PyFile] = {}
    by_module: dict[str, _PyFile] = {}
    for rel in files:
        if not rel.endswith(".py"):
            continue
        ir = next((r for r in import_roots if r == "." or rel.startswith(r.rstrip("/") + "/")), ".")
        info = _scan_python(root, rel, ir)
        if info is None:
            continue
        tables[rel] = info
        by_module[info.module] = info
        if ir != ".":
            by_module.setdefault(_module_name(rel, "."), info)

    def resolve(info: _PyFile, expr: ast.expr) -> tuple[_PyFile, str] | None:
        """The file and variable a mounted router expression refers to."""
        name = _var(expr)
        if name is None:
            return None
        if "." in name:  # todos.router -> module todos (imported), variable router
            head, _, var = name.rpartition(".")
            first, *rest = head.split(".")
            mod, attr = info.imports.get(first, (first, None))
            dotted = ".".join(x for x in [mod, attr if attr else None, *rest] if x)
            target = by_module.get(dotted)
            return (target, var) if target else None
        if name in info.prefixes or name in info.routes or name in info.mounts:
            return info, name
        if name in info.imports:
            mod, attr = info.imports[name]
            if attr is None:
                return None
            target = by_module.get(mod)
            if target is not None and attr in target.imports and attr not in target.prefixes:
                return resolve(target, ast.Name(id=attr))
            if target is not None:
                return target, attr
            sub = by_module.get(f"{mod}.{attr}")  # from app.routers import todos  (module)
            if sub is not None:
                return sub, "router" if "router" in sub.prefixes else next(iter(sub.prefixes), attr)
        return None

    return _mounted_routes(tables, resolve, strict_slash=True, orphan=lambda info, var: True)


# ------------------------------------------------------------------------------ Django

_DJ_PATH = re.compile(
    r"""\b(path|re_path|url)\s*\(\s*r?['"]([^'"]*)['"]\s*,\s*(include\s*\(\s*(?:\(\s*)?['"]?([\w.]+)['"]?)?""",
)
_DJ_REGISTER = re.compile(r"""\.register\s*\(\s*r?['"]([^'"]+)['"]""")


def django_routes(root: Path, files: list[str], settings_urlconf: str | None) -> list[Route]:
    """Django URLconf routes, following include() from the root urls module."""
    modules: dict[str, str] = {}
    for rel in files:
        if rel.endswith("urls.py") or "/urls/" in rel:
            modules[_module_name(rel, ".")] = rel
            # also index by the path relative to its top directory (apps nested one level)
            parts = _module_name(rel, ".").split(".")
            for i in range(1, len(parts)):
                modules.setdefault(".".join(parts[i:]), rel)
    start = modules.get(settings_urlconf or "") or next(
        (rel for mod, rel in sorted(modules.items()) if mod.count(".") <= 1), None
    )
    found: list[Route] = []
    seen: set[str] = set()

    def walk(rel: str, prefix: str, depth: int) -> None:
        if rel in seen or depth > 8:
            return
        seen.add(rel)
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        for m in _DJ_PATH.finditer(text):
            kind, raw, inc, target = m.group(1), m.group(2), m.group(3), m.group(4)
            piece = _django_regex(raw) if kind != "path" else raw
            line = text.count("\n", 0, m.start()) + 1
            if inc:
                sub = modules.get(target or "")
                if sub:
                    walk(sub, prefix + piece, depth + 1)
                continue
            found.append(
                Route(method="ANY", path=normalise_path(prefix + piece), file=rel, line=line)
            )
        for m in _DJ_REGISTER.finditer(text):  # DRF routers: list and detail routes
            line = text.count("\n", 0, m.start()) + 1
            base = normalise_path(prefix + m.group(1).strip("^$/") + "/")
            found.append(Route(method="ANY", path=base, file=rel, line=line))
            found.append(Route(method="ANY", path=base + "{pk}/", file=rel, line=line))

    if start:
        walk(start, "/", 0)
    return found


def _django_regex(raw: str) -> str:
    s = raw.lstrip("^").rstrip("$")
    s = _REGEX_GROUP.sub(r"<\1>", s)
    return re.sub(r"[\\?*+]", "", s)


# ----------------------------------------------------------------------------- Express

_JS_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_JS_STR = r"""(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`)"""
_EX_APP = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(?:express|fastify|new\s+Koa)\s*\(")
_EX_ROUTER = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*"
    r"(?:express\s*\.\s*Router|Router|new\s+Router|require\s*\(\s*['\"]express['\"]\s*\)\s*\.\s*Router)"
    r"\s*\(\s*(?:\{\s*prefix\s*:\s*" + _JS_STR + r")?"
)
_EX_ROUTE = re.compile(
    r"\b(\w+)\s*\.\s*(get|post|put|patch|delete|all|head|options)\s*\(\s*" + _JS_STR
)
_EX_CHAIN = re.compile(r"\b(\w+)\s*\.\s*route\s*\(\s*" + _JS_STR + r"\s*\)")
_EX_USE = re.compile(
    r"\b(\w+)\s*\.\s*use\s*\(\s*(?:" + _JS_STR + r"|([A-Za-z_$][\w$.]*))\s*,([^;]*?)\)\s*;?\s*$",
    re.MULTILINE,
)
_EX_CONST = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*" + _JS_STR + r"\s*;?\s*$", re.M
)
_EX_CALL_ASSIGN = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*=\s*(\w+)\s*\(")
_EX_USE_NOPREFIX = re.compile(r"\b(\w+)\s*\.\s*use\s*\(\s*(\w+|require\s*\([^)]*\))\s*\)")
_EX_REQUIRE = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*require\s*\(\s*['\"](\.[^'\"]+)['\"]\s*\)"
)
_EX_IMPORT = re.compile(r"\bimport\s+(\w+)\s+from\s+['\"](\.[^'\"]+)['\"]")
_EX_DESTRUCT = re.compile(
    r"\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\s*\(\s*['\"](\.[^'\"]+)['\"]\s*\)"
)
_EX_EXPORT = re.compile(r"(?:module\.exports\s*=\s*|export\s+default\s+)(\w+)")
_EX_EXPORT_NAMED = re.compile(r"(?:module\.exports|exports)\s*\.\s*(\w+)\s*=\s*(\w+)")
_EX_EXPORT_OBJ = re.compile(r"module\.exports\s*=\s*\{([^}]*)\}")


@dataclass
class _JsFile:
    rel: str
    text: str
    apps: set[str] = field(default_factory=set)
    prefixes: dict[str, str] = field(default_factory=dict)
    routes: dict[str, list[_Decl]] = field(default_factory=dict)
    mounts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # var -> (expr, prefix)
    imports: dict[str, str] = field(default_factory=dict)  # local name -> file rel
    named_imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # local -> (file, name)
    export: str | None = None
    named_exports: dict[str, str] = field(default_factory=dict)
    consts: dict[str, str] = field(default_factory=dict)  # const API = '/api/v1'
    aliases: dict[str, str] = field(default_factory=dict)  # const r = makeRouter(ctx)


def _lit(m: re.Match, first: int) -> str:
    return next((g for g in m.groups()[first : first + 3] if g is not None), "")


def _resolve_js(rel: str, spec: str, known: set[str]) -> str | None:
    base = Path(rel).parent / spec
    candidates = [base, *(base.with_name(base.name + e) for e in (".js", ".ts", ".mjs", ".cjs"))]
    candidates += [base / f"index{e}" for e in (".js", ".ts", ".mjs", ".cjs")]
    for c in candidates:
        norm = Path(*[p for p in c.parts if p != "."]).as_posix()
        parts: list[str] = []
        for p in norm.split("/"):
            if p == ".." and parts:
                parts.pop()
            elif p != "..":
                parts.append(p)
        cand = "/".join(parts)
        if cand in known:
            return cand
    return None


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _blank_comments(text: str) -> str:
    # keep offsets (line numbers) by replacing comments with spaces of equal length
    return _JS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _scan_js(root: Path, rel: str, known: set[str]) -> _JsFile | None:
    try:
        raw = (root / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    text = _blank_comments(raw)
    info = _JsFile(rel=rel, text=text)
    for m in _EX_APP.finditer(text):
        info.apps.add(m.group(1))
        info.prefixes[m.group(1)] = ""
    for m in _EX_ROUTER.finditer(text):
        info.prefixes[m.group(1)] = _lit(m, 1)
    for m in _EX_ROUTE.finditer(text):
        owner, method, path = m.group(1), m.group(2), _lit(m, 2)
        if owner in ("request", "supertest", "axios", "fetch", "http", "res", "req", "client"):
            continue
        if method == "get" and not path.startswith("/") and path != "*":
            continue  # app.get('env') and friends read settings
        info.routes.setdefault(owner, []).append(
            _Decl(
                "ANY" if method == "all" else method.upper(), path, _line_of(text, m.start()), None
            )
        )
    for m in _EX_CHAIN.finditer(text):
        owner, path = m.group(1), _lit(m, 1)
        line = _line_of(text, m.start())
        for method in _chain_methods(text, m.end()):
            info.routes.setdefault(owner, []).append(
                _Decl("ANY" if method == "all" else method.upper(), path, line, None)
            )
    for m in _EX_CONST.finditer(text):
        info.consts[m.group(1)] = _lit(m, 1)
    for m in _EX_CALL_ASSIGN.finditer(text):
        if m.group(2) not in ("express", "Router", "require", "Number", "String", "parseInt"):
            info.aliases[m.group(1)] = m.group(2)
    for m in _EX_USE.finditer(text):
        owner, rest = m.group(1), m.group(6)
        prefix = _lit(m, 1) if m.group(5) is None else info.consts.get(m.group(5))
        if prefix is None:
            continue  # app.use(middleware, ...) or a prefix we cannot read
        args = [a.strip() for a in _split_args(rest)]
        if args:
            info.mounts.setdefault(owner, []).append((args[-1], prefix))
    for m in _EX_USE_NOPREFIX.finditer(text):
        info.mounts.setdefault(m.group(1), []).append((m.group(2), ""))
    for m in _EX_REQUIRE.finditer(text):
        target = _resolve_js(rel, m.group(2), known)
        if target:
            info.imports[m.group(1)] = target
    for m in _EX_IMPORT.finditer(text):
        target = _resolve_js(rel, m.group(2), known)
        if target:
            info.imports[m.group(1)] = target
    for m in _EX_DESTRUCT.finditer(text):
        target = _resolve_js(rel, m.group(2), known)
        if target:
            for part in m.group(1).split(","):
                name, _, alias = part.strip().partition(":")
                if name.strip():
                    info.named_imports[(alias or name).strip()] = (target, name.strip())
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


def call_end(text: str, pos: int, *, max_chars: int | None = None) -> int:
    """Index just past the parenthesised argument list opening at ``text[pos] == "("`` (strings
    skipped); with ``max_chars``, the scan gives up that far past ``pos``."""
    limit = len(text) if max_chars is None else min(len(text), pos + max_chars)
    depth, quote, i = 0, "", pos
    while i < limit:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return limit


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


def _split_args(s: str) -> list[str]:
    depth, cur, out = 0, "", []
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return out


def express_routes(root: Path, files: list[str]) -> list[Route]:
    """Express (and router-style Koa/Fastify) routes, following app.use('/prefix', router)."""
    known = {f for f in files if f.endswith((".js", ".ts", ".mjs", ".cjs"))}
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
            target = _resolve_js(info.rel, req.group(1), known)
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

    return _mounted_routes(
        tables,
        resolve,
        strict_slash=False,
        orphan=lambda info, var: var in info.prefixes or var in info.apps,
    )
