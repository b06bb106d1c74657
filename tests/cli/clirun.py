"""Run the harness command line as a user does: a child process, its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def harness(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    from harness.cli._config import KEYS, envvar

    settings = {envvar(k) for k in KEYS}  # the caller's own settings must not leak in
    base = {k: v for k, v in os.environ.items() if k not in settings}
    base.pop("NO_COLOR", None)
    base.pop("FORCE_COLOR", None)
    base["PYTHONPATH"] = str(ROOT) + os.pathsep + base.get("PYTHONPATH", "")
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=cwd,
        env=base,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
