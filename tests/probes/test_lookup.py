"""The storage lookup shared by the secrets-at-rest and password-storage probes, on real SQLite
files and JSON stores (the app object is a stand-in that only names its working directory)."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from harness.probes._lookup import search_storage, stored_forms

SECRET = "Pr0be-Secret-7f3a9c21"


@dataclass
class Workdir:
    workdir: Path

    def db_files(self) -> list[Path]:
        return []


def _db(path: Path, script: str, rows: list[tuple[str, tuple[object, ...]]]) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript(script)
        for sql, args in rows:
            conn.execute(sql, args)


def test_every_table_and_column_is_searched_in_every_form(tmp_path: Path) -> None:
    blob = json.dumps({"email": "a@example.com", "password": SECRET})
    _db(
        tmp_path / "app.db",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
        "CREATE TABLE profiles (user_id INTEGER, data TEXT);"
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, digest TEXT, raw BLOB);"
        "CREATE TABLE tokens (id INTEGER PRIMARY KEY, value TEXT);",
        [
            ("INSERT INTO users (email) VALUES (?)", ("a@example.com",)),
            ("INSERT INTO profiles VALUES (1, ?)", (blob,)),
            (
                "INSERT INTO audit (digest) VALUES (?)",
                (hashlib.sha256(SECRET.encode()).hexdigest().upper(),),
            ),
            ("INSERT INTO audit (raw) VALUES (?)", (hashlib.md5(SECRET.encode()).digest(),)),
            (
                "INSERT INTO tokens (value) VALUES (?)",
                (base64.b64encode(SECRET.encode()).decode(),),
            ),
        ],
    )
    found = search_storage(Workdir(tmp_path), stored_forms(SECRET))
    got = {(f.where.split(" table ", 1)[1], f.label) for f in found}
    assert got == {
        ("profiles column data", "as sent"),
        ("audit column digest", "sha256"),
        ("audit column raw", "md5"),
        ("tokens column value", "base64"),
    }
    (profile,) = [f for f in found if "profiles" in f.where]
    assert profile.row["user_id"] == 1


def test_json_stores_report_the_key_path(tmp_path: Path) -> None:
    store = {"users": [{"name": "a", "auth": {"pw": hashlib.sha1(SECRET.encode()).hexdigest()}}]}
    (tmp_path / "data.json").write_text(json.dumps(store))
    (tmp_path / "package.json").write_text(json.dumps({"x": SECRET}))
    (found,) = search_storage(Workdir(tmp_path), stored_forms(SECRET))
    assert found.label == "sha1"
    assert found.where.endswith("data.json key users[0].auth.pw")


def test_a_slow_hash_or_another_value_is_not_found(tmp_path: Path) -> None:
    salted = hashlib.pbkdf2_hmac("sha256", SECRET.encode(), b"salt", 100_000).hex()
    _db(
        tmp_path / "app.sqlite",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, pw TEXT)",
        [("INSERT INTO users (pw) VALUES (?)", (salted,))],
    )
    assert search_storage(Workdir(tmp_path), stored_forms(SECRET)) == []
    marker = {"marker": "a@example.com"}
    assert search_storage(Workdir(tmp_path), marker) == []
