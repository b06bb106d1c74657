# File: contacts/security.py
"""bcrypt password hashes, JWT access tokens, random refresh tokens stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt
from flask import current_app

ALGORITHM = "HS256"
BCRYPT_ROUNDS = 12


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode(), password_hash.encode())


def create_access_token(user_id: int) -> tuple[str, int]:
    now = datetime.now(timezone.utc)
    ttl = timedelta(minutes=current_app.config["ACCESS_TOKEN_MINUTES"])
    claims = {"sub": str(user_id), "iat": now, "exp": now + ttl, "type": "access", "jti": secrets.token_urlsafe(12)}
    token = jwt.encode(claims, current_app.config["JWT_SECRET"], algorithm=ALGORITHM)
    return token, int(ttl.total_seconds())


def decode_access_token(token: str) -> dict:
    claims = jwt.decode(
        token,
        current_app.config["JWT_SECRET"],
        algorithms=[ALGORITHM],
        options={"require": ["exp", "iat", "sub"]},
    )
    if claims.get("type") != "access":
        raise jwt.InvalidTokenError("not an access token")
    return claims


def new_refresh_token() -> tuple[str, str, str]:
    token = secrets.token_urlsafe(48)
    expires = datetime.now(timezone.utc) + timedelta(days=current_app.config["REFRESH_TOKEN_DAYS"])
    return token, digest(token), expires.isoformat()


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
