"""The readers every stage shares: the one file walk, JavaScript text helpers, handlers as a view
of the route tables, and a third language plugging into the registry."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from harness.app import (
    AppFile,
    AppProfile,
    Handler,
    Route,
    SourceLike,
    _readers,
    annotate_inputs,
    call_end,
    detect_app,
    find_handlers,
    is_test_path,
    list_files,
    readers,
    register_reader,
)
from harness.app._js_text import blank_comments, imports
from harness.probes._suite import test_files as suite_test_files
from harness.static import build_context
from harness.static._routes import handlers


def make_repo(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip())
    return root


# ------------------------------------------------------------------------------ files


def test_walk_skips_dependency_and_tool_directories_and_links(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "app.py": "x = 1\n",
            "node_modules/express/index.js": "",
            ".venv/lib/site.py": "",
            "build/out.js": "",
            "pkg.egg-info/PKG-INFO": "",
            ".github/workflows/ci.yml": "on: push\n",
            "src/routes/todos.js": "",
        },
    )
    outside = tmp_path.parent / f"{tmp_path.name}-outside.py"
    outside.write_text("SECRET = 1\n")
    os.symlink(outside, tmp_path / "linked.py")
    os.symlink(tmp_path / "src", tmp_path / "src-link")

    files = list_files(tmp_path)

    assert sorted(files) == [".github/workflows/ci.yml", "app.py", "src/routes/todos.js"]
    assert files.index("app.py") < files.index("src/routes/todos.js")  # a dir's files first


def test_walk_stops_at_its_limit(tmp_path: Path) -> None:
    make_repo(tmp_path, {f"m{i}.py": "" for i in range(5)})
    assert len(list_files(tmp_path, limit=3)) == 3


@pytest.mark.parametrize(
    ("rel", "is_test"),
    [
        ("tests/test_api.py", True),
        ("backend/tests/helpers.py", True),
        ("test_app.py", True),
        ("app_test.py", True),
        ("conftest.py", True),
        ("src/todos.test.ts", True),
        ("src/todos.spec.mjs", True),
        ("test_utils.js", True),
        ("app.py", False),
        ("src/testing.py", False),
        ("test_data.sql", False),
        ("contest/app.py", False),
    ],
)
def test_one_rule_for_test_files(rel: str, is_test: bool) -> None:
    assert is_test_path(rel) is is_test


def test_suite_probe_finds_test_files_through_the_same_walk(tmp_path: Path) -> None:
    make_repo(
        tmp_path,
        {
            "tests/test_api.py": "def test_ok():\n    assert True\n",
            "backend/test_models.py": "import unittest\n",
            "tests/conftest.py": "def test_fixture():\n    pass\n",
            "node_modules/lib/test_x.py": "def test_vendored():\n    pass\n",
            "build/test_built.py": "def test_built():\n    pass\n",
            "__tests__/app.js": "test('x', () => {});\n",
            "src/todo.test.js": "",
            "src/todo.js": "",
        },
    )
    py, js = suite_test_files(tmp_path)
    assert py == ["backend/test_models.py", "tests/test_api.py"]
    assert js == ["__tests__/app.js", "src/todo.test.js"]


# -------------------------------------------------------------------- JavaScript as text


def test_call_end_skips_strings_templates_and_comments() -> None:
    text = "app.get('/x', (req, res) => { res.send(`a) ${f(')')} b`); /* ) */ // )\n});rest"
    end = call_end(text, text.index("("))
    assert text[end:] == ";rest"
    assert call_end("f(a, b", 1) == len("f(a, b")  # unbalanced: the end of the text
    assert call_end("f(" + "x" * 50 + ")", 1, max_chars=10) == 11  # gave up within the window


def test_comment_blanking_keeps_urls_in_strings_and_offsets() -> None:
    text = "fetch('http://api/x'); // gone\n/* gone\n too */ const u = \"//kept\";"
    blanked = blank_comments(text)
    assert len(blanked) == len(text) and blanked.count("\n") == text.count("\n")
    assert "'http://api/x'" in blanked and '"//kept"' in blanked and "gone" not in blanked


def test_imports_resolve_default_named_and_renamed_forms() -> None:
    known = {"src/routes/todos.js", "src/routes/index.ts", "src/auth.mjs"}
    text = textwrap.dedent(
        """
        const todos = require('./routes/todos');
        import routes from './routes';
        const { login, logout: signOut } = require('./auth');
        import { router as auth } from './auth.mjs';
        const express = require('express');
        """
    )
    found = imports("src/app.js", text, known)
    assert found.default == {"todos": "src/routes/todos.js", "routes": "src/routes/index.ts"}
    assert found.named == {
        "login": ("src/auth.mjs", "login"),
        "signOut": ("src/auth.mjs", "logout"),
        "auth": ("src/auth.mjs", "router"),
    }


# ------------------------------------------------------------- handlers from route tables


def _handlers(repo: Path) -> dict[str, Handler]:
    ctx = build_context(repo.resolve(), detect_app(repo))
    return {h.name: h for h in handlers(ctx)}


def test_python_handlers_take_prefixes_from_the_mount_walk(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/main.py": """
                from fastapi import FastAPI
                from app.routers import todos
                API = "/api/v1"
                app = FastAPI()
                app.include_router(todos.router, prefix=API)
            """,
            "app/routers/__init__.py": "",
            "app/routers/todos.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/todos")
                V = "/v2"

                @router.get(f"{V}/{{tid}}")
                def one(tid: int):
                    return {}

                @router.post(path="/")
                async def create(body: dict):
                    return body
            """,
        },
    )
    found = _handlers(repo)
    assert found["one"].path == "/api/v1/todos/v2/{tid}" and found["one"].method == "GET"
    assert found["create"].path == "/api/v1/todos/" and found["create"].is_async
    assert found["create"].body.lstrip().startswith("async def create")
    profile_paths = {(r.method, r.path) for r in detect_app(repo).routes}
    assert ("POST", "/api/v1/todos/") in profile_paths


def test_javascript_handlers_skip_commented_calls_and_keep_whole_bodies(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "^4"}}',
            "app.js": """
                const express = require('express');
                const todos = require('./routes/todos');
                const app = express();
                app.use('/api/todos', todos);
                // app.get('/old', (req, res) => res.send('x'));
                app.get('/health', (req, res) => res.json({ docs: 'http://example/x' }));
                app.listen(3000);
            """,
            "routes/todos.js": """
                const router = require('express').Router();
                router.route('/:id')
                  .get((req, res) => res.json({}))
                  .delete((req, res) => res.status(204).end());
                module.exports = router;
            """,
        },
    )
    found = _handlers(repo)
    assert set(found) == {"app.get", "router.route.get", "router.route.delete"}
    assert found["app.get"].body.endswith("'http://example/x' }))")
    assert found["router.route.delete"].path == "/api/todos/:id"
    assert found["router.route.delete"].line == 4


# ------------------------------------------------------------------- a third language


class _TinyReader:
    """A reader for a made-up language: ``route GET /path`` lines in ``.tiny`` files."""

    name = "tiny"
    languages = ("tiny",)
    extensions = (".tiny",)

    def app_files(self, rel: str, text: str) -> list[AppFile]:
        return [AppFile(rel, "other:Tiny")] if text.startswith("app") else []

    def routes(self, root: Path, files: list[str], profile: AppProfile) -> list[Route]:
        return []

    def inputs(self, text: str, routes: list[Route], root: Path | None = None) -> None:
        for r in routes:
            r.query_params = ["q"]

    def handlers(self, files: Sequence[SourceLike]) -> list[Handler]:
        out = []
        for f in files:
            for i, line in enumerate(f.lines, 1):
                if line.startswith("route "):
                    _, method, path = line.split()
                    out.append(Handler(method, path, f.path, i, i, path, f.language, line))
        return out


@pytest.fixture
def tiny_registered() -> Iterator[None]:
    before = readers()
    register_reader(_TinyReader())
    try:
        yield
    finally:
        _readers._READERS[:] = before


def test_a_registered_language_is_read_by_every_stage(tiny_registered: None, tmp_path: Path):
    class _File:
        path, language, text = "svc/main.tiny", "tiny", "app\nroute GET /ping\n"
        lines = text.splitlines()
        tree = None

        def line_of(self, offset: int) -> int:
            return self.text.count("\n", 0, offset) + 1

    found = find_handlers([_File()])
    assert [(h.method, h.path, h.line) for h in found] == [("GET", "/ping", 2)]

    (tmp_path / "main.tiny").write_text("app\n")
    profile = detect_app(tmp_path)
    assert any("Tiny app found in main.tiny" in n for n in profile.notes), profile.notes

    route = Route(method="GET", path="/ping", file="main.tiny", line=2)
    annotate_inputs(tmp_path, [route])
    assert route.query_params == ["q"]
