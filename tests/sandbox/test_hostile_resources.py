"""Hostile apps against the machine's resources: a fork bomb, a memory hog, a disk filler.

The host is sampled while the app runs: process count, MemAvailable, free bytes. Each app is
bounded in its own code (depth, caps, floors) so that a runner that contains nothing still
leaves the machine usable; the bounds are above the thresholds asserted here, so an
uncontained app fails these tests.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from host_meter import GiB, MiB, Sampler, free_bytes, mem_available, process_count
from hostile_apps import http, render, running

from harness.runner import RunningApp

pytestmark = [pytest.mark.live, pytest.mark.slow]

MAX_EXTRA_PROCESSES = 1000
MIN_FORKS_SEEN = 50  # below any sane process limit: the bomb did run
MAX_MEMORY_DROP = 6 * GiB
MAX_DISK_DROP = 3 * GiB
DISK_SETTLED = 200 * MiB


def watch(
    client: httpx.Client, status: str, *, seconds: float, breached: Callable[[], bool]
) -> list[dict]:
    """Poll the app's status until it says done, stops answering for 3 s, the host limit is
    breached (no need to let it go further) or ``seconds`` pass. Returns the answers."""
    answers: list[dict] = []
    deadline = time.monotonic() + seconds
    last_answer = time.monotonic()
    while time.monotonic() < deadline and not breached():
        try:
            answers.append(client.get(status, timeout=3).json())
            last_answer = time.monotonic()
            if answers[-1].get("done"):
                break
        except (httpx.HTTPError, ValueError):
            if time.monotonic() - last_answer > 3:
                break
        time.sleep(0.2)
    return answers


def start(client: httpx.Client, path: str) -> None:
    assert client.post(path).status_code == 202


@pytest.mark.parametrize("app_name", ["flask_fork_bomb", "express_fork_bomb"])
def test_a_fork_bomb_is_capped(app_name: str, runner: str, token: str, tmp_path: Path) -> None:
    app_dir = render(app_name, tmp_path, token=token)
    with running(app_dir, runner, token) as app, http(app) as client:
        baseline = process_count()
        with Sampler(process_count, keep=max, interval=0.05) as peak:
            start(client, "/api/exports")
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                if (peak.extreme or 0) >= baseline + MAX_EXTRA_PROCESSES:
                    break
                time.sleep(0.1)
    grew = (peak.extreme or 0) - baseline
    assert grew >= MIN_FORKS_SEEN, f"the fork bomb never forked ({grew} more processes)"
    assert grew < MAX_EXTRA_PROCESSES, f"the fork bomb added {grew} processes to the host"


@pytest.mark.parametrize("app_name", ["flask_mem_hog", "express_mem_hog"])
def test_a_memory_hog_is_capped(app_name: str, runner: str, token: str, tmp_path: Path) -> None:
    app_dir = render(app_name, tmp_path, token=token)
    with running(app_dir, runner, token) as app, http(app) as client:
        baseline = mem_available()
        with Sampler(mem_available, keep=min, interval=0.05) as low:
            start(client, "/api/cache/warm")

            def breached() -> bool:
                return baseline - (low.extreme or baseline) > MAX_MEMORY_DROP

            answers = watch(client, "/api/cache/status", seconds=40, breached=breached)
        alive = _answers(app)
    dropped = baseline - (low.extreme or baseline)
    # the hog did allocate (or was killed for it): the check was not idle
    allocated = max((a.get("allocated_mib", 0) for a in answers), default=0)
    assert allocated >= 64 or not alive, f"the hog never allocated: {answers[-1:]}"
    assert dropped < MAX_MEMORY_DROP, (
        f"MemAvailable dropped by {dropped / GiB:.1f} GiB; the app said {answers[-1:]}"
    )


def _answers(app: RunningApp) -> bool:
    try:
        with http(app, timeout=3) as client:
            client.get("/health")
        return True
    except httpx.HTTPError:
        return False


def test_a_disk_filler_is_capped(runner: str, token: str, cache_dir: Path, tmp_path: Path) -> None:
    tmp_fill = Path(tempfile.gettempdir()) / f"hostile-fill-{token}"
    app_dir = render("flask_disk_fill", tmp_path, token=token, tmp_fill=str(tmp_fill))
    places = [Path(tempfile.gettempdir()), cache_dir]
    baseline: dict[Path, int] = {}

    def drop() -> int:
        return max(baseline[p] - free_bytes(p) for p in places)

    try:
        with running(app_dir, runner, token) as app, http(app) as client:
            # measured once the app runs: its own install and start do not count
            baseline.update({p: free_bytes(p) for p in places})
            with Sampler(drop, keep=max, interval=0.1) as peak:
                start(client, "/api/exports/rebuild")
                answers = watch(
                    client,
                    "/api/exports/status",
                    seconds=60,
                    breached=lambda: (peak.extreme or 0) > MAX_DISK_DROP,
                )
        deadline = time.monotonic() + 10
        after = drop()
        while after > DISK_SETTLED and time.monotonic() < deadline:
            time.sleep(0.5)
            after = drop()
    finally:
        shutil.rmtree(tmp_fill, ignore_errors=True)
    written = sum(sum(a.get("written_mib", {}).values()) for a in answers[-1:])
    assert written > 0 or not answers, f"the filler never wrote: {answers[-1:]}"
    assert (peak.extreme or 0) < MAX_DISK_DROP, (
        f"host free space dropped by {(peak.extreme or 0) / GiB:.1f} GiB; "
        f"the app said {answers[-1:]}"
    )
    assert after < DISK_SETTLED, f"{after / MiB:.0f} MiB still used on the host after the run"
