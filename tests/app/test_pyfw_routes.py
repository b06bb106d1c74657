"""aiohttp and Litestar apps: detection, routes (prefixes, sub-apps, controllers), inputs and
handlers, read from source written the ways these frameworks are used."""

from __future__ import annotations

from pathlib import Path

from harness.app import detect_app, find_handlers
from harness.runner._command import python_plan
from harness.runner._deps import server_extras
from harness.static._sources import load_sources

AIOHTTP_MAIN = """\
import os
from aiohttp import web
from api import create_api

routes = web.RouteTableDef()


@routes.get("/health")
async def health(request):
    return web.json_response({"ok": True})


@routes.route("DELETE", "/cache/{key}")
async def drop(request):
    return web.json_response({"dropped": request.match_info["key"]})


async def login(request):
    data = await request.json()
    return web.json_response({"user": data["username"], "pw": len(data["password"])})


async def search(request):
    q = request.query.get("q", "")
    return web.json_response({"q": q})


async def upload(request):
    form = await request.post()
    return web.json_response({"title": form.get("title")})


def init_app():
    app = web.Application()
    app.router.add_post("/login", login)
    app.router.add_route("GET", "/search", search)
    app.add_routes([web.post("/upload", upload), web.get(r"/items/{id:\\d+}", search)])
    app.add_routes(routes)
    app.add_subapp("/api", create_api())
    return app


if __name__ == "__main__":
    web.run_app(init_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "8081")))
"""

AIOHTTP_API = """\
from aiohttp import web


async def list_todos(request):
    return web.json_response([])


async def get_todo(request):
    return web.json_response({"id": request.match_info["id"]})


def create_api():
    api = web.Application()
    api.router.add_get("/todos", list_todos)
    api.router.add_get("/todos/{id}", get_todo)
    return api
"""

LITESTAR_MAIN = """\
from dataclasses import dataclass

from litestar import Controller, Litestar, Router, get, post, delete
from litestar.params import Parameter


@dataclass
class TodoIn:
    title: str
    done: bool


@get("/health")
async def health() -> dict:
    return {"ok": True}


@post("/login")
async def login(data: TodoIn) -> dict:
    return {}


class TodoController(Controller):
    path = "/todos"

    @get()
    async def list_todos(self, q: str | None = None, limit: int = 10) -> list[dict]:
        return []

    @post()
    async def create(self, data: TodoIn) -> dict:
        return {}

    @delete("/{todo_id:int}")
    async def remove(self, todo_id: int) -> None:
        return None


api = Router(path="/api", route_handlers=[TodoController])
app = Litestar(route_handlers=[health, login, api])
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_an_aiohttp_app_is_detected_with_its_routes_and_sub_app(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app.py": AIOHTTP_MAIN, "api.py": AIOHTTP_API})
    p = detect_app(root)
    assert p.framework == "aiohttp"
    assert p.entrypoint == "app.py"
    assert (p.default_port, p.port_env) == (8081, "PORT")
    assert p.inferred_dependencies == ["aiohttp"]
    got = {(r.method, r.path) for r in p.routes}
    assert got == {
        ("GET", "/health"),
        ("DELETE", "/cache/{key}"),
        ("POST", "/login"),
        ("GET", "/search"),
        ("POST", "/upload"),
        ("GET", "/items/{id}"),
        ("GET", "/api/todos"),
        ("GET", "/api/todos/{id}"),
    }
    by = {(r.method, r.path): r for r in p.routes}
    assert by[("POST", "/login")].body_fields == ["username", "password"]
    assert by[("POST", "/login")].body_kind == "json"
    assert by[("GET", "/search")].query_params == ["q"]
    assert by[("POST", "/upload")].body_kind == "form"
    plan = python_plan(p, root, "python", 9000, may_hardcode=True)
    assert plan.command == ["python", str(root / "app.py")]


def test_aiohttp_handlers_registered_by_call_are_found(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app.py": AIOHTTP_MAIN, "api.py": AIOHTTP_API})
    sources, _ = load_sources(root, ["app.py", "api.py"])
    handlers = {(h.method, h.path, h.name) for h in find_handlers(sources)}
    assert ("POST", "/login", "login") in handlers
    assert ("GET", "/api/todos", "list_todos") in handlers
    assert ("GET", "/health", "health") in handlers


def test_a_litestar_app_is_detected_with_controllers_and_routers(tmp_path: Path) -> None:
    root = _write(tmp_path, {"main.py": LITESTAR_MAIN})
    p = detect_app(root)
    assert p.framework == "litestar"
    assert p.app_object == "main:app"
    assert "uvicorn" in p.inferred_dependencies and "litestar" in p.inferred_dependencies
    got = {(r.method, r.path) for r in p.routes}
    assert got == {
        ("GET", "/health"),
        ("POST", "/login"),
        ("GET", "/api/todos"),
        ("POST", "/api/todos"),
        ("DELETE", "/api/todos/{todo_id}"),
    }
    by = {(r.method, r.path): r for r in p.routes}
    assert by[("POST", "/api/todos")].body_fields == ["title", "done"]
    assert by[("GET", "/api/todos")].query_params == ["q", "limit"]
    plan = python_plan(p, root, "python", 9000, may_hardcode=True)
    assert plan.command[:4] == ["python", "-m", "uvicorn", "main:app"]
    assert "uvicorn" in server_extras(p, ["litestar"])


def test_litestar_decorators_from_elsewhere_are_not_routes(tmp_path: Path) -> None:
    text = "from functools import cache as get\n\n@get('/x')\ndef f():\n    return 1\n"
    root = _write(tmp_path, {"main.py": LITESTAR_MAIN, "util.py": text})
    assert all(r.file != "util.py" for r in detect_app(root).routes)


def test_an_aiohttp_factory_no_script_serves_is_run_by_aiohttp_itself(tmp_path: Path) -> None:
    text = (
        "from aiohttp import web\n\n\nasync def hello(request):\n"
        "    return web.json_response({'q': request.query.get('q')})\n\n\n"
        "async def create_app():\n    app = web.Application()\n"
        "    app.router.add_get('/hello', hello)\n    return app\n"
    )
    root = _write(tmp_path, {"server.py": text})
    p = detect_app(root)
    assert (p.framework, p.app_object) == ("aiohttp", "server:create_app()")
    assert [(r.method, r.path, r.query_params) for r in p.routes] == [("GET", "/hello", ["q"])]
    plan = python_plan(p, root, "python", 9000, may_hardcode=True)
    assert plan.command[0:2] == ["python", "-c"] and "web.run_app" in plan.command[2]
    assert plan.command[3:] == ["server", "create_app()", "127.0.0.1", "9000"]


def test_a_body_read_through_a_helper_names_its_fields(tmp_path: Path) -> None:
    text = (
        "from aiohttp import web\n\n\nasync def read_json(request):\n"
        "    data = await request.json()\n    if not isinstance(data, dict):\n"
        "        raise web.HTTPBadRequest()\n    return data\n\n\n"
        "async def signup(request):\n    body = await read_json(request)\n"
        "    return web.json_response({'email': body['email'], 'n': len(body.get('password'))})\n"
        "\n\napp = web.Application()\napp.router.add_post('/signup', signup)\n"
        "web.run_app(app)\n"
    )
    p = detect_app(_write(tmp_path, {"main.py": text}))
    (route,) = p.routes
    assert sorted(route.body_fields) == ["email", "password"] and route.body_kind == "json"
    assert p.default_port == 8080 and p.port_env is None
