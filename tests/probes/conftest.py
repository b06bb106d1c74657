"""Real apps for the probe tests: each test app runs as its own process on a free 127.0.0.1
port, in a fresh temp directory, and is killed (whole process group) on teardown."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from harness.runner import RunningApp

APPS = Path(__file__).parent / "apps"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ProcessApp(RunningApp):
    """The smallest RunningApp: a subprocess in its own session, reached over 127.0.0.1."""

    runner = "test"
    isolation = "process-group"
    inferred_dependencies: list[str] = []

    def __init__(self, script: Path, workdir: Path, support: tuple[Path, ...] = ()) -> None:
        """``support``: modules the script imports (a mutant imports the app it mutates)."""
        self.workdir = workdir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "app.log"
        for path in (script, *support):
            shutil.copy(path, workdir / path.name)
        env = {
            **os.environ,
            "PORT": str(self.port),
            "DATABASE_PATH": str(workdir / "app.db"),
            "PYTHONUNBUFFERED": "1",
        }
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, script.name],
            cwd=workdir,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._stopped: dict[str, Any] | None = None
        self._wait_ready()

    def _wait_ready(self, deadline_s: float = 30.0) -> None:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"test app exited early:\n{self.logs()[-2000:]}")
            try:
                if httpx.get(self.base_url + "/health", timeout=1.0, trust_env=False).status_code:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"test app not ready in {deadline_s} s:\n{self.logs()[-2000:]}")

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        kwargs.setdefault("timeout", 10.0)
        return httpx.AsyncClient(trust_env=False, **kwargs)

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def db_files(self) -> list[Path]:
        return sorted(p for p in self.workdir.glob("*.db") if p.is_file())

    def stop_gracefully(self, timeout: float = 10.0) -> dict[str, Any]:
        if self._stopped is None:
            start = time.monotonic()
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                code = self.proc.wait(timeout=timeout)
                self._stopped = {
                    "exited": True,
                    "exit_code": code,
                    "seconds": round(time.monotonic() - start, 3),
                }
            except subprocess.TimeoutExpired:
                self.kill()
                self._stopped = {"exited": False, "exit_code": None, "seconds": timeout}
        return self._stopped

    def kill(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._log.close()


def _start(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessApp]:
    pytest.importorskip("bcrypt" if name == "good_app.py" else "flask", reason="test app deps")
    app = ProcessApp(APPS / name, tmp_path_factory.mktemp(name.removesuffix(".py")))
    try:
        yield app
    finally:
        app.kill()


@pytest.fixture
def good_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessApp]:
    yield from _start("good_app.py", tmp_path_factory)


@pytest.fixture
def bad_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessApp]:
    yield from _start("bad_app.py", tmp_path_factory)
