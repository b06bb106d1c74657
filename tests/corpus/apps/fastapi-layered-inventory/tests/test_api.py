# File: tests/test_api.py
"""End-to-end tests through the ASGI app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)
PASSWORD = "Corr3ct-Horse-Battery"


def _token(email: str) -> str:
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200
    return r.json()["data"]["access_token"]


def test_items_need_a_token() -> None:
    assert client.get("/api/v1/items").status_code == 401


def test_weak_password_refused() -> None:
    r = client.post("/api/v1/auth/register", json={"email": "w@example.com", "password": "123"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "VALIDATION_ERROR"


def test_owner_only() -> None:
    a = {"Authorization": f"Bearer {_token('a@example.com')}"}
    b = {"Authorization": f"Bearer {_token('b@example.com')}"}
    created = client.post("/api/v1/items", json={"name": "bolt", "quantity": 3}, headers=a)
    assert created.status_code == 201
    item_id = created.json()["data"]["id"]
    assert client.get(f"/api/v1/items/{item_id}", headers=a).status_code == 200
    assert client.get(f"/api/v1/items/{item_id}", headers=b).status_code == 404
    assert client.delete(f"/api/v1/items/{item_id}", headers=b).status_code == 404
    assert client.delete(f"/api/v1/items/{item_id}", headers=a).status_code == 204
    assert client.get(f"/api/v1/items/{item_id}", headers=a).status_code == 404


def test_refresh_rotates() -> None:
    client.post("/api/v1/auth/register", json={"email": "r@example.com", "password": PASSWORD})
    pair = client.post("/api/v1/auth/login", json={"email": "r@example.com", "password": PASSWORD})
    refresh = pair.json()["data"]["refresh_token"]
    first = client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert first.status_code == 200
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": refresh}).status_code == 401
