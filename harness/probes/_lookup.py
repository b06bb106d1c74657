"""Looking a value up in everything the app stored: every table and column of every database the
harness can read (the app's SQLite files and the snapshot of its PostgreSQL/MariaDB servers) and
its JSON stores. One place for the secrets-at-rest and password-storage probes.

A value counts as stored in the clear when it appears verbatim, merely encoded (base64, hex) or
as a fast unsalted hash (md5, sha1, sha256, sha512): all of them give the value back to whoever
reads the database. Cells are searched for the value inside them, not only equal to it, so a
secret inside a JSON blob, a serialized dict or a ``user:secret`` pair is found too.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# a table larger than this is read only in part: the probe's own rows are the newest
_MAX_ROWS = 20_000
_HEX_FORMS = {"hex", "md5", "sha1", "sha256", "sha512"}


# ---------------------------------------------------------------- reading the app's storage


def storage_files(app: Any) -> list[Path]:
    """SQLite files of the app: what the runner reports plus *.db/*.sqlite* in its workdir."""
    files = [Path(p) for p in app.db_files()]
    root = Path(app.workdir)
    for pattern in ("*.db", "*.sqlite", "*.sqlite3", "*/*.db", "*/*.sqlite", "*/*.sqlite3"):
        files += [p for p in root.glob(pattern) if "node_modules" not in p.parts]
    out: list[Path] = []
    for f in files:
        # a link the app planted could point at a host file: only the app's own regular files
        if f.is_file() and not f.is_symlink() and _inside(f, root) and f not in out:
            out.append(f)
    return out


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve()) or not path.is_relative_to(root)
    except OSError:
        return False


@contextlib.contextmanager
def open_copy(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a copy of ``path`` (and its -wal/-shm): the app keeps writing
    the original and must never see a lock from us."""
    with tempfile.TemporaryDirectory(prefix="harness-db-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copy2(path, copy)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.copy2(side, copy.with_name(copy.name + suffix))
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            yield conn
        finally:
            conn.close()


def json_files(app: Any) -> list[Path]:
    """JSON files of the workdir that may be a file-backed store (not manifests, at most 5 MB)."""
    root = Path(app.workdir)
    out: list[Path] = []
    for path in [*root.glob("*.json"), *root.glob("*/*.json")]:
        if (
            path.name in ("package.json", "package-lock.json", "tsconfig.json")
            or "node_modules" in path.parts
            or path.is_symlink()
        ):
            continue
        try:
            if path.is_file() and path.stat().st_size <= 5_000_000:
                out.append(path)
        except OSError:
            continue
    return out


# ---------------------------------------------------------------- searching it


@dataclass(frozen=True)
class Found:
    """One place a looked-up value was seen."""

    where: str  # "<file> table <t> column <c>" or "<file> key <path>"
    label: str  # which needle: a form of the value ("as sent", "md5"...) or a caller's label
    row: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def stored_forms(value: str) -> dict[str, str]:
    """``value`` as sent, encoded, and as each fast unsalted hash, by name."""
    raw = value.encode()
    out = {"as sent": value}
    out["base64"] = base64.b64encode(raw).decode().rstrip("=")
    out["base64url"] = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    out["hex"] = raw.hex()
    for name in ("md5", "sha1", "sha256", "sha512"):
        out[name] = hashlib.new(name, raw).hexdigest()
    return out


def _cell_texts(value: Any) -> list[str]:
    """The texts a cell can be searched as: a blob both decoded and as hex (a raw digest)."""
    if value is None:
        return []
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return [raw.decode("utf-8", errors="replace"), raw.hex()]
    return [str(value)]


def _match(texts: list[str], needles: dict[str, str]) -> str | None:
    for label, needle in needles.items():
        if not needle:
            continue
        for text in texts:
            if needle in text or (label in _HEX_FORMS and needle in text.lower()):
                return label
    return None


def _search_sqlite(path: Path, needles: dict[str, str]) -> list[Found]:
    out: list[Found] = []
    with open_copy(path) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
            if not r[0].startswith("sqlite_")
        ]
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]
            sql = f'SELECT * FROM "{table}" ORDER BY rowid DESC LIMIT {_MAX_ROWS}'
            try:
                rows = conn.execute(sql).fetchall()
            except sqlite3.Error:  # a WITHOUT ROWID table
                rows = conn.execute(f'SELECT * FROM "{table}" LIMIT {_MAX_ROWS}').fetchall()
            for values in rows:
                for col, cell in zip(cols, values, strict=False):
                    label = _match(_cell_texts(cell), needles)
                    if label is not None:
                        out.append(
                            Found(
                                f"{path} table {table} column {col}",
                                label,
                                dict(zip(cols, values, strict=False)),
                            )
                        )
    return out


def _search_json(path: Path, needles: dict[str, str]) -> list[Found]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if _match([text], needles) is None:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        label = _match([text], needles) or ""
        return [Found(f"{path} (not valid JSON)", label)]
    out: list[Found] = []

    def walk(node: Any, where: str, parent: dict[str, Any], depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{where}.{k}" if where else str(k), node, depth + 1)
        elif isinstance(node, list):
            for i, v in enumerate(node[:5000]):
                walk(v, f"{where}[{i}]", parent, depth + 1)
        else:
            label = _match(_cell_texts(node), needles)
            if label is not None:
                out.append(Found(f"{path} key {where or '(root)'}", label, dict(parent)))

    walk(data, "", {}, 0)
    return out


def search_storage(app: Any, needles: dict[str, str]) -> list[Found]:
    """Every place (database cell or JSON store value) holding one of ``needles`` ({label:
    text}); the first matching label per cell, in the order given."""
    out: list[Found] = []
    for path in storage_files(app):
        try:
            out += _search_sqlite(path, needles)
        except (sqlite3.Error, OSError):
            continue
    for path in json_files(app):
        out += _search_json(path, needles)
    return out


def readable_storage(app: Any) -> list[str]:
    """The databases and JSON stores the lookup reads, for the reason of a blind verdict."""
    return [str(p) for p in [*storage_files(app), *json_files(app)]]


__all__ = [
    "Found",
    "json_files",
    "open_copy",
    "readable_storage",
    "search_storage",
    "storage_files",
    "stored_forms",
]
