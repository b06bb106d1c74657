# File: tests/test_api.py
"""End-to-end tests through Flask's test client."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("JWT_SECRET", "t" * 40)
os.environ["DATABASE_PATH"] = os.path.join(tempfile.mkdtemp(), "test.db")

from contacts import create_app  # noqa: E402

PASSWORD = "Corr3ct-Horse-Battery"


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return create_app().test_client()


def _token(client, email: str) -> str:  # type: ignore[no-untyped-def]
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200
    return r.get_json()["data"]["access_token"]


def test_contacts_need_a_token(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/contacts").status_code == 401


def test_owner_only(client) -> None:  # type: ignore[no-untyped-def]
    a = {"Authorization": f"Bearer {_token(client, 'a@example.com')}"}
    b = {"Authorization": f"Bearer {_token(client, 'b@example.com')}"}
    created = client.post("/api/v1/contacts", json={"name": "Ada"}, headers=a)
    assert created.status_code == 201
    cid = created.get_json()["data"]["id"]
    assert client.get(f"/api/v1/contacts/{cid}", headers=b).status_code == 404
    assert client.delete(f"/api/v1/contacts/{cid}", headers=a).status_code == 204
    assert client.get(f"/api/v1/contacts/{cid}", headers=a).status_code == 404
