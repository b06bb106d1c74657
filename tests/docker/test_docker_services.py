"""The docker runner's private database servers, inside the app's container, on the real engine.

The service apps are the local runner's own (tests/services/apps): scored with --runner docker
they get the verdicts the local runner's tests expect of them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest
from engine_state import exists, run_objects

from harness.app import detect_app
from harness.runner._docker import start_docker_app
from harness.runner._docker_deps import _image_only
from harness.runner._docker_services import _in_image, _loopback
from harness.runner._model import LaunchError
from harness.runner._services import missing_server

ROOT = Path(__file__).resolve().parents[2]
SERVICE_APPS = ROOT / "tests" / "services" / "apps"


def _servers(*kinds: str) -> None:
    for kind in kinds:
        why = missing_server(kind)
        if why:
            pytest.skip(why)


# --- no engine needed --------------------------------------------------------------------------


def test_steps_move_to_the_image_and_npm_scripts_run_without_npm() -> None:
    scripts = {"migrate": "node src/migrate.js"}
    assert _in_image(["npm", "run", "--silent", "migrate"], "/repo", scripts) == [
        "sh",
        "-c",
        "PATH=/app/node_modules/.bin:$PATH; node src/migrate.js",
    ]
    step = ["sh", "-c", "cd /repo/sub && exec /opt/venv/bin/alembic upgrade head"]
    assert (
        _in_image(step, "/repo", scripts)[2]
        == "cd /app/sub && exec /opt/venv/bin/alembic upgrade head"
    )
    # a script the package does not declare stays as it is (and fails, naming itself)
    assert _in_image(["npm", "run", "seed"], "/repo", scripts) == ["npm", "run", "seed"]


def test_servers_listen_on_the_container_loopback_only() -> None:
    pg = ["postgres", "-D", "/d", "-p", "5432", "-h", "*", "-k", "/tmp"]
    assert _loopback(pg)[_loopback(pg).index("-h") + 1] == "127.0.0.1"
    assert pg[pg.index("-h") + 1] == "*"  # the local plan is not changed in place
    redis = ["redis-server", "--bind", "127.0.0.1", "-::1"]
    assert _loopback(redis) == redis


def _wheel(folder: Path, name: str, requires: list[str]) -> None:
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as zf:
        zf.writestr(f"{name}-1.0.dist-info/METADATA", meta)


def test_requirements_only_the_image_python_needs_are_found(tmp_path: Path) -> None:
    _wheel(
        tmp_path,
        "redis",
        [
            'async-timeout>=4.0.3; python_full_version < "3.11.3"',  # image 3.11.2 only
            'tomli; python_version < "3.11"',  # neither
            "hiredis; extra == 'hiredis'",  # an extra nobody asked for
        ],
    )
    _wheel(tmp_path, "already", ['redis; python_full_version < "3.11.3"'])
    host = sys.version_info[:3] >= (3, 11, 3)
    assert _image_only(tmp_path) == (["async-timeout>=4.0.3"] if host else [])


# --- the real engine ---------------------------------------------------------------------------


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_postgres_and_redis_serve_the_app_in_its_container(engine: str) -> None:
    _servers("postgres", "redis")
    with start_docker_app(
        detect_app(SERVICE_APPS / "fastapi_pg_redis"), startup_timeout=180
    ) as app:
        # this run's own objects (other runs may share the engine): gone once it ends
        owned = run_objects(app.container_id)
        assert owned == [("container", app.container_id)]  # no volume, no network of its own
        assert any("private postgres server" in n for n in app.notes)
        assert any("alembic upgrade head" in n for n in app.notes)
        with httpx.Client(base_url=app.base_url, timeout=30) as c:
            assert c.get("/health").json() == {"status": "ok"}  # Redis answered the ping
            creds = {"email": "owner@example.com", "password": "a-long-passphrase"}
            assert c.post("/auth/register", json=creds).status_code == 201
            token = c.post("/auth/login", json=creds).json()["access_token"]
            made = c.post(
                "/notes", json={"title": "groceries"}, headers={"Authorization": f"Bearer {token}"}
            )
            assert made.status_code == 201, made.text  # the table Alembic created
        assert any("groceries" in text for text in app.database_dumps().values())
        snapshots = [p for p in app.db_files() if p.name == "server-databases.sqlite"]
        with sqlite3.connect(snapshots[0]) as conn:
            (stored,) = conn.execute("SELECT password_hash FROM users").fetchone()
        assert stored.startswith("$2b$") and "a-long-passphrase" not in stored
        # compose names resolve to the container's loopback; the servers listen nowhere else
        res = app.run_command(["getent", "hosts", "db", "cache"])
        assert res.exit_code == 0 and res.output.count("127.0.0.1") == 2, res.output
        listening = app.run_command(["cat", "/proc/net/tcp"]).output
        assert ":1538 " not in listening.replace("0100007F:1538", "")  # 5432 on 127.0.0.1 only
        assert "0100007F:1538" in listening
    assert not exists(*owned[0])


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_a_failing_migration_names_its_step(engine: str, tmp_path: Path) -> None:
    _servers("postgres")
    app_dir = tmp_path / "express_pg"
    shutil.copytree(
        SERVICE_APPS / "express_pg", app_dir, ignore=shutil.ignore_patterns("node_modules")
    )
    (app_dir / "src" / "migrate.js").write_text(
        "console.error('schema broken'); process.exit(3);\n"
    )
    with (
        pytest.raises(
            LaunchError, match=r"preparation step `sh -c .*node src/migrate.js` failed \(exit 3\)"
        ) as err,
        start_docker_app(detect_app(app_dir), startup_timeout=120),
    ):
        pytest.fail("a failed migration must stop the start")
    assert "schema broken" in (err.value.log_tail or "")


def _score(app: str, out: Path) -> tuple[int, dict]:
    argv = [sys.executable, "-m", "harness", "score", str(SERVICE_APPS / app), "--agent"]
    argv += ["backend", "-q", "--runner", "docker", "--out", str(out)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, cwd=ROOT)
    card = json.loads((out / "scorecard.json").read_text())
    return proc.returncode, card["requirements"]


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_docker_score_of_a_postgres_redis_app_decides_its_storage_promises(
    engine: str, tmp_path: Path
) -> None:
    _servers("postgres", "redis")
    code, reqs = _score("fastapi_pg_redis", tmp_path / "out")
    assert code in (0, 1)
    verdicts = {k: v["verdict"] for k, v in reqs.items()}
    assert not [k for k, v in verdicts.items() if v == "error"], {
        k: v["reason"] for k, v in reqs.items() if v["verdict"] == "error"
    }
    # the local runner's expectations of the same app (tests/services/test_services.py)
    assert verdicts["auth.password-hashing"] == "pass"
    assert "bcrypt" in reqs["auth.password-hashing"]["reason"]
    assert verdicts["db.soft-delete"] == "fail"  # the deleted row is gone from PostgreSQL
    assert verdicts["auth.authorization"] == "pass"


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_docker_score_of_an_express_postgres_app_finds_its_injection(
    engine: str, tmp_path: Path
) -> None:
    _servers("postgres")
    code, reqs = _score("express_pg", tmp_path / "out")
    assert code == 1  # the gate fails on the planted defect
    verdicts = {k: v["verdict"] for k, v in reqs.items()}
    errored = {k: v["reason"] for k, v in reqs.items() if v["verdict"] == "error"}
    assert not errored, errored
    assert verdicts["sql.parameterized"] == "fail"  # the search route concatenates input
    assert verdicts["auth.password-hashing"] == "pass"  # bcrypt rows read from PostgreSQL
    assert verdicts["db.timestamps"] == "pass"  # columns the SQL migration created


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_mariadb_serves_an_app_that_names_it_in_compose(engine: str) -> None:
    _servers("mysql")
    with start_docker_app(detect_app(SERVICE_APPS / "flask_mariadb")) as app:
        assert any("private mysql server" in n for n in app.notes)
        with httpx.Client(base_url=app.base_url, timeout=30) as c:
            assert c.post("/items", json={"name": "widget-7"}).status_code == 201
        assert any("widget-7" in text for key, text in app.database_dumps().items()
                   if key == "mysql:shop")  # fmt: skip
        snapshots = [p for p in app.db_files() if p.name == "server-databases.sqlite"]
        with sqlite3.connect(snapshots[0]) as conn:
            assert conn.execute("SELECT name FROM items").fetchall() == [("widget-7",)]
