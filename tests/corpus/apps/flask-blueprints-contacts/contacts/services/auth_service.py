# File: contacts/services/auth_service.py
"""Registration, sign-in and refresh-token rotation."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from contacts.db import transaction
from contacts.errors import Conflict, Unauthorized
from contacts.repositories import users
from contacts.security import (
    create_access_token,
    digest,
    hash_password,
    new_refresh_token,
    verify_password,
)

logger = logging.getLogger("contacts.auth")
# checked for unknown emails too, so both paths cost one bcrypt comparison
_DUMMY_HASH = hash_password("not-a-real-password-0")


def register(email: str, password: str) -> dict[str, Any]:
    if users.by_email(email) is not None:
        raise Conflict("Email already registered")
    try:
        with transaction() as conn:
            user_id = users.insert(conn, email, hash_password(password))
    except sqlite3.IntegrityError:
        raise Conflict("Email already registered") from None
    logger.info("user registered", extra={"ctx": {"user_id": user_id}})
    return dict(users.by_id(user_id) or {})


def _issue(conn: sqlite3.Connection, user_id: int) -> dict[str, Any]:
    access, ttl = create_access_token(user_id)
    refresh, token_hash, expires = new_refresh_token()
    users.insert_refresh(conn, user_id, token_hash, expires)
    return {"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": ttl}


def login(email: str, password: str, ip: str | None) -> dict[str, Any]:
    user = users.by_email(email)
    valid = verify_password(password, user["password_hash"] if user else _DUMMY_HASH)
    if user is None or not valid:
        logger.warning("failed login", extra={"ctx": {"ip": ip}})
        raise Unauthorized("Invalid email or password")
    with transaction() as conn:
        tokens = _issue(conn, int(user["id"]))
    logger.info("login", extra={"ctx": {"user_id": user["id"], "ip": ip}})
    return tokens


def refresh(token: str) -> dict[str, Any]:
    # the old token is revoked in the transaction that stores its successor
    with transaction() as conn:
        row = users.live_refresh(conn, digest(token))
        if row is None:
            raise Unauthorized("Invalid or expired refresh token")
        users.revoke_refresh(conn, int(row["id"]))
        return _issue(conn, int(row["user_id"]))
