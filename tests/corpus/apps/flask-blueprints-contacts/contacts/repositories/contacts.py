# File: contacts/repositories/contacts.py
"""Contacts, always filtered by owner; soft-deleted rows are hidden from every read."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any

from contacts.db import get_db

_COLUMNS = "id, name, email, phone, notes, created_at, updated_at"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def page(owner_id: int, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    db = get_db()
    rows = db.execute(
        "SELECT id, name, email, phone, notes, created_at, updated_at FROM contacts "
        "WHERE owner_id = ? AND deleted_at IS NULL ORDER BY id LIMIT ? OFFSET ?",
        (owner_id, limit, offset),
    ).fetchall()
    total = db.execute(
        "SELECT COUNT(*) FROM contacts WHERE owner_id = ? AND deleted_at IS NULL", (owner_id,)
    ).fetchone()[0]
    return [dict(r) for r in rows], int(total)


def get(owner_id: int, contact_id: int) -> dict[str, Any] | None:
    row = get_db().execute(
        "SELECT id, name, email, phone, notes, created_at, updated_at FROM contacts "
        "WHERE id = ? AND owner_id = ? AND deleted_at IS NULL",
        (contact_id, owner_id),
    ).fetchone()
    return dict(row) if row else None


def insert(conn: sqlite3.Connection, owner_id: int, data: dict[str, Any]) -> int:
    now = _now()
    cur = conn.execute(
        "INSERT INTO contacts (owner_id, name, email, phone, notes, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (owner_id, data["name"], data.get("email"), data.get("phone"), data.get("notes", ""), now, now),
    )
    return int(cur.lastrowid or 0)


def update(conn: sqlite3.Connection, owner_id: int, contact_id: int, data: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE contacts SET name = ?, email = ?, phone = ?, notes = ?, updated_at = ? "
        "WHERE id = ? AND owner_id = ? AND deleted_at IS NULL",
        (data["name"], data["email"], data["phone"], data["notes"], _now(), contact_id, owner_id),
    )


def soft_delete(conn: sqlite3.Connection, owner_id: int, contact_id: int) -> bool:
    cur = conn.execute(
        "UPDATE contacts SET deleted_at = ? WHERE id = ? AND owner_id = ? AND deleted_at IS NULL",
        (_now(), contact_id, owner_id),
    )
    return cur.rowcount > 0
