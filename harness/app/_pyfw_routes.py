"""aiohttp and Litestar routes for the Python route reader.

aiohttp registers routes by calls (``app.router.add_get``, ``app.add_routes([web.get(...)])``,
``RouteTableDef`` decorators, ``add_subapp`` prefixes); Litestar by bare decorators (``@get``)
on functions and ``Controller`` methods, collected by ``Router(path=..., route_handlers=[...])``
and ``Litestar(route_handlers=[...])``. Both fill the same per-file table as Flask/FastAPI, so
mounts and prefixes are followed by the shared walk.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from harness.app._pyast import const_str, kw, last_name, name_chain, str_value
from harness.app._routes import HTTP_METHODS, AppFile, Decl

_AIOHTTP_ADD = {f"add_{m}": m.upper() for m in ("get", "post", "put", "patch", "delete", "head")}
_LITESTAR_METHODS = {m: m.upper() for m in ("get", "post", "put", "patch", "delete", "head")}
# `{id:int}` (Litestar) and `{id:\d+}` (aiohttp) are `{id}` to the API model
_TYPED_PARAM = re.compile(r"\{(\w+):[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")


def plain_path(path: str) -> str:
    return _TYPED_PARAM.sub(r"{\1}", path)


def _from_litestar(info: Any, name: str) -> bool:
    mod = info.imports.get(name, ("", None))[0]
    return mod == "litestar" or mod.startswith("litestar.")


def _aiohttp_imported(info: Any) -> bool:
    return any(mod.split(".")[0] == "aiohttp" for mod, _ in info.imports.values())


# ------------------------------------------------------------------------------ detection


def app_objects(rel: str, tree: ast.Module | None, text: str) -> list[AppFile]:
    """``web.Application()`` and ``Litestar(...)`` objects: a module-level variable, or the
    top-level function that builds one (a factory). An aiohttp application in a file that
    never serves it (a sub-application) ranks below one that does."""
    if tree is None or ("aiohttp" not in text and "litestar" not in text):
        return []
    found: list[AppFile] = []
    serves = "run_app" in text or "GunicornWebWorker" in text
    for stmt in tree.body:
        kind, var = _app_assign(stmt, text)
        if kind:
            found.append(AppFile(rel, kind, var, factory=kind == "aiohttp" and not serves))
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(stmt):
                kind, var = _app_assign(node, text)
                if isinstance(node, ast.Return) and last_name(node.value or stmt) == "Litestar":
                    kind = "litestar"  # def create_app() -> Litestar: return Litestar(...)
                if kind:
                    found.append(AppFile(rel, kind, stmt.name, factory=True))
                    break
    return found


def _app_assign(node: ast.AST, text: str) -> tuple[str | None, str]:
    if not (isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call)):
        return None, ""
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    if not isinstance(target, ast.Name):
        return None, ""
    ctor = last_name(node.value)
    if ctor == "Application" and "aiohttp" in text:
        return "aiohttp", target.id
    if ctor == "Litestar" and "litestar" in text:
        return "litestar", target.id
    return None, ""


# ------------------------------------------------------------------------------- aiohttp


def aiohttp_call(info: Any, call: ast.Call, owner: str, attr: str) -> bool:
    """Record an aiohttp registration call; True when ``call`` was one."""
    if not _aiohttp_imported(info):
        return False
    base = owner[: -len(".router")] if owner.endswith(".router") else owner
    if attr in _AIOHTTP_ADD or attr == "add_route":
        args = list(call.args)
        if attr == "add_route":
            method = const_str(args[0]) if args else None
            args = args[1:]
            methods = [method.upper()] if method and method != "*" else ["GET"]
        else:
            methods = [_AIOHTTP_ADD[attr]]
        _declare(info, base, methods, args, call)
        return True
    if attr == "add_routes" and call.args:
        routes = call.args[0]
        if isinstance(routes, ast.List | ast.Tuple):
            for item in routes.elts:
                if isinstance(item, ast.Call):
                    _route_def(info, base, item)
        else:  # a RouteTableDef filled by decorators
            info.mounts.setdefault(base, []).append((routes, ""))
        return True
    if attr == "add_subapp" and len(call.args) >= 2:
        prefix = str_value(call.args[0], info.consts) or ""
        info.mounts.setdefault(base, []).append((call.args[1], prefix))
        sub = call.args[1].func if isinstance(call.args[1], ast.Call) else call.args[1]
        info.mounts[base][-1] = (sub, prefix)  # create_api() mounts what the factory builds
        info.subapps.append(sub)
        return True
    return False


def _route_def(info: Any, owner: str, item: ast.Call) -> None:
    """``web.get('/x', h)`` / ``web.route('POST', '/x', h)`` inside ``add_routes([...])``."""
    name = last_name(item.func)
    args = list(item.args)
    if name == "route" and args:
        method = const_str(args[0]) or "GET"
        _declare(info, owner, [method.upper() if method != "*" else "GET"], args[1:], item)
    elif name in HTTP_METHODS:
        _declare(info, owner, [name.upper()], args, item)


def _declare(info: Any, owner: str, methods: list[str], args: list[ast.expr], at: ast.Call) -> None:
    path = str_value(args[0] if args else kw(at, "path"), info.consts)
    if path is None:
        return
    handler = args[1] if len(args) > 1 else kw(at, "handler")
    name = name_chain(handler) if handler is not None else None
    short = name.rsplit(".", 1)[-1] if name else None
    for m in methods:
        info.routes.setdefault(owner, []).append(Decl(m, plain_path(path), at.lineno, short))
        if short:
            info.named.setdefault(short, (owner, methods, plain_path(path)))


def aiohttp_route_decorator(info: Any, dec: ast.Call, owner: str) -> tuple[list[str], str] | None:
    """``@routes.route('POST', '/x')`` of a RouteTableDef: (methods, path)."""
    if len(dec.args) < 2 or not _aiohttp_imported(info):
        return None
    method = const_str(dec.args[0])
    path = str_value(dec.args[1], info.consts)
    if method is None or path is None or method.lower() not in (*HTTP_METHODS, "*"):
        return None
    return [method.upper() if method != "*" else "GET"], plain_path(path)


# ------------------------------------------------------------------------------ Litestar


def litestar_decorator(
    info: Any, dec: ast.expr, fn: ast.FunctionDef | ast.AsyncFunctionDef, owner: str
) -> tuple[str, list[str], str] | None:
    """``@get("/x")`` / ``@post()`` / ``@route("/x", http_method=[...])`` imported from
    litestar, on a function (owner: its own name) or a Controller method (owner: the class)."""
    call = dec if isinstance(dec, ast.Call) else None
    name = name_chain(call.func if call else dec)
    if name is None:
        return None
    short = name.rsplit(".", 1)[-1]
    head = name.split(".")[0]
    if not _from_litestar(info, head):
        return None
    if short in _LITESTAR_METHODS:
        methods = [_LITESTAR_METHODS[short]]
    elif short == "route" and call is not None:
        given = kw(call, "http_method")
        if isinstance(given, ast.List | ast.Tuple | ast.Set):
            elts = list(given.elts)
        else:
            elts = [given] if given is not None else []
        methods = [(const_str(e) or last_name(e) or "GET").upper() for e in elts] or ["GET"]
    else:
        return None
    paths = [""]
    if call is not None:
        arg = call.args[0] if call.args else kw(call, "path")
        if isinstance(arg, ast.List | ast.Tuple):
            paths = [p for e in arg.elts if (p := str_value(e, info.consts)) is not None] or [""]
        elif arg is not None:
            value = str_value(arg, info.consts)
            if value is None:
                return None
            paths = [value]
    for path in paths:
        for m in methods:
            info.routes.setdefault(owner, []).append(Decl(m, plain_path(path), dec.lineno, fn.name))
    return owner, methods, plain_path(paths[0])


def litestar_controller(info: Any, cls: ast.ClassDef) -> None:
    """A ``Controller`` subclass: its ``path`` is the prefix of its decorated methods."""
    bases = {last_name(b) for b in cls.bases}
    if "Controller" not in bases:
        return
    prefix = ""
    for stmt in cls.body:
        target = (
            stmt.targets[0]
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            else stmt.target
            if isinstance(stmt, ast.AnnAssign)
            else None
        )
        if isinstance(target, ast.Name) and target.id == "path":
            prefix = str_value(stmt.value, info.consts) or ""
    info.prefixes[cls.name] = prefix
    for stmt in cls.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in stmt.decorator_list:
                found = litestar_decorator(info, dec, stmt, cls.name)
                if found is not None:
                    info.handlers.setdefault(id(stmt), found)
                    info.methods.add(id(stmt))
                    break


def litestar_collection(info: Any, var: str, call: ast.Call) -> bool:
    """``Litestar(route_handlers=[...])`` or ``Router(path=..., route_handlers=[...])``: the
    handlers, controllers and routers listed are mounted on ``var``."""
    ctor = last_name(call)
    head = (name_chain(call.func) or "").split(".")[0]
    if ctor not in ("Litestar", "Router") or not _from_litestar(info, head):
        return False
    listed = kw(call, "route_handlers")
    if ctor == "Router":
        info.prefixes[var] = str_value(kw(call, "path"), info.consts) or ""
        if listed is None and len(call.args) > 1:
            listed = call.args[1]
    else:
        info.apps.add(var)
        if listed is None and call.args:
            listed = call.args[0]
    if isinstance(listed, ast.List | ast.Tuple):
        for item in listed.elts:
            info.mounts.setdefault(var, []).append((item, ""))
    return True
