"""A SQLite snapshot of an app's server databases, so the storage checks read them like a file.

The dumps are the servers' own (``pg_dump --column-inserts``, ``mariadb-dump
--complete-insert``): one INSERT per row with its column names. Each row lands in a table of the
same name (``db.table`` when several databases hold one), every value as SQLite stores it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

INSERT = re.compile(
    r"^INSERT INTO\s+(?P<table>[\w.\"`]+)\s*\((?P<cols>[^)]*)\)\s*VALUES\s*\((?P<vals>.*)\);\s*$"
)
LITERAL = re.compile(
    r"""\s*(?:'(?P<s>(?:[^'\\]|''|\\.)*)'|(?P<n>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<w>NULL|true|false|TRUE|FALSE))\s*(?:,|$)""",
    re.S,
)


def _name(raw: str) -> str:
    return raw.strip().strip('"`').split(".")[-1].strip('"`')


def _values(raw: str, mysql: bool) -> list[object] | None:
    out: list[object] = []
    pos = 0
    while pos < len(raw):
        m = LITERAL.match(raw, pos)
        if m is None or m.end() == pos:
            return None
        if m.group("s") is not None:
            text = m.group("s").replace("''", "'")
            if mysql:
                text = re.sub(
                    r"\\(.)", lambda x: {"n": "\n", "t": "\t", "0": "\0"}.get(x[1], x[1]), text
                )
            out.append(text)
        elif m.group("n") is not None:
            number = m.group("n")
            out.append(float(number) if "." in number or "e" in number.lower() else int(number))
        else:
            word = m.group("w").lower()
            out.append(None if word == "null" else int(word == "true"))
        pos = m.end()
    return out


def write_snapshot(dumps: dict[str, str], path: Path) -> int:
    """Rebuild ``path`` from ``dumps`` ({"kind:database": text}); the number of rows."""
    path.unlink(missing_ok=True)
    rows = 0
    with sqlite3.connect(path) as conn:
        made: dict[str, list[str]] = {}
        for source, text in dumps.items():
            mysql = source.startswith(("mysql", "mongo"))  # backslash escapes
            database = source.split(":", 1)[-1]
            for line in text.splitlines():
                m = INSERT.match(line)
                if not m:
                    continue
                cols = [_name(c) for c in m.group("cols").split(",")]
                values = _values(m.group("vals"), mysql)
                if values is None or len(values) != len(cols):
                    continue
                table = _name(m.group("table"))
                if table in made and made[table] != cols:
                    table = f"{database}.{table}"
                if table not in made:
                    quoted = ", ".join(f'"{c}"' for c in cols)
                    conn.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({quoted})')
                    made[table] = cols
                marks = ", ".join("?" * len(cols))
                conn.execute(f'INSERT INTO "{table}" VALUES ({marks})', values)
                rows += 1
    return rows
