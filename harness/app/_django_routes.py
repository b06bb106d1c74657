"""Django URLconfs: routes followed through include() from the root urls module, DRF router
registrations, and the view functions urls.py names (the handlers static checks read)."""

from __future__ import annotations

import ast
import re
from pathlib import Path, PurePosixPath

from harness.app._drf_routes import (
    class_view,
    drf_router_routes,
    function_view,
    index_classes,
    index_functions,
)
from harness.app._files import read_text
from harness.app._model import Route
from harness.app._pyast import module_name
from harness.app._routes import SourceLike, normalise_path

_REGEX_GROUP = re.compile(r"\(\?P<([a-zA-Z_][a-zA-Z0-9_]*)>[^)]*\)")

# path('x/', include('app.urls')) or path('x/', views.name): groups kind, path, include,
# included module, view name
_DJ_PATH = re.compile(
    r"""\b(path|re_path|url)\s*\(\s*r?['"]([^'"]*)['"]\s*,\s*"""
    r"""(?:(include\s*\(\s*(?:\(\s*)?['"]?([\w.]+)['"]?)|(?:\w+\.)*(\w+))?""",
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
    parsed: dict[str, ast.Module] = {}
    indexed: dict[str, dict] = {}

    def trees() -> dict[str, ast.Module]:
        """The repo's modules, parsed once and only when a view has to be looked up."""
        if not parsed:
            for f in files:
                if f.endswith(".py") and "migrations/" not in f:
                    try:
                        parsed[f] = ast.parse(read_text(root / f) or "")
                    except (SyntaxError, ValueError):
                        continue
        return parsed

    def classes() -> dict[str, tuple[str, ast.ClassDef]]:
        if "classes" not in indexed:
            indexed["classes"] = index_classes(trees())
        return indexed["classes"]

    def functions() -> dict[str, tuple[str, ast.FunctionDef]]:
        if "functions" not in indexed:
            indexed["functions"] = index_functions(trees())
        return indexed["functions"]

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
            path = normalise_path(prefix + piece)
            cbv = re.search(r"(\w+)\.as_view$", m.group(0))
            view = class_view(cbv.group(1), classes()) if cbv else None
            fview = None if cbv or not m.group(5) else function_view(m.group(5), functions())
            if fview is not None:  # a function view whose decorators name its methods
                methods, vfile, vline = fview
                at = {"path": path, "file": vfile or rel, "line": vline or line}
                found.extend(Route(method=mt, handler=m.group(5), **at) for mt in methods)
                continue
            if view is None:
                found.append(Route(method="ANY", path=path, file=rel, line=line))
                continue
            methods, fields, vfile, vline = view
            at = {"path": path, "file": vfile or rel, "line": vline or line}
            for method in methods:  # a DRF class view: its methods and serializer fields
                writes = method in ("POST", "PUT", "PATCH") and bool(fields)
                body = {"body_fields": list(fields), "body_kind": "json"} if writes else {}
                found.append(Route(method=method, **at, **body))
        if _DJ_REGISTER.search(text):  # DRF routers: the routes their viewsets serve
            found.extend(drf_router_routes(text, rel, prefix, classes()))

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


_VIEW_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


def django_views(
    files: list[SourceLike], trees: dict[str, ast.Module]
) -> dict[tuple[str, str], str]:
    """(views file, function name) -> path, for views named in urls.py files."""
    named: dict[str, str] = {}
    for f in files:
        if f.path.endswith("urls.py"):
            for m in _DJ_PATH.finditer(f.text):
                if m.group(1) != "url" and m.group(5):
                    named.setdefault(m.group(5), "/" + m.group(2).lstrip("^").rstrip("$"))
    out = {}
    for f in files:
        tree = trees.get(f.path)
        if tree is None or not PurePosixPath(f.path).name.startswith("views"):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in named:
                out[(f.path, node.name)] = named[node.name]
            if isinstance(node, ast.ClassDef) and node.name in named:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name in _VIEW_METHODS:
                        out[(f.path, item.name)] = named[node.name]
    return out
