"""Mongo-backed apps: a private MongoDB-compatible server (FerretDB on SQLite) in the app's
sandbox, its documents read by the storage checks, and NoSQL injection probed live."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner import LaunchError, _mongo, start_app
from harness.runner._jail import bwrap_support, is_root
from harness.runner._services import missing_server, plan_services
from harness.runner._snapshot import write_snapshot

APPS = Path(__file__).parent / "apps"
ROOT = Path(__file__).resolve().parents[2]
AGENT = APPS / "mongo_agent.md"
JAIL, JAIL_WHY = bwrap_support()


def _mongo_server() -> None:
    if not (JAIL and is_root()):
        pytest.skip(f"private servers run in the root sandbox: {JAIL_WHY or 'not root'}")
    if not shutil.which("node"):
        pytest.skip("node is not installed (the Mongoose apps are Express apps)")
    why = missing_server("mongo")
    if why:
        pytest.skip(why)


def test_without_a_built_server_or_go_the_error_names_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))  # nothing built here
    monkeypatch.setattr(_mongo, "go_binary", lambda: None)
    profile = detect_app(APPS / "express_mongo_clean")
    assert [s.kind for s in profile.services] == ["mongo"]
    with pytest.raises(LaunchError, match=r"needs mongo: .*FerretDB .*no Go toolchain"):
        plan_services(profile, tmp_path / "data", tmp_path / "log")


def test_mongo_urls_point_at_the_private_server_without_credentials() -> None:
    from harness.runner._services import _environment

    example = {
        "MONGO_URI": "mongodb+srv://root:secret@cluster0.example.net/shop?authSource=admin&w=1",
        "MONGO_PORT": "27018",
    }
    env, _ = _environment(["mongo"], example, "process.env.MONGO_URI", _profile())
    # no SCRAM handshake the private server does not speak, no SRV look-up, its own database
    assert env["MONGO_URI"] == "mongodb://127.0.0.1:27017/shop?w=1"
    assert env["MONGODB_URI"] == env["DATABASE_URL"] == "mongodb://127.0.0.1:27017/shop"
    assert env["MONGO_PORT"] == "27017" and env["MONGO_HOST"] == "127.0.0.1"


def _profile():
    return detect_app(APPS / "express_mongo_clean")


def test_the_dump_reads_the_servers_files_into_the_snapshot(tmp_path: Path) -> None:
    """The dump script against a file laid out as FerretDB's SQLite backend lays it out."""
    python = Path("/usr/bin/python3")
    if not python.exists():
        pytest.skip("/usr/bin/python3 (the dump runs with the system's Python) is missing")
    with sqlite3.connect(tmp_path / "notes.sqlite") as conn:
        conn.execute('CREATE TABLE "_ferretdb_collections" (name, table_name, settings)')
        conn.execute("INSERT INTO \"_ferretdb_collections\" VALUES ('users', 'users_1a2b', '{}')")
        conn.execute('CREATE TABLE "users_1a2b" ("_ferretdb_sjson" TEXT)')
        docs = [
            {"$s": {"p": {}}, "_id": "64b0", "username": "o'neil\\", "passwordHash": "$2a$10$x"},
            {"_id": "64b1", "username": "b\nc", "tags": ["x"], "admin": True},
        ]
        for doc in docs:
            conn.execute('INSERT INTO "users_1a2b" VALUES (?)', (json.dumps(doc),))
    argv = _mongo.mongo_dump(tmp_path)
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True).stdout
    snap = tmp_path / "snap.sqlite"
    assert write_snapshot({"mongo:notes": out}, snap) == 2
    with sqlite3.connect(snap) as conn:
        rows = conn.execute('SELECT username, passwordHash, tags, admin FROM "users"').fetchall()
    assert rows == [("o'neil\\", "$2a$10$x", None, None), ("b\nc", None, '["x"]', 1)]


def test_a_mongoose_app_is_served_by_a_private_server_and_its_rows_dumped() -> None:
    _mongo_server()
    with start_app(detect_app(APPS / "express_mongo_clean"), startup_timeout=240) as app:
        assert any("private mongo server" in n for n in app.notes), app.notes
        with app.sync_client() as c:
            creds = {"username": "owner1", "password": "a-long-passphrase"}
            assert c.post("/auth/register", json=creds).status_code == 201
            token = c.post("/auth/login", json=creds).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            made = c.post("/notes", json={"title": "groceries"}, headers=auth)
            assert made.status_code == 201, made.text
            listed = c.get("/notes", params={"title": "groceries"}, headers=auth).json()
            assert [n["title"] for n in listed] == ["groceries"]
        dumps = app.database_dumps()
        assert any("groceries" in text for text in dumps.values()), dumps
        snapshots = [p for p in app.db_files() if p.name == "server-databases.sqlite"]
        with sqlite3.connect(snapshots[0]) as conn:
            (stored,) = conn.execute('SELECT passwordHash FROM "users"').fetchone()
        assert stored.startswith("$2") and "a-long-passphrase" not in stored
        res = app.run_command(["getent", "hosts", "mongo", "mongodb"])
        assert res.exit_code == 0 and res.output.count("127.0.0.1") == 2
        env = app.run_command(["/usr/bin/env"]).output
        assert "MONGO_URI=mongodb://127.0.0.1:27017/notes" in env  # its own database name


def _score(app: Path, out: Path) -> dict:
    argv = [sys.executable, "-m", "harness", "score", str(app), "--agent", str(AGENT), "-q"]
    proc = subprocess.run(
        [*argv, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return json.loads((out / "scorecard.json").read_text())


def test_the_broken_mongoose_app_fails_nosql_injection_live(tmp_path: Path) -> None:
    _mongo_server()
    card = _score(APPS / "express_mongo_broken", tmp_path / "out")
    reqs = card["requirements"]
    verdicts = {k: v["verdict"] for k, v in reqs.items()}
    assert verdicts["injection.nosql"] == "fail", reqs["injection.nosql"]
    live = [c for c in reqs["injection.nosql"]["checks"] if c["check"] == "live.nosql-injection"]
    assert live and live[0]["status"] == "fail", live
    messages = " ".join(e["message"] for e in live[0]["evidence"])
    assert "sign-in accepted" in messages and "selects the first record" in messages
    static = next(c for c in reqs["injection.nosql"]["checks"] if c["kind"] == "static")
    assert static["status"] == "fail", static  # semgrep scans a repo kept under tests/ too
    assert verdicts["auth.password-hashing"] == "pass"  # bcrypt hashes read from the server
    assert "error" not in verdicts.values(), verdicts


def test_the_clean_mongoose_app_passes_nosql_injection_live(tmp_path: Path) -> None:
    _mongo_server()
    card = _score(APPS / "express_mongo_clean", tmp_path / "out")
    reqs = card["requirements"]
    verdicts = {k: v["verdict"] for k, v in reqs.items()}
    live = [c for c in reqs["injection.nosql"]["checks"] if c["check"] == "live.nosql-injection"]
    assert live and live[0]["status"] == "pass", live
    messages = " ".join(e["message"] for e in live[0]["evidence"])
    assert "controls:" in messages and "control: ?title=" in messages  # both surfaces served
    static = next(c for c in reqs["injection.nosql"]["checks"] if c["kind"] == "static")
    assert static["status"] == "pass", static  # sanitizeFilter sets the filter hits aside
    assert verdicts["injection.nosql"] == "pass", reqs["injection.nosql"]
    assert verdicts["auth.password-hashing"] == "pass"
    assert "fail" not in verdicts.values() and "error" not in verdicts.values(), verdicts


def test_the_pymongo_flask_twins_are_told_apart_live(tmp_path: Path) -> None:
    """Flask parses no operators from the query string: JSON bodies are the way in (sign-in and
    a search route)."""
    _mongo_server()
    verdicts = {}
    for name in ("flask_mongo_broken", "flask_mongo_clean"):
        card = _score(APPS / name, tmp_path / name)
        checks = card["requirements"]["injection.nosql"]["checks"]
        live = next(c for c in checks if c["check"] == "live.nosql-injection")
        static = next(c for c in checks if c["kind"] == "static")
        verdicts[name] = live["status"], live["message"], static["status"]
        assert card["requirements"]["auth.password-hashing"]["verdict"] == "pass"
        # read from the server's dump, from its first row: the probes' large notes come after
        # the users and once pushed them out of a tail
        stored = next(
            c for c in card["requirements"]["auth.password-hashing"]["checks"]
            if c["check"] == "live.password-storage"
        )  # fmt: skip
        assert stored["status"] == "pass" and "bcrypt" in stored["message"], stored
    assert verdicts["flask_mongo_broken"][0] == "fail", verdicts
    assert 'username {"$in": [A]}' in verdicts["flask_mongo_broken"][1]
    # the search route takes its filter as a JSON body
    assert 'POST /notes/search {title: {"$regex"' in verdicts["flask_mongo_broken"][1]
    assert verdicts["flask_mongo_broken"][2] == "fail", verdicts
    # the clean twin's isinstance() guards, ObjectId() casts and single query-string values
    assert verdicts["flask_mongo_clean"][0] == "pass", verdicts
    assert verdicts["flask_mongo_clean"][2] == "pass", verdicts
