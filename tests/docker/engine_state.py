"""What the engine holds for the harness (labels), and the test apps' profiles."""

from __future__ import annotations

import subprocess
from pathlib import Path

from harness.app._model import AppProfile

APPS = Path(__file__).parent / "apps"


def _docker_q(*args: str) -> list[str]:
    out = subprocess.run(
        ["docker", *args, "-q"], capture_output=True, text=True, timeout=30, check=True
    )
    return out.stdout.split()


def leftover_containers() -> list[str]:
    """Ids of every container labelled agent-harness=1, running or not."""
    return _docker_q("ps", "-a", "--filter", "label=agent-harness=1")


def run_images(run_id: str) -> list[str]:
    """Ids of one run's app image (dependency layers and the base image are kept on purpose)."""
    return _docker_q("images", "--filter", f"label=agent-harness.run-id={run_id}")


def profile(app: str, **fields: object) -> AppProfile:
    return AppProfile(root=str(APPS / app), **fields)  # type: ignore[arg-type]
