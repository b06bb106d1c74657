"""Building the API model without a running app: contract matching, auth flow, resources."""

from __future__ import annotations

from harness._paths import fixtures_dir
from harness.apimodel import build_api_model, find_token, items_of, record_id, unwrap
from harness.apimodel._openapi import example, operations
from harness.app import AppProfile, Route


def profile(*pairs: str) -> AppProfile:
    routes = [Route(method=p.split()[0], path=p.split()[1], file="main.py", line=1) for p in pairs]
    return AppProfile(root=".", routes=routes)


def test_task_contract_is_placed_on_the_apps_routes() -> None:
    app = profile(
        "POST /api/v1/auth/signup",
        "POST /api/v1/auth/token",
        "GET /api/v1/todos",
        "POST /api/v1/todos",
        "GET /api/v1/todos/{todo_id}",
        "PUT /api/v1/todos/{todo_id}",
        "DELETE /api/v1/todos/{todo_id}",
        "GET /health",
        "GET /api/v1/admin/users",
    )
    api = build_api_model(app, task_dir=fixtures_dir() / "tasks" / "todo-api")
    assert api.source == "task"
    assert api.auth.registration.path == "/api/v1/auth/signup"
    assert api.auth.registration.fields == ["email", "password"]
    assert api.auth.login.path == "/api/v1/auth/token"
    assert api.auth.token_paths[0] == "access_token"
    res = api.resource
    assert res.collection_path == "/api/v1/todos" and res.item_path == "/api/v1/todos/{todo_id}"
    assert res.create_example["title"] and "id" not in res.create_example
    assert {"limit", "offset", "q", "sort"} <= set(res.list_params)
    assert [op.path for op in api.admin_routes] == ["/api/v1/admin/users"]
    assert api.health_path == "/health"
    hows = {m.wanted: m.how for m in api.matches}
    assert hows["POST /login"] == "synonym" and hows["GET /todos"] == "prefix"
    assert hows["POST /refresh"] == "unmatched"


def test_static_routes_alone_give_a_model() -> None:
    api = build_api_model(
        profile("POST /signup", "POST /signin", "GET /notes", "POST /notes", "GET /notes/:id")
    )
    assert api.source == "static-routes"
    assert (api.auth.registration.path, api.auth.login.path) == ("/signup", "/signin")
    assert api.resource.name == "notes" and api.resource.item_path == "/notes/{id}"


def test_openapi_operations_and_examples() -> None:
    doc = {
        "openapi": "3.0.0",
        "servers": [{"url": "http://x/api"}],
        "paths": {
            "/token": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/Form"}
                            }
                        }
                    },
                    "responses": {"200": {}},
                }
            }
        },
        "components": {
            "schemas": {
                "Form": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                }
            }
        },
    }
    (op,) = operations(doc, "openapi")
    assert (op.method, op.path, op.body_kind) == ("POST", "/api/token", "form")
    assert set(op.body_example) == {"username", "password"}
    assert example({"type": "string", "format": "email"}) == "probe@example.com"
    assert example({"type": "string", "minLength": 12}, "title").startswith("Probe todo")


def test_json_shapes_of_generated_apps() -> None:
    body = {"success": True, "data": {"user": {"id": 3}, "tokens": {"access": "a.b.c"}}}
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl"
    assert find_token({"data": {"accessToken": jwt}}) == (jwt, "data.accessToken")
    assert find_token(body) == (None, None)  # "a.b.c" is too short to be a JWT
    assert items_of({"data": {"items": [1, 2], "total": 2}}) == [1, 2]
    assert items_of({"todos": [1]}, "todos") == [1]
    assert unwrap({"data": {"id": 4, "title": "x"}}) == {"id": 4, "title": "x"}
    assert record_id({"todo": {"_id": "abc"}}, "todo") == "abc"
