"""MongoDB in the docker runner: the harness's FerretDB build inside the app's container.

The apps are the local runner's Mongo service apps (tests/services/apps): scored with
--runner docker they get the verdicts tests/services/test_mongo.py expects of them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from engine_state import exists, run_objects

from harness.app import detect_app
from harness.runner._docker import start_docker_app
from harness.runner._docker_services import (
    DATA_ROOT,
    HOME,
    MONGO_BIN,
    _in_container,
    _libraries,
    _packages,
    plan,
)
from harness.runner._services import ServicePlan, missing_server

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "tests" / "services" / "apps"
AGENT = APPS / "mongo_agent.md"


def _mongo_server() -> None:
    why = missing_server("mongo")
    if why:
        pytest.skip(why)


# --- no engine needed --------------------------------------------------------------------------


def test_the_server_runs_from_the_image_on_the_container_loopback() -> None:
    host = ["/cache/tools/ferretdb", "--sqlite-url=file:/d/", "--listen-addr=127.0.0.1:27017"]
    plan_ = ServicePlan("mongo", 27017, host, Path("/d"))
    assert _in_container(plan_) == [MONGO_BIN, *host[1:]]
    assert plan_.command[0] == "/cache/tools/ferretdb"  # the local plan is not changed in place
    # no Debian package is asked for (dpkg-query with none would list every package)
    assert _packages(["mongo"]) == []


def test_beside_a_packaged_server_only_that_server_s_packages_are_copied() -> None:
    why = missing_server("redis")
    if why:
        pytest.skip(why)
    redis = _packages(["redis"])
    assert redis and _packages(["mongo", "redis"]) == redis


def test_a_mongo_plan_points_the_container_at_its_own_data(tmp_path: Path) -> None:
    _mongo_server()
    existed = Path(DATA_ROOT).exists()
    services = plan(detect_app(APPS / "express_mongo_clean"), tmp_path / "log")
    # the data folder is the container's tmpfs: nothing is made for it on this host
    assert existed or not Path(DATA_ROOT).exists()
    assert services.kinds == ["mongo"] and services.ports == [27017]
    assert services.services.env["MONGO_URI"] == "mongodb://127.0.0.1:27017/notes"
    assert {"mongo", "mongodb"} <= set(services.services.hostnames)
    _, config = services.launcher("node src/server.js", {})
    assert config["data"] == [[f"{HOME}/templates/mongo", f"{DATA_ROOT}/mongo"]]
    (server,) = config["services"]
    assert server["command"][0] == MONGO_BIN
    assert "--listen-addr=127.0.0.1:27017" in server["command"]
    assert f"--sqlite-url=file:{DATA_ROOT}/mongo/" in server["command"]
    (dump,) = services.services.plans[0].dump
    assert dump[0] == "/usr/bin/python3" and dump[-1] == f"{DATA_ROOT}/mongo"


def test_the_built_server_needs_no_library_the_image_may_lack() -> None:
    """The binary the layer copies: a static Go program, so nothing is copied beside it."""
    _mongo_server()
    from harness.runner._mongo import server_binary

    binary = server_binary()
    if binary is None:
        pytest.skip("FerretDB is buildable here but not built yet (scripts/setup.sh builds it)")
    assert _libraries([str(binary)]) == {}


# --- the real engine ---------------------------------------------------------------------------


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_a_mongoose_app_is_served_in_its_container_and_its_documents_dumped(
    engine: str,
) -> None:
    _mongo_server()
    with start_docker_app(detect_app(APPS / "express_mongo_clean"), startup_timeout=180) as app:
        assert any("private mongo server" in n for n in app.notes), app.notes
        owned = run_objects(app.container_id)
        assert owned == [("container", app.container_id)]  # no volume, no network of its own
        with httpx.Client(base_url=app.base_url, timeout=30) as c:
            creds = {"username": "owner1", "password": "a-long-passphrase"}
            assert c.post("/auth/register", json=creds).status_code == 201
            token = c.post("/auth/login", json=creds).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            made = c.post("/notes", json={"title": "groceries"}, headers=auth)
            assert made.status_code == 201, made.text
            listed = c.get("/notes", params={"title": "groceries"}, headers=auth).json()
            assert [n["title"] for n in listed] == ["groceries"]
            # large documents after the users: the dump is read from its first row, whole
            for title in ("long-1", "long-2"):
                made = c.post("/notes", json={"title": title, "body": "x" * 60_000}, headers=auth)
                assert made.status_code == 201, made.text
        dumps = app.database_dumps()
        assert any("groceries" in text for text in dumps.values()), dumps
        assert sum(len(text) for text in dumps.values()) > 120_000
        snapshots = [p for p in app.db_files() if p.name == "server-databases.sqlite"]
        with sqlite3.connect(snapshots[0]) as conn:
            (stored,) = conn.execute('SELECT passwordHash FROM "users"').fetchone()
            notes = conn.execute('SELECT title, length(body) FROM "notes" ORDER BY title')
            assert notes.fetchall() == [("groceries", 0), ("long-1", 60_000), ("long-2", 60_000)]
        assert stored.startswith("$2") and "a-long-passphrase" not in stored
        res = app.run_command(["getent", "hosts", "mongo", "mongodb"])
        assert res.exit_code == 0 and res.output.count("127.0.0.1") == 2, res.output
        env = app.run_command(["/usr/bin/env"]).output
        assert "MONGO_URI=mongodb://127.0.0.1:27017/notes" in env  # its own database name
        assert "MONGODB_URI=mongodb://127.0.0.1:27017/notes" in env
        # 27017 (0x6989) listens on 127.0.0.1 only, owned by the app's unprivileged uid
        listening = [
            line.split()
            for line in app.run_command(["cat", "/proc/net/tcp"]).output.splitlines()[1:]
            if line.split()[3] == "0A"
        ]
        mongo = [f for f in listening if f[1].endswith(":6989")]
        assert [(f[1], f[7]) for f in mongo] == [("0100007F:6989", "10001")], listening
        # the server's binary is part of the read-only image, its data on the container's tmpfs
        assert app.run_command(["sh", "-c", f"test -w {MONGO_BIN}"]).exit_code != 0
        assert app.run_command(["sh", "-c", f"touch {MONGO_BIN}"]).exit_code != 0
        files = app.run_command(["ls", f"{DATA_ROOT}/mongo"]).output.split()
        assert "notes.sqlite" in files, files
    assert not exists(*owned[0])


def _score(app: str, out: Path) -> tuple[int, dict]:
    argv = [sys.executable, "-m", "harness", "score", str(APPS / app), "--agent", str(AGENT)]
    argv += ["-q", "--runner", "docker", "--out", str(out)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert (out / "scorecard.json").exists(), proc.stderr[-3000:]
    card = json.loads((out / "scorecard.json").read_text())
    return proc.returncode, card


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_docker_score_of_the_broken_mongoose_app_fails_nosql_injection_live(
    engine: str, tmp_path: Path
) -> None:
    _mongo_server()
    code, card = _score("express_mongo_broken", tmp_path / "out")
    assert code == 1  # the gate fails on the planted defect
    assert card["run"]["runner"] == "docker", card["run"]
    reqs = card["requirements"]
    verdicts = {k: v["verdict"] for k, v in reqs.items()}
    errored = {k: v["reason"] for k, v in reqs.items() if v["verdict"] == "error"}
    assert not errored, errored
    # the local runner's expectations of the same app (tests/services/test_mongo.py)
    live = [c for c in reqs["injection.nosql"]["checks"] if c["check"] == "live.nosql-injection"]
    assert live and live[0]["status"] == "fail", live
    messages = " ".join(e["message"] for e in live[0]["evidence"])
    assert "sign-in accepted" in messages and "selects the first record" in messages
    assert verdicts["injection.nosql"] == "fail"
    # bcrypt hashes read from the server's documents in the container
    assert verdicts["auth.password-hashing"] == "pass", reqs["auth.password-hashing"]
    checks = reqs["auth.password-hashing"]["checks"]
    stored = [c for c in checks if c["check"] == "live.password-storage"]
    assert stored and stored[0]["status"] == "pass", checks


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.usefixtures("no_leftovers")
def test_docker_score_of_the_pymongo_app_reads_its_users_past_a_large_document(
    engine: str, tmp_path: Path
) -> None:
    """The body-size probe stores a 4 MB note in this app: the storage checks still read the
    users the dump prints before it."""
    _mongo_server()
    code, card = _score("flask_mongo_broken", tmp_path / "out")
    assert code == 1
    reqs = card["requirements"]
    errored = {k: v["reason"] for k, v in reqs.items() if v["verdict"] == "error"}
    assert not errored, errored
    checks = {c["check"]: c for r in reqs.values() for c in r["checks"]}
    nosql = checks["live.nosql-injection"]
    assert nosql["status"] == "fail" and 'username {"$in": [A]}' in nosql["message"], nosql
    assert checks["live.body-size"]["status"] == "fail", checks["live.body-size"]
    stored = checks["live.password-storage"]
    assert stored["status"] == "pass" and "bcrypt" in stored["message"], stored
