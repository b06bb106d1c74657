"""Apps that need database servers: detected from the repo, served by private real servers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.app import detect_app, detect_services
from harness.runner import start_app
from harness.runner._jail import bwrap_support, is_root
from harness.runner._services import missing_server
from harness.runner._snapshot import write_snapshot

APPS = Path(__file__).parent / "apps"
ROOT = Path(__file__).resolve().parents[2]
PG_REDIS = APPS / "fastapi_pg_redis"
JAIL, JAIL_WHY = bwrap_support()


def _servers(*kinds: str) -> None:
    if not (JAIL and is_root()):
        pytest.skip(f"private servers run in the root sandbox: {JAIL_WHY or 'not root'}")
    for kind in kinds:
        why = missing_server(kind)
        if why:
            pytest.skip(why)


def test_services_are_read_from_compose_env_and_drivers(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  store:\n    image: mariadb:11\n  api:\n    build: .\n"
        "    environment:\n      - CACHE=redis://kv:6379\n"
    )
    (tmp_path / "app.py").write_text("import pymongo\n")
    found = {s.kind: s for s in detect_services(tmp_path, ["app.py"], ["pymongo==4.6"])}
    assert set(found) == {"mysql", "redis", "mongo"}
    assert found["mysql"].hostnames == ["store"]
    assert any("CACHE is a redis URL" in e for e in found["redis"].evidence)
    assert found["mongo"].evidence == ["dependency pymongo"]
    assert detect_services(APPS.parent.parent / "runner" / "apps" / "flask_port5000", [], []) == []


def test_an_orm_dialect_in_code_names_the_server(tmp_path: Path) -> None:
    (tmp_path / "data-source.ts").write_text(
        "export const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DB })"
    )
    assert [s.kind for s in detect_services(tmp_path, ["data-source.ts"], [])] == ["postgres"]


def test_a_dump_becomes_a_sqlite_snapshot(tmp_path: Path) -> None:
    dumps = {
        "postgres:app": (
            "INSERT INTO public.users (id, email, password_hash) VALUES "
            "(1, 'o''neil@example.com', '$2b$12$abc');\n"
            "INSERT INTO public.notes (id, title, done) VALUES (7, 'a, b', true);\n"
        ),
        "mysql:shop": "INSERT INTO `users` (`id`, `name`) VALUES (2,'it\\'s');\n",
    }
    snap = tmp_path / "s.sqlite"
    assert write_snapshot(dumps, snap) == 3
    import sqlite3

    with sqlite3.connect(snap) as conn:
        assert conn.execute("SELECT email, password_hash FROM users").fetchall() == [
            ("o'neil@example.com", "$2b$12$abc")
        ]
        assert conn.execute("SELECT title, done FROM notes").fetchall() == [("a, b", 1)]
        assert conn.execute('SELECT name FROM "shop.users"').fetchall() == [("it's",)]


def test_postgres_and_redis_serve_the_app_with_its_own_migrations() -> None:
    _servers("postgres", "redis")
    with start_app(detect_app(PG_REDIS), startup_timeout=180) as app:
        assert any("private postgres server" in n for n in app.notes)
        with app.sync_client() as c:
            assert c.get("/health").json() == {"status": "ok"}  # Redis answered the ping
            creds = {"email": "owner@example.com", "password": "a-long-passphrase"}
            assert c.post("/auth/register", json=creds).status_code == 201
            token = c.post("/auth/login", json=creds).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            made = c.post("/notes", json={"title": "groceries"}, headers=auth)
            assert made.status_code == 201, made.text  # the table Alembic created
        dumps = app.database_dumps()
        assert any("groceries" in text for text in dumps.values())
        snapshots = [p for p in app.db_files() if p.name == "server-databases.sqlite"]
        import sqlite3

        with sqlite3.connect(snapshots[0]) as conn:
            (stored,) = conn.execute("SELECT password_hash FROM users").fetchone()
        assert stored.startswith("$2b$") and "a-long-passphrase" not in stored
        # the compose names resolve to the sandbox's own loopback
        res = app.run_command(["getent", "hosts", "db", "cache"])
        assert res.exit_code == 0 and res.output.count("127.0.0.1") == 2


def test_score_of_a_postgres_app_decides_its_storage_promises(tmp_path: Path) -> None:
    _servers("postgres", "redis")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "harness", "score", str(PG_REDIS), "--agent", "backend"]
    proc = subprocess.run(
        [*argv, "-q", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    card = json.loads((out / "scorecard.json").read_text())
    verdicts = {k: v["verdict"] for k, v in card["requirements"].items()}
    errors = {k: v["checks"] for k, v in card["requirements"].items() if v["verdict"] == "error"}
    assert not errors, errors
    assert verdicts["auth.password-hashing"] == "pass"
    hashing = card["requirements"]["auth.password-hashing"]["reason"]
    assert "bcrypt" in hashing
    assert verdicts["db.soft-delete"] == "fail"  # the deleted row is gone from PostgreSQL
    assert verdicts["auth.authorization"] == "pass"


def test_an_express_app_on_postgres_is_scored_and_its_injection_found(tmp_path: Path) -> None:
    _servers("postgres")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "harness", "score", str(APPS / "express_pg"), "--agent"]
    proc = subprocess.run(
        [*argv, "backend", "-q", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc.stderr[-3000:]  # the gate fails on the planted defect
    card = json.loads((out / "scorecard.json").read_text())
    verdicts = {k: v["verdict"] for k, v in card["requirements"].items()}
    assert "error" not in verdicts.values()
    assert verdicts["sql.parameterized"] == "fail"  # the search route concatenates input
    assert verdicts["auth.password-hashing"] == "pass"  # bcrypt rows read from PostgreSQL
    assert verdicts["db.timestamps"] == "pass"  # columns the SQL migration created


def test_mariadb_serves_an_app_that_names_it_in_compose() -> None:
    _servers("mysql")
    with start_app(detect_app(APPS / "flask_mariadb"), startup_timeout=120) as app:
        assert any("private mysql server" in n for n in app.notes)
        with app.sync_client() as c:
            assert c.post("/items", json={"name": "widget-7"}).status_code == 201
        assert "widget-7" in app.database_dumps()["mysql:shop"]
