# File: contacts/repositories/users.py
"""Users and refresh tokens."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from contacts.db import get_db


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def by_email(email: str) -> sqlite3.Row | None:
    return get_db().execute("SELECT id, email, password_hash FROM users WHERE email = ?", (email,)).fetchone()


def by_id(user_id: int) -> sqlite3.Row | None:
    return get_db().execute("SELECT id, email, created_at FROM users WHERE id = ?", (user_id,)).fetchone()


def insert(conn: sqlite3.Connection, email: str, password_hash: str) -> int:
    now = _now()
    cur = conn.execute(
        "INSERT INTO users (email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (email, password_hash, now, now),
    )
    return int(cur.lastrowid or 0)


def insert_refresh(conn: sqlite3.Connection, user_id: int, token_hash: str, expires_at: str) -> None:
    conn.execute(
        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)",
        (user_id, token_hash, expires_at, _now()),
    )


def live_refresh(conn: sqlite3.Connection, token_hash: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, user_id FROM refresh_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
        (token_hash, _now()),
    ).fetchone()


def revoke_refresh(conn: sqlite3.Connection, row_id: int) -> None:
    conn.execute("UPDATE refresh_tokens SET revoked_at = ? WHERE id = ?", (_now(), row_id))
