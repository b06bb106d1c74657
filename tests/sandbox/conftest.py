"""Fixtures of the hostile-app suite: runners, a private dependency cache, per-test tokens, and
the checks every test ends with (nothing left running, no temp folder, no container)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "docker"))
from engine_state import leftover_containers
from host_meter import kill_all_with, wait_gone
from hostile_apps import TOKEN_VAR


@pytest.fixture(scope="session")
def engine() -> str:
    from harness.runner._docker import docker_available

    ok, reason = docker_available()
    if not ok:
        # CI provisions the engine first and sets this, so a broken provisioning fails loudly.
        if os.environ.get("HARNESS_REQUIRE_DOCKER") == "1":
            pytest.fail(f"HARNESS_REQUIRE_DOCKER=1 but {reason}")
        pytest.skip(reason)
    return reason


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def runner(request: pytest.FixtureRequest) -> str:
    if request.param == "docker":
        request.getfixturevalue("engine")
    return str(request.param)


@pytest.fixture(scope="module", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A dependency cache of this module's own: the hostile apps try to poison it, so they
    must never get near a cache that other runs (or other tests) use."""
    path = tmp_path_factory.mktemp("harness-cache")
    before = os.environ.get("HARNESS_CACHE_DIR")
    os.environ["HARNESS_CACHE_DIR"] = str(path)
    yield path
    if before is None:
        os.environ.pop("HARNESS_CACHE_DIR", None)
    else:
        os.environ["HARNESS_CACHE_DIR"] = before


@pytest.fixture
def token() -> str:
    return secrets.token_hex(8)


def _ours_or_orphaned(d: Path, ours: set[int]) -> bool:
    """A temp folder of this test, or one whose owner is gone (not a concurrent run's)."""
    try:
        owner = int((d / "owner.pid").read_text())
    except (OSError, ValueError):
        return True
    if owner in ours:
        return True
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _container_of(cid: str, token: str) -> bool:
    """Whether container ``cid`` ran one of this test's apps: the token is in its environment
    (start_app) or in its app's files (a CLI run). Other runs may share the engine."""
    inspect = subprocess.run(
        ["docker", "inspect", cid], capture_output=True, text=True, timeout=30, check=False
    )
    if inspect.returncode != 0:
        return False  # already gone
    env = (json.loads(inspect.stdout or "[{}]")[0].get("Config") or {}).get("Env") or []
    if f"{TOKEN_VAR}={token}" in env:
        return True
    files = subprocess.run(
        ["docker", "cp", f"{cid}:/app", "-"], capture_output=True, timeout=60, check=False
    )
    return token.encode() in files.stdout


def run_temp_dirs() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("harness-app-*"))


@pytest.fixture(autouse=True)
def nothing_left_behind(request: pytest.FixtureRequest, token: str) -> Iterator[list[int]]:
    """After every test: no process carrying the test's token, no temp folder of its runs, no
    container of its runs. Tests that start the CLI append its pid to the yielded list."""
    dirs_before = run_temp_dirs()
    docker = "runner" in request.fixturenames and request.getfixturevalue("runner") == "docker"
    containers_before = set(leftover_containers()) if docker else set()
    cli_pids: list[int] = []
    yield cli_pids
    problems = []
    left = wait_gone(token)
    if left:
        kill_all_with(token)
        problems.append(f"processes outlived the run: {left}")
    ours = {os.getpid(), *cli_pids}
    deadline = time.monotonic() + 5
    stale = {d for d in run_temp_dirs() - dirs_before if _ours_or_orphaned(d, ours)}
    while stale and time.monotonic() < deadline:
        time.sleep(0.2)
        stale = {d for d in stale if d.exists()}
    if stale:
        problems.append(f"temp folders left behind: {sorted(map(str, stale))}")
    if docker:
        extra = [
            c for c in set(leftover_containers()) - containers_before if _container_of(c, token)
        ]
        if extra:
            problems.append(f"containers left behind: {sorted(extra)}")
    assert not problems, "; ".join(problems)
