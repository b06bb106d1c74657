# File: app/repositories/user_repository.py
"""Users and refresh tokens."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import RefreshToken, User


class UserRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, user_id: int) -> User | None:
        return self.db.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.db.scalar(select(User).where(User.email == email))

    def add(self, email: str, password_hash: str) -> User:
        user = User(email=email, password_hash=password_hash)
        self.db.add(user)
        self.db.flush()
        return user

    def add_refresh(self, user_id: int, digest: str, expires_at: datetime) -> None:
        self.db.add(RefreshToken(user_id=user_id, token_hash=digest, expires_at=expires_at))

    def live_refresh(self, digest: str) -> RefreshToken | None:
        row = self.db.scalar(
            select(RefreshToken).where(
                RefreshToken.token_hash == digest, RefreshToken.revoked_at.is_(None)
            )
        )
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
        return row if expires > datetime.now(timezone.utc) else None

    def revoke(self, row: RefreshToken) -> None:
        row.revoked_at = datetime.now(timezone.utc)
