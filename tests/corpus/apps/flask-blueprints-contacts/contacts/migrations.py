# File: contacts/migrations.py
"""Versioned SQL migrations (NNNN_name.up.sql / .down.sql), tracked in schema_migrations.

Usage: python -m contacts.migrations up | down
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

DIR = Path(__file__).resolve().parent.parent / "migrations"


def _statements(path: Path) -> list[str]:
    body = "\n".join(
        line for line in path.read_text().splitlines() if not line.lstrip().startswith("--")
    )
    return [s.strip() for s in body.split(";") if s.strip()]


def _applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)")
    return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def migrate_up(conn: sqlite3.Connection) -> None:
    done = set(_applied(conn))
    for path in sorted(DIR.glob("*.up.sql")):
        version = path.name.removesuffix(".up.sql")
        if version in done:
            continue
        with conn:  # one transaction per migration
            for statement in _statements(path):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version) VALUES (?)", (version,))


def migrate_down(conn: sqlite3.Connection) -> None:
    applied = _applied(conn)
    if applied:
        version = applied[-1]
        with conn:
            for statement in _statements(DIR / f"{version}.down.sql"):
                conn.execute(statement)
            conn.execute("DELETE FROM schema_migrations WHERE version = ?", (version,))


if __name__ == "__main__":
    connection = sqlite3.connect(os.environ.get("DATABASE_PATH", "instance/contacts.db"))
    (migrate_down if sys.argv[1:] == ["down"] else migrate_up)(connection)
