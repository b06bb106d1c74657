"""What every language's route reader shares: path normalisation, prefix joining, the walk
from application objects through mounted routers, and the handler record static checks read.

A reader turns each file into a small table (router objects and their prefixes, routes declared
on them, routers mounted on other routers); ``mounted_routes`` then collects routes by walking
from the application objects through every mount, adding prefixes on the way. Routers mounted
nowhere are still reported with their own prefix.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from harness.app._model import Route

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_FLASK_PARAM = re.compile(r"<(?:[a-zA-Z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_EXPRESS_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)\??(?:\([^)]*\))?")


@dataclass
class AppFile:
    """A file that creates the application object."""

    rel: str
    kind: str  # a framework (fastapi, express, nestjs, gin...) or other:<Name>
    var: str | None = None
    factory: bool = False  # ``var`` names a factory function, not an object


@dataclass
class Decl:
    """A route as declared on one router object, before prefixes."""

    method: str
    path: str
    line: int
    handler: str | None


class RouteTable(Protocol):
    """One file's routers: application objects, own prefixes, declared routes, mounts."""

    rel: str
    apps: set[str]
    prefixes: dict[str, str]
    routes: dict[str, list[Decl]]
    mounts: Any  # router variable -> [(mounted expression, prefix)]


_F = TypeVar("_F", bound=RouteTable)


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


def walk_mounts(
    tables: Mapping[str, _F],
    resolve: Callable[[_F, Any], tuple[_F, str] | None],
    *,
    orphan: Callable[[_F, str], bool],
) -> list[tuple[_F, str, str]]:
    """(file table, router variable, full prefix) for every router reached from the application
    objects through their mounts, then for routers with routes mounted nowhere we could follow
    (the ones ``orphan`` accepts). A router mounted under several prefixes comes once for each."""
    visits: list[tuple[_F, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    visited: set[tuple[str, str]] = set()

    def walk(info: _F, var: str, prefix: str, depth: int) -> None:
        key = (info.rel, var, prefix)
        if key in seen or depth > 12:
            return
        seen.add(key)
        visited.add((info.rel, var))
        own = join(prefix, info.prefixes.get(var, ""))
        visits.append((info, var, own))
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
    return visits


def mounted_routes(
    tables: Mapping[str, _F],
    resolve: Callable[[_F, Any], tuple[_F, str] | None],
    *,
    strict_slash: bool,
    orphan: Callable[[_F, str], bool],
) -> list[Route]:
    """Routes reached from every application object through its mounts, prefixes added on the
    way; then those of routers mounted nowhere we could follow."""
    return [
        Route(
            method=d.method,
            path=normalise_path(join(own, d.path, strict_slash=strict_slash)),
            file=info.rel,
            line=d.line,
            handler=d.handler,
        )
        for info, var, own in walk_mounts(tables, resolve, orphan=orphan)
        for d in info.routes.get(var, [])
    ]


def handler_prefixes(
    tables: Mapping[str, _F],
    resolve: Callable[[_F, Any], tuple[_F, str] | None],
    *,
    orphan: Callable[[_F, str], bool],
) -> dict[tuple[str, str], str]:
    """(file, router variable) -> the prefix its handlers are served under; of several mounts
    the longest (``/api/v1`` over a bare alias at ``/``)."""
    out: dict[tuple[str, str], str] = {}
    for info, var, own in walk_mounts(tables, resolve, orphan=orphan):
        key = (info.rel, var)
        if key not in out or len(own) > len(out[key]):
            out[key] = own
    return out


@dataclass
class Handler:
    """A route handler with its source: what handler-level static checks (layering, blocking
    calls, transactions, rate limits...) look inside."""

    method: str
    path: str
    file: str
    line: int
    end_line: int
    name: str
    language: str
    body: str  # source text of the handler (Python function / Express call)
    node: ast.FunctionDef | ast.AsyncFunctionDef | None = None

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef) or (
            self.language != "python" and "async" in self.body[:200]
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.file}:{self.line})"


class SourceLike(Protocol):
    """A repo file as handler readers need it (static checks' ``SourceFile`` is one)."""

    path: str
    language: str
    text: str

    @property
    def lines(self) -> list[str]: ...

    @property
    def tree(self) -> ast.Module | None: ...

    def line_of(self, offset: int) -> int: ...


def unique(names: list[str]) -> list[str]:
    """Non-empty names, first occurrence kept, in order."""
    return list(dict.fromkeys(n for n in names if n))
