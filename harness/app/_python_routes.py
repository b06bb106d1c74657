"""Python route reader: Flask, FastAPI (and Quart/Starlette-style) routes from the syntax tree,
followed through include_router/register_blueprint across modules, and the handler functions with
their bodies (Django's come from ``_django_routes``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from harness.app import _pyfw_routes as pyfw
from harness.app._django_routes import django_views
from harness.app._files import read_text
from harness.app._model import Route
from harness.app._pyast import kw, last_name, module_name, name_chain, parse, str_value
from harness.app._routes import (
    HTTP_METHODS,
    AppFile,
    Decl,
    Handler,
    SourceLike,
    handler_prefixes,
    mounted_routes,
)

_PY_APP = re.compile(r"^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:\w+\.)?(FastAPI|Flask)\s*\(", re.MULTILINE)
_PY_FACTORY = re.compile(r"^def\s+(create_app|make_app|build_app|get_app)\s*\(", re.MULTILINE)


def app_objects(rel: str, text: str) -> list[AppFile]:
    """Flask/FastAPI objects (or the factory that makes one) and Django's manage.py."""
    found = [AppFile(rel, m.group(2).lower(), m.group(1)) for m in _PY_APP.finditer(text)]
    if not found and ("aiohttp" in text or "litestar" in text):
        found = pyfw.app_objects(rel, parse(text), text)
    if not found:
        fm = _PY_FACTORY.search(text)
        kind = (
            "flask"
            if re.search(r"\bFlask\s*\(", text)
            else "fastapi"
            if re.search(r"\bFastAPI\s*\(", text)
            else None
        )
        if fm and kind:
            # `app = create_app()` at module level is a plain app object
            made = re.search(rf"^(\w+)\s*=\s*{fm.group(1)}\s*\(\s*\)", text, re.M)
            if made:
                found.append(AppFile(rel, kind, made.group(1)))
            else:
                found.append(AppFile(rel, kind, fm.group(1), factory=True))
    if PurePosixPath(rel).name == "manage.py" and "django" in text.lower():
        found.append(AppFile(rel, "django"))
    return found


@dataclass
class _PyFile:
    rel: str
    module: str
    apps: set[str] = field(default_factory=set)  # Flask()/FastAPI() objects
    prefixes: dict[str, str] = field(default_factory=dict)  # router var -> own prefix
    routes: dict[str, list[Decl]] = field(default_factory=dict)  # var -> routes
    # var -> [(mounted router expression, prefix)]
    mounts: dict[str, list[tuple[ast.expr, str]]] = field(default_factory=dict)
    # local name -> (module, attribute or None for `import module`)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    consts: dict[str, str] = field(default_factory=dict)  # module-level NAME = "string"
    # id(function node) -> (router, methods, path) of its first route decorator
    handlers: dict[int, tuple[str, list[str], str]] = field(default_factory=dict)
    # handler function name -> its route, for routes registered by call (aiohttp add_get...)
    named: dict[str, tuple[str, list[str], str]] = field(default_factory=dict)
    subapps: list[ast.expr] = field(default_factory=list)  # aiohttp add_subapp targets
    factories: dict[str, str] = field(default_factory=dict)  # factory function -> app variable
    methods: set[int] = field(default_factory=set)  # Controller methods, read with their class


_Hit = tuple["_PyFile", str] | None
_APP_CTORS = {"Flask", "FastAPI", "Quart", "Starlette"}
_ROUTER_CTORS = {"APIRouter", "Blueprint"}


def _methods(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [str(e.value).upper() for e in node.elts if isinstance(e, ast.Constant)]
    return []


def _scan_python(rel: str, tree: ast.Module, module: str) -> _PyFile:
    info = _PyFile(rel=rel, module=module)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            value = str_value(stmt.value, info.consts)
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
            ctor = last_name(node.value)
            for target in node.targets:
                if not isinstance(target, ast.Name):
                    continue
                if pyfw.litestar_collection(info, target.id, node.value):
                    continue
                if ctor in _APP_CTORS or (ctor == "Application" and _imports_aiohttp(info)):
                    info.apps.add(target.id)
                    if ctor == "FastAPI":
                        info.prefixes[target.id] = ""
                elif ctor in _ROUTER_CTORS:
                    key = "prefix" if ctor == "APIRouter" else "url_prefix"
                    info.prefixes[target.id] = str_value(kw(node.value, key), info.consts) or ""
        elif isinstance(node, ast.ClassDef):
            pyfw.litestar_controller(info, node)
        elif (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and id(node) not in info.methods
        ):
            for dec in node.decorator_list:
                found = _python_decorator(info, dec, node) or pyfw.litestar_decorator(
                    info, dec, node, node.name
                )
                if found is not None:
                    info.handlers.setdefault(id(node), found)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _python_call(info, node)
    _aiohttp_factories(info, tree)
    _handed_over(info, tree)
    return info


_MOUNTS = ("include_router", "register_blueprint")


def _handed_over(info: _PyFile, tree: ast.Module) -> None:
    """Registration functions: ``def register_blueprints(app): app.register_blueprint(bp,
    url_prefix=...)`` mounts onto a parameter, and the factory calls it with its app object
    (``register_blueprints(app)``, often from another module). The function's mounts are kept
    under its own name, and the call mounts the function (prefix "") onto the object passed, so
    the walk from the app reaches the blueprints through it."""
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
        for call in ast.walk(fn):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in _MOUNTS
                and call.args
                and name_chain(call.func.value) in params
            ):
                key = "prefix" if call.func.attr == "include_router" else "url_prefix"
                prefix = str_value(kw(call, key), info.consts) or ""
                info.mounts.setdefault(fn.name, []).append((call.args[0], prefix))
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name | ast.Attribute):
            continue
        for arg in call.args:
            if isinstance(arg, ast.Name) and (arg.id in info.apps or arg.id in info.prefixes):
                info.mounts.setdefault(arg.id, []).append((call.func, ""))


def _imports_aiohttp(info: _PyFile) -> bool:
    return any(mod.split(".")[0] == "aiohttp" for mod, _ in info.imports.values())


def _aiohttp_factories(info: _PyFile, tree: ast.Module) -> None:
    """``def create_api(): sub = web.Application(); ...; return sub``: mounting
    ``create_api()`` mounts ``sub``."""
    if not _imports_aiohttp(info):
        return
    for stmt in tree.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Return)
                and isinstance(node.value, ast.Name)
                and node.value.id in info.apps
            ):
                info.factories[stmt.name] = node.value.id
                info.mounts.setdefault(stmt.name, []).append((node.value, ""))
                break


def _drop_subapps(tables: dict[str, _PyFile], resolve: Callable[[_PyFile, ast.expr], _Hit]) -> None:
    """An aiohttp sub-application is served under its add_subapp prefix only, not at the root."""
    for info in tables.values():
        for expr in info.subapps:
            hit = resolve(info, expr)
            if hit is not None:
                target, var = hit
                target.apps.discard(var)
                target.apps.discard(target.factories.get(var, ""))


def _python_decorator(
    info: _PyFile, dec: ast.expr, fn: ast.FunctionDef | ast.AsyncFunctionDef
) -> tuple[str, list[str], str] | None:
    """Record the route ``@router.get("/x")`` declares; (router, methods, path) when it is one."""
    if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
        return None
    owner = name_chain(dec.func.value)
    attr = dec.func.attr
    if owner is None:
        return None
    path = str_value(dec.args[0] if dec.args else kw(dec, "path"), info.consts)
    if path is None:
        return None
    routed = pyfw.aiohttp_route_decorator(info, dec, owner) if attr == "route" else None
    if routed is not None:
        methods, path = routed
    elif attr in HTTP_METHODS:
        methods = [attr.upper()]
        path = pyfw.plain_path(path)
    elif attr == "route" or attr == "api_route":
        methods = _methods(kw(dec, "methods")) or ["GET"]
    else:
        return None
    for m in methods:
        info.routes.setdefault(owner, []).append(Decl(m, path, dec.lineno, fn.name))
    return owner, methods, path


def _python_call(info: _PyFile, call: ast.Call) -> None:
    assert isinstance(call.func, ast.Attribute)
    owner = name_chain(call.func.value)
    attr = call.func.attr
    if owner is None or pyfw.aiohttp_call(info, call, owner, attr):
        return
    if attr in ("include_router", "register_blueprint") and call.args:
        key = "prefix" if attr == "include_router" else "url_prefix"
        prefix = str_value(kw(call, key), info.consts) or ""
        info.mounts.setdefault(owner, []).append((call.args[0], prefix))
    elif attr in ("add_url_rule", "add_api_route") and call.args:
        path = str_value(call.args[0], info.consts)
        if path is None:
            return
        methods = _methods(kw(call, "methods")) or ["GET"]
        handler = (
            call.args[1] if len(call.args) > 1 else kw(call, "view_func") or kw(call, "endpoint")
        )
        name = name_chain(handler) if handler is not None else None
        for m in methods:
            info.routes.setdefault(owner, []).append(Decl(m, path, call.lineno, name))


def _tables(
    trees: dict[str, ast.Module], import_roots: list[str], *, suffixes: bool = False
) -> tuple[dict[str, _PyFile], dict[str, _PyFile]]:
    """Each file's table, and the tables by the module names they import as. With
    ``suffixes`` (no known import root) a module is also known by its trailing names
    (``app.routers.todos``, ``routers.todos``...), first file first."""
    tables: dict[str, _PyFile] = {}
    by_module: dict[str, _PyFile] = {}
    for rel, tree in trees.items():
        ir = next((r for r in import_roots if r == "." or rel.startswith(r.rstrip("/") + "/")), ".")
        info = _scan_python(rel, tree, module_name(rel, ir))
        tables[rel] = info
        by_module[info.module] = info
        if ir != ".":
            by_module.setdefault(module_name(rel, "."), info)
    if suffixes:
        for info in tables.values():
            parts = info.module.split(".")
            for i in range(1, len(parts)):
                by_module.setdefault(".".join(parts[i:]), info)
    return tables, by_module


def _resolver(by_module: dict[str, _PyFile]) -> Callable[[_PyFile, ast.expr], _Hit]:
    """What a mounted router expression (``todos.router``, ``admin_router``) names: a file's
    table and a router variable in it."""

    def resolve(info: _PyFile, expr: ast.expr) -> _Hit:
        """The file and variable a mounted router expression refers to."""
        name = name_chain(expr)
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

    return resolve


def python_routes(root: Path, files: list[str], import_roots: list[str]) -> list[Route]:
    """Flask/FastAPI routes of the Python files under ``root``."""
    trees: dict[str, ast.Module] = {}
    for rel in files:
        text = read_text(root / rel) if rel.endswith(".py") else None
        tree = parse(text) if text is not None else None
        if tree is not None:
            trees[rel] = tree
    tables, by_module = _tables(trees, import_roots)
    resolve = _resolver(by_module)
    _drop_subapps(tables, resolve)
    return mounted_routes(tables, resolve, strict_slash=True, orphan=_any)


def _any(info: _PyFile, var: str) -> bool:
    return True


# ----------------------------------------------------------------------------- handlers


def python_handlers(files: list[SourceLike]) -> list[Handler]:
    """Decorated route functions (under the prefix their router is mounted at) and Django
    views named in urls.py, with their source."""
    trees = {f.path: tree for f in files if (tree := f.tree) is not None}
    tables, by_module = _tables(trees, ["."], suffixes=True)
    resolve = _resolver(by_module)
    _drop_subapps(tables, resolve)
    prefixes = handler_prefixes(tables, resolve, orphan=_any)
    views = django_views(files, trees)
    out: list[Handler] = []
    for f in files:
        if f.path not in tables:
            continue
        declared = tables[f.path].handlers
        named = tables[f.path].named
        for node in ast.walk(trees[f.path]):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if id(node) in declared or node.name in named:
                owner, methods, path = declared.get(id(node)) or named[node.name]
                prefix = prefixes.get((f.path, owner), "")
                out.append(_py_handler(f, node, ",".join(methods), prefix.rstrip("/") + path))
            elif (f.path, node.name) in views:
                out.append(_py_handler(f, node, "ANY", views[(f.path, node.name)]))
    return out


def _py_handler(
    f: SourceLike, node: ast.FunctionDef | ast.AsyncFunctionDef, method: str, path: str
) -> Handler:
    end = node.end_lineno or node.lineno
    return Handler(
        method=method,
        path=path or "/",
        file=f.path,
        line=node.lineno,
        end_line=end,
        name=node.name,
        language="python",
        body="\n".join(f.lines[node.lineno - 1 : end]),
        node=node,
    )
