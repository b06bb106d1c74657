# File: app/migrations.py
"""Versioned migrations: migrations/NNNN_name.up.sql and .down.sql, tracked in schema_migrations.

Usage: python -m app.migrations up | down
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.db import engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _statements(path: Path) -> list[str]:
    body = "\n".join(
        line for line in path.read_text().splitlines() if not line.lstrip().startswith("--")
    )
    return [s.strip() for s in body.split(";") if s.strip()]


def _applied(eng: Engine) -> list[str]:
    with eng.begin() as conn:
        conn.execute(
            text("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)")
        )
        return [r[0] for r in conn.execute(text("SELECT version FROM schema_migrations"))]


def migrate_up(eng: Engine = engine) -> None:
    done = set(_applied(eng))
    for path in sorted(MIGRATIONS_DIR.glob("*.up.sql")):
        version = path.name.removesuffix(".up.sql")
        if version in done:
            continue
        with eng.begin() as conn:  # one transaction per migration
            for stmt in _statements(path):
                conn.execute(text(stmt))
            conn.execute(text("INSERT INTO schema_migrations (version) VALUES (:v)"), {"v": version})


def migrate_down(eng: Engine = engine) -> None:
    applied = sorted(_applied(eng))
    if not applied:
        return
    version = applied[-1]
    with eng.begin() as conn:
        for stmt in _statements(MIGRATIONS_DIR / f"{version}.down.sql"):
            conn.execute(text(stmt))
        conn.execute(text("DELETE FROM schema_migrations WHERE version = :v"), {"v": version})


if __name__ == "__main__":
    {"up": migrate_up, "down": migrate_down}[sys.argv[1] if len(sys.argv) > 1 else "up"]()
