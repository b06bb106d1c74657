"""Headless Chromium for report tests: load a page, return its DOM after scripts ran, what it
logged to the console, or a screenshot. Every run gets its own profile directory and its whole
process group is killed if it overstays."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from pathlib import Path

_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run(url: str, workdir: Path, *extra: str, timeout: float = 120) -> tuple[str, str]:
    """Run Chromium once on ``url``; returns (stdout, console lines from stderr)."""
    binary = chromium()
    assert binary, "chromium is not installed"
    profile = workdir / f"profile-{len(list(workdir.glob('profile-*')))}"
    cmd = [binary, *_FLAGS, f"--user-data-dir={profile}", *extra, url]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # helpers Chromium may have left behind
        proc.wait(timeout=30)
    console = [line for line in err.splitlines() if ":CONSOLE" in line]
    return out, "\n".join(console)
