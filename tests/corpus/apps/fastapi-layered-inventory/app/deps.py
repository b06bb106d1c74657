# File: app/deps.py
"""Request dependencies: the database session and the signed-in user."""

from __future__ import annotations

import logging

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import User
from app.repositories.user_repository import UserRepository
from app.security import decode_access_token

logger = logging.getLogger("inventory.auth")
bearer = HTTPBearer(auto_error=False)


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=message,
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_user(
    request: Request,
    creds: HTTPAuthorizationCredentials | None = Depends(bearer),
    db: Session = Depends(get_db),
) -> User:
    if creds is None or creds.scheme.lower() != "bearer":
        raise _unauthorized("Authentication required")
    try:
        claims = decode_access_token(creds.credentials)
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError):
        client = request.client.host if request.client else "-"
        logger.warning("rejected token", extra={"ctx": {"ip": client}})
        raise _unauthorized("Invalid or expired token") from None
    user = UserRepository(db).get(user_id)
    if user is None:
        raise _unauthorized("Invalid or expired token")
    return user
