"""Python route reader: Flask, FastAPI (and Quart/Starlette-style) routes from the syntax tree,
Django URLconfs from urls.py, and the handler functions with their bodies.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from harness.app._files import read_text
from harness.app._model import Route
from harness.app._pyast import const_str, kw, last_name, module_name, name_chain, parse, str_value
from harness.app._routes import (
    HTTP_METHODS,
    AppFile,
    Decl,
    Handler,
    SourceLike,
    mounted_routes,
    normalise_path,
)

_REGEX_GROUP = re.compile(r"\(\?P<([a-zA-Z_][a-zA-Z0-9_]*)>[^)]*\)")
_PY_APP = re.compile(r"^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:\w+\.)?(FastAPI|Flask)\s*\(", re.MULTILINE)
_PY_FACTORY = re.compile(r"^def\s+(create_app|make_app|build_app|get_app)\s*\(", re.MULTILINE)


def app_objects(rel: str, text: str) -> list[AppFile]:
    """Flask/FastAPI objects (or the factory that makes one) and Django's manage.py."""
    found = [AppFile(rel, m.group(2).lower(), m.group(1)) for m in _PY_APP.finditer(text)]
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


_APP_CTORS = {"Flask", "FastAPI", "Quart", "Starlette"}
_ROUTER_CTORS = {"APIRouter", "Blueprint"}


def _methods(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [str(e.value).upper() for e in node.elts if isinstance(e, ast.Constant)]
    return []


def _scan_python(root: Path, rel: str, import_root: str) -> _PyFile | None:
    text = read_text(root / rel)
    tree = parse(text) if text is not None else None
    if tree is None:
        return None
    info = _PyFile(rel=rel, module=module_name(rel, import_root))
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
                if ctor in _APP_CTORS:
                    info.apps.add(target.id)
                    if ctor == "FastAPI":
                        info.prefixes[target.id] = ""
                elif ctor in _ROUTER_CTORS:
                    key = "prefix" if ctor == "APIRouter" else "url_prefix"
                    info.prefixes[target.id] = str_value(kw(node.value, key), info.consts) or ""
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                _python_decorator(info, dec, node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _python_call(info, node)
    return info


def _python_decorator(info: _PyFile, dec: ast.expr, fn: ast.AST) -> None:
    if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
        return
    owner = name_chain(dec.func.value)
    attr = dec.func.attr
    if owner is None or not dec.args:
        return
    path = str_value(dec.args[0], info.consts)
    if path is None:
        return
    name = getattr(fn, "name", None)
    line = getattr(dec, "lineno", 0)
    if attr in HTTP_METHODS:
        methods = [attr.upper()]
    elif attr == "route" or attr == "api_route":
        methods = _methods(kw(dec, "methods")) or ["GET"]
    else:
        return
    for m in methods:
        info.routes.setdefault(owner, []).append(Decl(m, path, line, name))


def _python_call(info: _PyFile, call: ast.Call) -> None:
    assert isinstance(call.func, ast.Attribute)
    owner = name_chain(call.func.value)
    attr = call.func.attr
    if owner is None:
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
            by_module.setdefault(module_name(rel, "."), info)

    def resolve(info: _PyFile, expr: ast.expr) -> tuple[_PyFile, str] | None:
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

    return mounted_routes(tables, resolve, strict_slash=True, orphan=lambda info, var: True)


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
            modules[module_name(rel, ".")] = rel
            # also index by the path relative to its top directory (apps nested one level)
            parts = module_name(rel, ".").split(".")
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
        text = read_text(root / rel)
        if text is None:
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


def django_settings(root: Path, pyfiles: list[str]) -> str | None:
    """The ROOT_URLCONF module named in a settings file."""
    for f in pyfiles:
        if PurePosixPath(f).name == "settings.py" or "/settings/" in f:
            m = re.search(r"""ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]""", read_text(root / f) or "")
            if m:
                return m.group(1)
    return None


def _django_regex(raw: str) -> str:
    s = raw.lstrip("^").rstrip("$")
    s = _REGEX_GROUP.sub(r"<\1>", s)
    return re.sub(r"[\\?*+]", "", s)


# ----------------------------------------------------------------------------- handlers

HTTP_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "api_route", "head", "options"}


def _constants(files: list[SourceLike]) -> dict[str, str]:
    """Module-level NAME = "literal" assignments, for prefixes given as constants."""
    out: dict[str, str] = {}
    for f in files:
        for node in f.tree.body if f.tree is not None else []:
            if isinstance(node, ast.Assign | ast.AnnAssign) and const_str(node.value) is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        out.setdefault(t.id, const_str(node.value) or "")
    return out


def _python_prefixes(files: list[SourceLike]) -> dict[tuple[str, str], str]:
    """(file stem or '*', router variable) -> prefix, from constructors and mounts."""
    own: dict[tuple[str, str], str] = {}
    mounts: dict[tuple[str, str], str] = {}
    constants = _constants(files)

    def value(node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        if isinstance(node, ast.Attribute):
            return constants.get(node.attr)
        return const_str(node)

    for f in files:
        if f.tree is None:
            continue
        stem = PurePosixPath(f.path).stem
        for node in ast.walk(f.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                ctor = last_name(node.value.func) or ""
                prefix = value(kw(node.value, "prefix") or kw(node.value, "url_prefix"))
                if ctor in ("APIRouter", "Blueprint") and prefix:
                    for t in node.targets:
                        if isinstance(t, ast.Name):
                            own[(stem, t.id)] = prefix
            if isinstance(node, ast.Call) and last_name(node.func) in (
                "include_router",
                "register_blueprint",
            ):
                prefix = value(kw(node, "prefix") or kw(node, "url_prefix"))
                if prefix and node.args:
                    target = node.args[0]
                    module = (
                        target.value.id
                        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        else "*"
                    )
                    mounts[(module, last_name(target) or "")] = prefix
    out = dict(own)
    for (module, var), prefix in mounts.items():
        for (stem, v), p in list(own.items()) or []:
            if v == var and module in ("*", stem):
                out[(stem, v)] = prefix.rstrip("/") + p
        out.setdefault((module, var), prefix)
    return out


def python_handlers(files: list[SourceLike]) -> list[Handler]:
    prefixes = _python_prefixes(files)
    out: list[Handler] = []
    django_views = _django_views(files)
    for f in files:
        if f.tree is None:
            continue
        stem = PurePosixPath(f.path).stem
        for node in ast.walk(f.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for dec in node.decorator_list:
                if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
                    continue
                if dec.func.attr not in HTTP_DECORATORS:
                    continue
                path = const_str(dec.args[0]) if dec.args else const_str(kw(dec, "path"))
                if path is None:
                    continue
                method = dec.func.attr.upper()
                if method in ("ROUTE", "API_ROUTE"):
                    methods = kw(dec, "methods")
                    names = [
                        e.value.upper()
                        for e in getattr(methods, "elts", [])
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    ]
                    method = ",".join(names) or "GET"
                var = last_name(dec.func.value) or ""
                prefix = prefixes.get((stem, var)) or prefixes.get(("*", var), "")
                out.append(_py_handler(f, node, method, prefix.rstrip("/") + path))
                break
            else:
                if (f.path, node.name) in django_views:
                    out.append(_py_handler(f, node, "ANY", django_views[(f.path, node.name)]))
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


_DJANGO_PATH = re.compile(r"""\b(?:re_)?path\(\s*r?['"]([^'"]*)['"]\s*,\s*(?:\w+\.)*(\w+)""")


def _django_views(files: list[SourceLike]) -> dict[tuple[str, str], str]:
    """(views file, function name) -> path, for function views named in urls.py files."""
    named: dict[str, str] = {}
    for f in files:
        if f.path.endswith("urls.py"):
            for m in _DJANGO_PATH.finditer(f.text):
                named.setdefault(m.group(2), "/" + m.group(1).lstrip("^").rstrip("$"))
    out = {}
    for f in files:
        if f.tree is None or not PurePosixPath(f.path).name.startswith("views"):
            continue
        for node in f.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in named:
                out[(f.path, node.name)] = named[node.name]
            if isinstance(node, ast.ClassDef) and node.name in named:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name in HTTP_DECORATORS:
                        out[(f.path, item.name)] = named[node.name]
    return out
