# File: app/services/auth_service.py
"""Registration, sign-in and refresh-token rotation."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import Conflict, Unauthorized
from app.models import User
from app.repositories.user_repository import UserRepository
from app.schemas import TokenPair
from app.security import (
    create_access_token,
    hash_password,
    new_refresh_token,
    refresh_token_digest,
    verify_password,
)

logger = logging.getLogger("inventory.auth")
# compared against when the email is unknown, so both paths cost one bcrypt check
_DUMMY_HASH = hash_password("not-a-real-password-0")


class AuthService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.users = UserRepository(db)

    def register(self, email: str, password: str) -> User:
        if self.users.by_email(email) is not None:
            raise Conflict("Email already registered")
        try:
            user = self.users.add(email, hash_password(password))
            self.db.commit()
        except IntegrityError:
            self.db.rollback()
            raise Conflict("Email already registered") from None
        logger.info("user registered", extra={"ctx": {"user_id": user.id}})
        return user

    def _issue(self, user: User) -> TokenPair:
        access, ttl = create_access_token(user.id, user.role)
        refresh, digest, expires = new_refresh_token()
        self.users.add_refresh(user.id, digest, expires)
        return TokenPair(access_token=access, refresh_token=refresh, expires_in=ttl)

    def login(self, email: str, password: str, ip: str) -> TokenPair:
        user = self.users.by_email(email)
        if not verify_password(password, user.password_hash if user else _DUMMY_HASH) or user is None:
            logger.warning("failed login", extra={"ctx": {"ip": ip}})
            raise Unauthorized("Invalid email or password")
        pair = self._issue(user)
        self.db.commit()
        logger.info("login", extra={"ctx": {"user_id": user.id, "ip": ip}})
        return pair

    def refresh(self, token: str) -> TokenPair:
        # rotation: the old token is revoked in the same transaction the new one is stored
        row = self.users.live_refresh(refresh_token_digest(token))
        if row is None:
            raise Unauthorized("Invalid or expired refresh token")
        user = self.users.get(row.user_id)
        if user is None:
            raise Unauthorized("Invalid or expired refresh token")
        self.users.revoke(row)
        pair = self._issue(user)
        self.db.commit()
        return pair
