"""Sign-up routes under other names, and the body shapes a sign-up step is sent in."""

from __future__ import annotations

import pytest

from harness.apimodel import Endpoint, build_api_model
from harness.app import AppProfile, Route


def profile(*pairs: str) -> AppProfile:
    routes = [Route(method=p.split()[0], path=p.split()[1], file="app.py", line=1) for p in pairs]
    return AppProfile(root=".", routes=routes)


@pytest.mark.parametrize(
    ("routes", "signup"),
    [
        (["POST /auth/new", "POST /auth/login", "GET /notes"], "/auth/new"),
        (["POST /users/new", "POST /login", "GET /notes"], "/users/new"),
        (["POST /api/create_user", "POST /api/login"], "/api/create_user"),
        (["POST /accounts", "POST /sessions", "GET /notes"], "/accounts"),
        (["POST /users", "POST /token"], "/users"),
        (["POST /signup", "POST /users", "POST /login"], "/signup"),
    ],
)
def test_sign_up_is_found_under_other_names(routes: list[str], signup: str) -> None:
    api = build_api_model(profile(*routes))
    assert api.auth.registration is not None, api.notes
    assert api.auth.registration.path == signup


def test_creating_accounts_without_any_login_is_not_a_sign_up() -> None:
    api = build_api_model(profile("POST /accounts", "GET /accounts", "GET /accounts/{id}"))
    assert api.auth.registration is None


def test_a_step_sends_its_fields_flat_nested_or_as_a_form() -> None:
    body = {"email": "a@example.com", "password": "pw"}
    assert Endpoint(path="/x").request_kwargs(body) == {"json": body}
    assert Endpoint(path="/x", wrap="user").request_kwargs(body) == {"json": {"user": body}}
    assert Endpoint(path="/x", body_kind="form").request_kwargs(body) == {"data": body}
    nested_form = Endpoint(path="/x", body_kind="form", wrap="user").request_kwargs(body)
    assert nested_form == {"data": {"user[email]": "a@example.com", "user[password]": "pw"}}
