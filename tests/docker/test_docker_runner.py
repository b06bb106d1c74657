"""The docker runner against the real engine: build, start, probe over 127.0.0.1, tear down."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid

import httpx
import pytest
from engine_state import leftover_containers, profile, run_images

from harness.runner._docker import cleanup_stale, start_docker_app
from harness.runner._limits import ResourceLimits
from harness.runner._model import LaunchError

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("no_leftovers")]


def _inspect(container_id: str) -> dict:
    import docker

    client = docker.from_env()
    try:
        return client.api.inspect_container(container_id)
    finally:
        client.close()


def test_flask_app_answers_and_its_sqlite_file_is_readable() -> None:
    prof = profile(
        "flask_todo",
        language="python",
        framework="flask",
        entrypoint="app.py",
        dependency_files=["requirements.txt"],
    )
    runner = start_docker_app(prof, startup_timeout=90)
    with runner as app:
        assert len(run_images(runner.run_id)) == 1
        assert app.base_url.startswith("http://127.0.0.1:")
        assert (app.runner, app.isolation) == ("docker", "docker")
        assert app.alive()

        async def exercise() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
            async with app.client() as client:
                health = await client.get("/health")
                created = await client.post("/todos", json={"title": "buy milk"})
                listed = await client.get("/todos")
            return health, created, listed

        health, created, listed = asyncio.run(exercise())
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        assert created.status_code == 201
        assert listed.json() == [{"id": 1, "title": "buy milk"}]

        dbs = app.db_files()
        assert [p.name for p in dbs] == ["app.db"]  # DATABASE_PATH=/app/data/app.db
        with sqlite3.connect(dbs[0]) as conn:
            assert conn.execute("SELECT title FROM todos").fetchall() == [("buy milk",)]

        # Locked down as documented: loopback-only port, read-only root, limits, no root user.
        info = _inspect(app.container_id)
        host = info["HostConfig"]
        bindings = [b for bs in info["NetworkSettings"]["Ports"].values() if bs for b in bs]
        assert bindings and {b["HostIp"] for b in bindings} == {"127.0.0.1"}
        assert host["ReadonlyRootfs"] is True
        bounds = ResourceLimits.from_env()  # the local runner's bounds
        assert host["Memory"] == bounds.memory_bytes and host["PidsLimit"] == bounds.pids
        assert host["NanoCpus"] == 1_000_000_000 and host["CapDrop"] == ["ALL"]
        assert info["Config"]["User"] == "10001:10001"
        assert "Running on http://127.0.0.1:8000" in app.logs()  # the app bound loopback only

        stop = app.stop_gracefully(timeout=5)
        assert stop["exited"] is True and stop["killed_after_timeout"] is False
        assert stop["exit_code"] == 143  # Flask's dev server dies of SIGTERM, no handler
        assert not app.alive()
        # The copy still works once the container has stopped.
        assert [p.name for p in app.db_files()] == ["app.db"]
    assert run_images(runner.run_id) == []


def test_bare_express_app_with_hardcoded_port_and_no_package_json() -> None:
    prof = profile("express_bare", language="javascript", framework="express", entrypoint="app.js")
    # The app ignores PORT and listens on 3000; the relay finds the real port.
    with start_docker_app(prof, env={"PORT": "4567"}, startup_timeout=90) as app:
        assert app.inferred_dependencies == ["express"]
        with httpx.Client(base_url=app.base_url, timeout=10) as client:
            assert client.get("/health").json() == {"status": "ok"}
            made = client.post("/api/items", json={"name": "pen"})
            assert made.status_code == 201 and made.json() == {"id": 1, "name": "pen"}
            assert client.post("/api/items", json={}).status_code == 400
        assert "listening on 3000" in app.logs()
        assert "[agent-harness-relay]" not in app.logs()
        stop = app.stop_gracefully(timeout=5)
        assert stop["exit_code"] == 0 and "shutting down" in app.logs()


def test_crashing_app_raises_launch_error_with_log_tail() -> None:
    prof = profile("crasher", language="python", framework="unknown", entrypoint="app.py")
    runner = start_docker_app(prof, startup_timeout=60)
    with pytest.raises(LaunchError) as err, runner:
        pytest.fail("the app must not come up")
    assert "exited (code 1)" in str(err.value)
    assert "starting up" in err.value.log_tail
    assert "missing configuration: SETTINGS_MODULE" in err.value.log_tail
    assert run_images(runner.run_id) == []


@pytest.mark.parametrize("interrupt", [RuntimeError("probe blew up"), KeyboardInterrupt()])
def test_teardown_on_exception_leaves_no_container(interrupt: BaseException) -> None:
    prof = profile("express_bare", language="javascript", framework="express", entrypoint="app.js")
    seen: list[str] = []
    runner = start_docker_app(prof, startup_timeout=90)
    with pytest.raises(type(interrupt)), runner as app:
        seen.append(app.container_id)
        assert app.container_id[:12] in leftover_containers()
        raise interrupt
    assert seen and seen[0][:12] not in leftover_containers()
    assert run_images(runner.run_id) == []


def test_repo_dockerfile_whose_base_cannot_be_pulled_is_a_clear_error() -> None:
    prof = profile("repo_dockerfile_missing_base", language="python", entrypoint="app.py")
    pattern = r"FROM python:3\.11-slim.*cannot be pulled"
    runner = start_docker_app(prof, use_repo_dockerfile=True)
    with pytest.raises(LaunchError, match=pattern), runner:
        pytest.fail("unreachable")


def test_repo_dockerfile_on_a_local_base_is_built_and_reached() -> None:
    prof = profile("stdlib_repo_dockerfile", language="python", entrypoint="server.py")
    runner = start_docker_app(prof, use_repo_dockerfile=True, startup_timeout=60)
    with runner as app:
        reply = httpx.get(app.base_url + "/ping", timeout=10)
        assert reply.json() == {"path": "/ping"}
    assert run_images(runner.run_id) == []


def test_cleanup_stale_removes_what_a_killed_run_left() -> None:
    import docker

    client = docker.from_env()
    try:
        run_id = uuid.uuid4().hex[:12]
        made = client.containers.create(
            "agent-harness/base:bookworm",
            ["sleep", "60"],
            labels={"agent-harness": "1", "agent-harness.run-id": run_id},
            network_mode="none",
        )
        made.start()
        assert made.id[:12] in leftover_containers()
        assert cleanup_stale(run_id=run_id) == {"containers": 1, "images": 0}
        assert made.id[:12] not in leftover_containers()
    finally:
        client.close()


def test_fastapi_app_is_started_with_uvicorn() -> None:
    prof = profile(
        "fastapi_items",
        language="python",
        framework="fastapi",
        entrypoint="main.py",
        app_object="main:app",
        dependency_files=["requirements.txt"],
    )
    with start_docker_app(prof, startup_timeout=90) as app:
        with httpx.Client(base_url=app.base_url, timeout=10) as client:
            assert client.post("/items", json={"name": "a"}).status_code == 201
            assert client.get("/items/1").json() == {"id": 1, "name": "a"}
            assert client.get("/items/2").status_code == 404
            assert client.post("/items", json={}).status_code == 422
        # uvicorn bound loopback inside the container; the relay made it reachable.
        assert "Uvicorn running on http://127.0.0.1:8000" in app.logs()


def test_django_site_is_migrated_then_served() -> None:
    prof = profile(
        "django_site",
        language="python",
        framework="django",
        entrypoint="manage.py",
        dependency_files=["requirements.txt"],
    )
    with start_docker_app(prof, startup_timeout=120) as app:
        reply = httpx.get(app.base_url + "/api/users", timeout=10)
        assert reply.status_code == 200 and reply.json() == {"users": 0}
        dbs = app.db_files()
        assert [p.name for p in dbs] == ["app.db"]
        with sqlite3.connect(dbs[0]) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "auth_user" in tables and "django_migrations" in tables
