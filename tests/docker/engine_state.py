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


def run_objects(container: str) -> list[tuple[str, str]]:
    """One run's own engine objects: its container, the volumes mounted in it and the networks
    it joined other than the harness's shared one (other runs may share the engine, so a test
    checks these, not the engine's totals)."""
    fmt = "{{range .Mounts}}volume={{.Name}} {{end}}"
    fmt += "{{range $n, $_ := .NetworkSettings.Networks}}network={{$n}} {{end}}"
    out = subprocess.run(
        ["docker", "inspect", "-f", fmt, container],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    found = [tuple(w.split("=", 1)) for w in out.stdout.split() if not w.endswith("=")]
    shared = ("network", "agent-harness")
    return [("container", container)] + [(k, v) for k, v in found if (k, v) != shared]


def exists(kind: str, name: str) -> bool:
    """Whether the engine still holds an object (``container``, ``volume``, ``network``)."""
    argv = ["docker", kind, "inspect", name]
    return subprocess.run(argv, capture_output=True, timeout=30, check=False).returncode == 0


def profile(app: str, **fields: object) -> AppProfile:
    return AppProfile(root=str(APPS / app), **fields)  # type: ignore[arg-type]
