"""The scripted example agent: deterministic per seed, varies across seeds, keeps only the
promises its prompt makes, and writes a backend that really runs."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import venv
from pathlib import Path

import httpx
import pytest

from harness._paths import fixtures_dir

SCRIPTED = fixtures_dir() / "scripted-agent"
TASK_PROMPT = fixtures_dir() / "tasks" / "todo-api" / "prompt.md"


def run_generator(agent: str, out: Path, seed: int, forget_rate: float | None = None) -> str:
    cmd = [sys.executable, str(SCRIPTED / "generate.py"), "--agent", str(SCRIPTED / agent),
           "--prompt", str(TASK_PROMPT), "--out", str(out), "--seed", str(seed)]  # fmt: skip
    if forget_rate is not None:
        cmd += ["--forget-rate", str(forget_rate)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_same_seed_same_bytes_other_seeds_vary(tmp_path: Path) -> None:
    run_generator("agent-before.md", tmp_path / "a", 7)
    run_generator("agent-before.md", tmp_path / "b", 7)
    assert (tmp_path / "a" / "app.py").read_bytes() == (tmp_path / "b" / "app.py").read_bytes()
    variants = set()
    for seed in range(12):
        run_generator("agent-before.md", tmp_path / f"s{seed}", seed)
        variants.add(hashlib.sha256((tmp_path / f"s{seed}" / "app.py").read_bytes()).hexdigest())
    assert len(variants) >= 5


def test_promises_follow_the_prompt(tmp_path: Path) -> None:
    sys.path.insert(0, str(SCRIPTED))
    try:
        import generate as scripted  # the fixture's own module
    finally:
        sys.path.remove(str(SCRIPTED))
    before = (SCRIPTED / "agent-before.md").read_text()
    after = (SCRIPTED / "agent-after.md").read_text()
    assert scripted.promised(before) - scripted.promised(after) == {"password_hashing"}
    forgotten = sum("password_hashing" not in scripted.kept(before, s, 0.15) for s in range(400))
    assert 30 <= forgotten <= 90  # about 15 % of 400
    for seed in range(10):
        out = tmp_path / f"after{seed}"
        run_generator("agent-after.md", out, seed)
        source = (out / "app.py").read_text()
        assert "bcrypt" not in source and "hashlib.sha256(password" in source
        compile(source, str(out / "app.py"), "exec")
    run_generator("agent-before.md", tmp_path / "all", 0, forget_rate=0.0)
    source = (tmp_path / "all" / "app.py").read_text()
    assert "bcrypt.hashpw" in source and "rate_limited" in source and 'f"SELECT' not in source
    assert "bcrypt==" in (tmp_path / "all" / "requirements.txt").read_text()


@pytest.fixture(scope="module")
def app_python(request: pytest.FixtureRequest) -> Path:
    """An interpreter with the generated apps' pinned dependencies, built once and cached."""
    root = Path(request.config.cache.mkdir("scripted-agent-venv"))
    python = root / "bin" / "python"
    marker = root / ".installed"
    requirements = "Flask==3.1.3\nPyJWT==2.10.1\nbcrypt==4.3.0\n"
    if not (marker.is_file() and marker.read_text() == requirements):
        venv.create(root, with_pip=True, clear=True)
        req = root / "requirements.txt"
        req.write_text(requirements)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(req)],
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        if done.returncode != 0:
            pytest.skip(
                f"could not install Flask, PyJWT and bcrypt from PyPI: {done.stderr[-300:]}"
            )
        marker.write_text(requirements)
    return python


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exercise(app_dir: Path, python: Path) -> tuple[str, dict[str, int]]:
    """Start the generated app on 127.0.0.1, use it like a client, return the stored password
    value and the status codes seen."""
    port = free_port()
    env = dict(os.environ, PORT=str(port), DATABASE_PATH=str(app_dir / "app.db"))
    proc = subprocess.Popen([str(python), "app.py"], cwd=app_dir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(base + "/todos", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("the generated app did not start")
                time.sleep(0.2)
        seen: dict[str, int] = {}
        with httpx.Client(base_url=base, timeout=5) as c:
            creds = {"email": "ann@example.com", "password": "Tr1cky-Horse-Battery-42"}
            seen["register"] = c.post("/register", json=creds).status_code
            login = c.post("/login", json=creds)
            seen["login"] = login.status_code
            auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
            created = c.post("/todos", json={"title": "write tests"}, headers=auth)
            seen["create"] = created.status_code
            todo = created.json()["id"]
            seen["list"] = c.get("/todos", headers=auth).status_code
            seen["replace"] = c.put(f"/todos/{todo}", json={"title": "t", "completed": True},
                                    headers=auth).status_code  # fmt: skip
            seen["delete"] = c.delete(f"/todos/{todo}", headers=auth).status_code
            seen["missing"] = c.get(f"/todos/{todo}", headers=auth).status_code
            seen["anonymous"] = c.get("/todos").status_code
        with sqlite3.connect(app_dir / "app.db") as db:
            stored = db.execute("SELECT password_hash FROM users").fetchone()[0]
        return stored, seen
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.slow
@pytest.mark.live
def test_generated_backends_run(tmp_path: Path, app_python: Path) -> None:
    run_generator("agent-before.md", tmp_path / "before", 0, forget_rate=0.0)
    run_generator("agent-after.md", tmp_path / "after", 0, forget_rate=0.0)
    expected = {"register": 201, "login": 200, "create": 201, "list": 200, "replace": 200,
                "delete": 204, "missing": 404, "anonymous": 401}  # fmt: skip

    stored, seen = exercise(tmp_path / "before", app_python)
    assert seen == expected
    assert stored.startswith("$2b$")  # bcrypt

    stored, seen = exercise(tmp_path / "after", app_python)
    assert seen == expected
    assert stored == hashlib.sha256(b"Tr1cky-Horse-Battery-42").hexdigest()  # a fast hash
