# File: contacts/services/contact_service.py
"""Contact use cases for the signed-in owner."""

from __future__ import annotations

from typing import Any

from contacts.db import transaction
from contacts.errors import NotFound
from contacts.repositories import contacts as repo


def list_page(owner_id: int, page: int, size: int) -> tuple[list[dict[str, Any]], int]:
    return repo.page(owner_id, size, (page - 1) * size)


def get(owner_id: int, contact_id: int) -> dict[str, Any]:
    contact = repo.get(owner_id, contact_id)
    if contact is None:
        raise NotFound("Contact not found")
    return contact


def create(owner_id: int, data: dict[str, Any]) -> dict[str, Any]:
    with transaction() as conn:
        contact_id = repo.insert(conn, owner_id, data)
    return get(owner_id, contact_id)


def update(owner_id: int, contact_id: int, data: dict[str, Any]) -> dict[str, Any]:
    current = get(owner_id, contact_id)
    with transaction() as conn:
        repo.update(conn, owner_id, contact_id, {**current, **data})
    return get(owner_id, contact_id)


def delete(owner_id: int, contact_id: int) -> None:
    with transaction() as conn:
        if not repo.soft_delete(conn, owner_id, contact_id):
            raise NotFound("Contact not found")
