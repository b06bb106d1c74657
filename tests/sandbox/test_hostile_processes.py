"""Hostile apps against the process table and the network: identity, `kill -9 -1`, a daemon
that leaves its session, connections to the host. Judged from the host."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from host_meter import Listener, kill_all_with, processes_with, wait_gone
from hostile_apps import http, render, running

pytestmark = [pytest.mark.live, pytest.mark.slow]


def wait_for(needle: str, timeout: float = 10.0) -> dict[int, str]:
    """Processes with ``needle``, once at least one shows up (or {} after ``timeout``)."""
    deadline = time.monotonic() + timeout
    seen = processes_with(needle)
    while not seen and time.monotonic() < deadline:
        time.sleep(0.2)
        seen = processes_with(needle)
    return seen


@pytest.mark.parametrize("app_name", ["flask_whoami", "express_whoami"])
def test_the_app_runs_unprivileged(app_name: str, runner: str, token: str, tmp_path: Path) -> None:
    app_dir = render(app_name, tmp_path, token=token)
    with running(app_dir, runner, token) as app, http(app) as client:
        who = client.get("/whoami").json()
    assert who["uid"] != 0 and who["euid"] != 0, f"the app runs as root: {who}"
    if runner == "local":
        assert int(who["cap_eff"], 16) == 0, f"the app holds capabilities: {who}"


@pytest.mark.parametrize("app_name", ["flask_kill_all", "express_kill_all"])
def test_kill_minus_one_stays_inside_the_sandbox(
    app_name: str, runner: str, token: str, tmp_path: Path
) -> None:
    marker = f"hostile-sentinel-{secrets.token_hex(8)}"
    sentinel = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)", marker], start_new_session=True
    )
    try:
        app_dir = render(app_name, tmp_path / "hostile", token=token, sentinel=marker)
        answer: dict | None = None
        with running(app_dir, runner, token) as app, http(app) as client:
            worker_started = bool(wait_for(f"restart-target-{token}"))
            try:
                answer = client.post("/api/workers/restart").json()
            except httpx.HTTPError:
                answer = None  # the kill may take the way back down with it
            time.sleep(2)  # the app kills half a second after answering
            own_worker = processes_with(f"restart-target-{token}")
        sentinel_alive = sentinel.poll() is None
        # the next app still starts and answers
        nxt = render("flask_notes", tmp_path / "next", token=token)
        with running(nxt, runner, token) as app, http(app) as client:
            next_status = client.get("/health").status_code
    finally:
        sentinel.kill()
        sentinel.wait()
    assert answer is None or answer["signalable_outside"] == [], (
        f"the app can signal processes outside its sandbox: {answer}"
    )
    assert sentinel_alive, f"kill -9 -1 in the app killed a host process; it said {answer}"
    # inside the sandbox the kill did land: the check above was not idle
    assert worker_started, "the app's own worker never started"
    assert own_worker == {}, f"kill -9 -1 did not run ({answer}); its worker lives: {own_worker}"
    assert next_status == 200


@pytest.mark.parametrize("app_name", ["flask_daemon", "express_daemon"])
def test_a_daemon_does_not_outlive_the_run(
    app_name: str, runner: str, token: str, tmp_path: Path
) -> None:
    worker = f"queue-worker-{token}"
    app_dir = render(app_name, tmp_path, token=token)
    with running(app_dir, runner, token) as app, http(app) as client:
        assert client.get("/health").status_code == 200
        seen = wait_for(worker)
    # the daemon was running (visible from the host), so its absence below means it was killed
    assert seen, "the daemon never started: nothing was checked"
    left = wait_gone(worker, timeout=10)
    kill_all_with(worker)
    assert left == {}, f"a daemon outlived the run: {left}"


def test_the_host_network_and_docker_socket_are_out_of_reach(
    runner: str, token: str, tmp_path: Path
) -> None:
    with Listener() as listener:
        # the listener records connections: one from here shows it would see the app's
        socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
        deadline = time.monotonic() + 5
        while not listener.peers and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(listener.peers) == 1
        app_dir = render("flask_network", tmp_path, token=token, port=str(listener.port))
        with running(app_dir, runner, token) as app, http(app) as client:
            report = client.get("/api/integrations").json()
        time.sleep(0.5)
        reached = listener.peers[1:]
    assert reached == [], f"the app connected to the host's 127.0.0.1:{listener.port}: {reached}"
    for when in ("boot", "now"):
        assert report[when]["tcp"].startswith("unreachable"), report
        for path, outcome in report[when]["docker"].items():
            assert outcome.startswith("unreachable"), f"the app reached {path}: {outcome}"
