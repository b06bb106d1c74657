# File: contacts/config.py
"""Settings from the environment, validated when the app is created."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any


class ConfigError(RuntimeError):
    pass


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be an integer between {low} and {high}")
    return int(raw)


@dataclass(frozen=True)
class Config:
    database_path: str
    jwt_secret: str
    access_token_minutes: int = 15
    refresh_token_days: int = 7
    cors_origins: list[str] = field(default_factory=list)
    ratelimit_storage_uri: str = "memory://"
    log_level: str = "INFO"

    @classmethod
    def from_env(cls) -> Config:
        secret = os.environ.get("JWT_SECRET", "")
        if len(secret) < 32:
            raise ConfigError("JWT_SECRET must be set to at least 32 characters")
        origins = [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()]
        if "*" in origins:
            raise ConfigError("CORS_ORIGINS must list origins, not '*'")
        return cls(
            database_path=os.environ.get("DATABASE_PATH", "instance/contacts.db"),
            jwt_secret=secret,
            access_token_minutes=_int("ACCESS_TOKEN_MINUTES", 15, 1, 120),
            refresh_token_days=_int("REFRESH_TOKEN_DAYS", 7, 1, 60),
            cors_origins=origins,
            ratelimit_storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        )

    def flask_settings(self) -> dict[str, Any]:
        return {
            "DATABASE_PATH": self.database_path,
            "JWT_SECRET": self.jwt_secret,
            "ACCESS_TOKEN_MINUTES": self.access_token_minutes,
            "REFRESH_TOKEN_DAYS": self.refresh_token_days,
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
            "RATELIMIT_HEADERS_ENABLED": True,
            "MAX_CONTENT_LENGTH": 64 * 1024,
            "DEBUG": False,
            "PROPAGATE_EXCEPTIONS": False,
        }
