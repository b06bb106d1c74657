# File: app/config.py
"""Settings read once from the environment, validated at start."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache


class ConfigError(RuntimeError):
    pass


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer") from exc
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str
    jwt_secret: str
    access_token_minutes: int
    refresh_token_days: int
    cors_origins: list[str] = field(default_factory=list)
    log_level: str = "INFO"


@lru_cache
def get_settings() -> Settings:
    secret = os.environ.get("JWT_SECRET", "")
    if len(secret) < 32:
        raise ConfigError("JWT_SECRET must be set to at least 32 characters")
    origins = [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()]
    if "*" in origins:
        raise ConfigError("CORS_ORIGINS must list origins, not '*'")
    db_url = os.environ.get("DATABASE_URL") or "sqlite:///" + os.environ.get(
        "DATABASE_PATH", "inventory.db"
    )
    if not db_url.startswith("sqlite"):
        db_url = "sqlite:///" + os.environ.get("DATABASE_PATH", "inventory.db")
    return Settings(
        database_url=db_url,
        jwt_secret=secret,
        access_token_minutes=_int("ACCESS_TOKEN_MINUTES", 15, 1, 120),
        refresh_token_days=_int("REFRESH_TOKEN_DAYS", 7, 1, 60),
        cors_origins=origins,
        log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
    )
