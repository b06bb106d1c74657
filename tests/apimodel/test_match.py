"""Matching contract operations to the routes generated apps really serve."""

from __future__ import annotations

import pytest

from harness.apimodel import Candidate, best_match, canonical, match_all, score_pair


def cands(*pairs: str) -> list[Candidate]:
    return [Candidate(p.split()[0], p.split()[1]) for p in pairs]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/auth/login", ("login",)),
        ("/auth/token", ("login",)),
        ("/users/signin", ("login",)),
        ("/api/users/register", ("register",)),
        ("/sign-up", ("register",)),
        ("/api/v2/token/refresh", ("refresh",)),
        ("/api/v1/todos/:id", ("todo", "{}")),
        ("/todos/<int:todo_id>", ("todo", "{}")),
        ("/users/me", ("me",)),
        ("/healthz", ("health",)),
        ("/api/categories", ("category",)),
    ],
)
def test_canonical_forms(path: str, expected: tuple[str, ...]) -> None:
    assert canonical(path) == expected


ROUTE_SETS = {
    "versioned": cands(
        "POST /api/v1/auth/register",
        "POST /api/v1/auth/login",
        "GET /api/v1/todos",
        "POST /api/v1/todos",
        "GET /api/v1/todos/{todo_id}",
        "PUT /api/v1/todos/{todo_id}",
        "DELETE /api/v1/todos/{todo_id}",
        "GET /health",
    ),
    "express": cands(
        "POST /api/signup",
        "POST /api/signin",
        "GET /api/todos",
        "POST /api/todos",
        "GET /api/todos/:id",
        "PUT /api/todos/:id",
        "DELETE /api/todos/:id",
    ),
    "fastapi-oauth": cands(
        "POST /users",
        "POST /token",
        "GET /todos/",
        "POST /todos/",
        "GET /todos/{item_id}",
        "PATCH /todos/{item_id}",
        "DELETE /todos/{item_id}",
        "GET /users/me",
    ),
}
CONTRACT = [
    ("POST", "/register"),
    ("POST", "/login"),
    ("GET", "/todos"),
    ("POST", "/todos"),
    ("GET", "/todos/{id}"),
    ("PUT", "/todos/{id}"),
    ("DELETE", "/todos/{id}"),
]
WANT = {
    "versioned": {
        ("POST", "/register"): ("/api/v1/auth/register", "synonym"),
        ("POST", "/login"): ("/api/v1/auth/login", "synonym"),
        ("GET", "/todos"): ("/api/v1/todos", "prefix"),
        ("GET", "/todos/{id}"): ("/api/v1/todos/{todo_id}", "prefix"),
        ("DELETE", "/todos/{id}"): ("/api/v1/todos/{todo_id}", "prefix"),
    },
    "express": {
        ("POST", "/register"): ("/api/signup", "synonym"),
        ("POST", "/login"): ("/api/signin", "synonym"),
        ("PUT", "/todos/{id}"): ("/api/todos/:id", "prefix"),
    },
    "fastapi-oauth": {
        ("POST", "/register"): ("/users", "users-as-register"),
        ("POST", "/login"): ("/token", "synonym"),
        ("GET", "/todos"): ("/todos/", "exact"),
        ("PUT", "/todos/{id}"): None,  # only PATCH is served: a method mismatch is no match
    },
}


@pytest.mark.parametrize("name", sorted(ROUTE_SETS))
def test_contract_matches_each_route_set(name: str) -> None:
    found = match_all(CONTRACT, ROUTE_SETS[name])
    for wanted, expected in WANT[name].items():
        m = found[wanted]
        if expected is None:
            assert m is None, (wanted, m)
        else:
            assert m is not None, wanted
            assert (m.candidate.path, m.how) == expected


def test_each_route_is_claimed_once_and_best_first() -> None:
    routes = cands("POST /auth/login", "POST /auth/token")
    found = match_all([("POST", "/login"), ("POST", "/token")], routes)
    assert found[("POST", "/login")].candidate.path == "/auth/login"
    assert found[("POST", "/token")].candidate.path == "/auth/token"


def test_method_and_param_count_must_agree() -> None:
    assert score_pair("GET", "/todos/{id}", Candidate("GET", "/todos"))[0] == 0
    assert score_pair("GET", "/todos", Candidate("POST", "/todos"))[0] == 0
    assert score_pair("GET", "/todos", Candidate("ANY", "/todos"))[0] == 1.0
    assert best_match("GET", "/todos", cands("GET /projects", "GET /notes")) is None


def test_suffix_match_scores_below_synonyms() -> None:
    routes = cands("POST /api/accounts/v1/register", "POST /register-user")
    m = best_match("POST", "/register", routes)
    assert m is not None and m.how == "suffix" and m.candidate.path == "/api/accounts/v1/register"
