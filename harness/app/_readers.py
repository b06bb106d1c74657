"""One reader per source language: where its application objects are, its routes, what each
handler reads from the request, and its handlers with their bodies.

Detection, the API model and the static checks ask the registry, never a language module:
Python, JavaScript/TypeScript (Express, Fastify, Koa, Hono, NestJS) and Go (net/http, Gin, Echo,
Fiber, chi, gorilla/mux) are readers here; another language plugs in by registering one more.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol

from harness.app import (
    _django_routes,
    _go_routes,
    _js_inputs,
    _js_routes,
    _nest_routes,
    _python_inputs,
    _python_routes,
)
from harness.app._files import is_test_path, read_text
from harness.app._js_text import JS_EXTENSIONS
from harness.app._model import AppProfile, Route
from harness.app._routes import AppFile, Handler, SourceLike


class LanguageReader(Protocol):
    """What the harness reads from one language's source."""

    name: str
    languages: tuple[str, ...]  # source languages it reads (AppProfile / SourceFile language)
    extensions: tuple[str, ...]  # file suffixes detection scans with it

    def app_files(self, rel: str, text: str) -> list[AppFile]:
        """Application objects (or framework markers) created in one source file."""
        ...

    def routes(self, root: Path, files: list[str], profile: AppProfile) -> list[Route]:
        """Routes of the backend at ``root`` (``files``: its files, relative; the reader picks
        its own), with ``profile`` as detected so far (framework, app_dir)."""
        ...

    def inputs(self, text: str, routes: list[Route], root: Path | None = None) -> None:
        """Fill query parameters and body fields of ``routes``, all in one file, in place
        (``root``: the repo, for what the file imports from its other modules)."""
        ...

    def handlers(self, files: Sequence[SourceLike]) -> list[Handler]:
        """Route handlers with their bodies, from this language's source files."""
        ...


class PythonReader:
    name = "python"
    languages = ("python",)
    extensions = (".py",)

    def app_files(self, rel: str, text: str) -> list[AppFile]:
        return _python_routes.app_objects(rel, text)

    def routes(self, root: Path, files: list[str], profile: AppProfile) -> list[Route]:
        pyfiles = [f for f in files if f.endswith(".py")]
        if profile.framework == "django":
            settings = _django_routes.django_settings(root, pyfiles)
            return _django_routes.django_routes(root, pyfiles, settings)
        import_roots = sorted({profile.app_dir or ".", "."}, key=lambda r: -len(r))
        own = [f for f in pyfiles if not is_test_path(f)]
        return _python_routes.python_routes(root, own, import_roots)

    def inputs(self, text: str, routes: list[Route], root: Path | None = None) -> None:
        _python_inputs.python_inputs(text, routes, root)

    def handlers(self, files: Sequence[SourceLike]) -> list[Handler]:
        return _python_routes.python_handlers(list(files))


class JavaScriptReader:
    name = "javascript"
    languages = ("javascript", "typescript")
    extensions = JS_EXTENSIONS

    def app_files(self, rel: str, text: str) -> list[AppFile]:
        return _js_routes.app_objects(rel, text)

    def routes(self, root: Path, files: list[str], profile: AppProfile) -> list[Route]:
        own = [f for f in files if not is_test_path(f)]
        return _js_routes.express_routes(root, own) + _nest_routes.nest_routes(root, own)

    def inputs(self, text: str, routes: list[Route], root: Path | None = None) -> None:
        # NestJS routes (decorators) got their inputs with the DTOs of every file
        lines = text.splitlines()
        calls = [
            r
            for r in routes
            if not (0 < r.line <= len(lines) and lines[r.line - 1].lstrip().startswith("@"))
        ]
        _js_inputs.js_inputs(text, calls, root)

    def handlers(self, files: Sequence[SourceLike]) -> list[Handler]:
        return _js_routes.js_handlers(list(files)) + _nest_routes.nest_handlers(list(files))


class GoReader:
    """Go: net/http, Gin, Echo, Fiber, chi and gorilla/mux handler tables, one package a table;
    inputs are read across files (handlers and the structs they bind live anywhere), so they
    are filled with the routes."""

    name = "go"
    languages = ("go",)
    extensions = (".go",)

    def app_files(self, rel: str, text: str) -> list[AppFile]:
        return _go_routes.app_objects(rel, text)

    def routes(self, root: Path, files: list[str], profile: AppProfile) -> list[Route]:
        return _go_routes.go_routes(root, files)

    def inputs(self, text: str, routes: list[Route], root: Path | None = None) -> None:
        return None  # filled by ``routes``, which sees every package

    def handlers(self, files: Sequence[SourceLike]) -> list[Handler]:
        return _go_routes.go_handlers(list(files))


_READERS: list[LanguageReader] = []


def register_reader(reader: LanguageReader) -> None:
    """Add a language; a reader for a language already read replaces the old one."""
    _READERS[:] = [r for r in _READERS if not set(r.languages) & set(reader.languages)]
    _READERS.append(reader)


def readers() -> list[LanguageReader]:
    return list(_READERS)


def reader_for(language: str) -> LanguageReader | None:
    """The reader of a profile language (python, javascript, typescript...)."""
    return next((r for r in _READERS if language in r.languages), None)


def reader_for_file(rel: str) -> LanguageReader | None:
    suffix = PurePosixPath(rel).suffix
    return next((r for r in _READERS if suffix in r.extensions), None)


def annotate_inputs(root: Path, routes: list[Route]) -> None:
    """Fill ``query_params``, ``body_fields`` and ``body_kind`` of ``routes`` in place."""
    by_file: dict[str, list[Route]] = {}
    for r in routes:
        by_file.setdefault(r.file, []).append(r)
    for rel, group in by_file.items():
        reader = reader_for_file(rel)
        text = read_text(root / rel) if reader else None
        if reader is not None and text is not None:
            reader.inputs(text, group, root)


def find_handlers(files: Sequence[SourceLike]) -> list[Handler]:
    """Every route handler in ``files``, each language read by its reader."""
    return [
        h
        for reader in _READERS
        for h in reader.handlers([f for f in files if f.language in reader.languages])
    ]


register_reader(PythonReader())
register_reader(JavaScriptReader())
register_reader(GoReader())
