"""Helpers for runner tests: test apps, and a /proc scan for processes a test left behind."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

import pytest

APPS = Path(__file__).parent / "apps"


def leftovers(tag: str, *extra: str) -> list[str]:
    """Live processes whose environment holds TEST_TAG=<tag> or whose argv mentions ``extra``."""
    needle = f"TEST_TAG={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            env = Path(f"/proc/{entry}/environ").read_bytes()
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if state == "Z":
            continue
        if needle in env.split(b"\0") or any(x.encode() in argv for x in extra if x):
            found.append(f"{entry}: {argv.decode(errors='replace')[:120]}")
    return found


def wait_no_leftovers(tag: str, *extra: str, timeout: float = 5.0) -> list[str]:
    deadline = time.monotonic() + timeout
    left = leftovers(tag, *extra)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = leftovers(tag, *extra)
    return left


@pytest.fixture
def tag() -> str:
    return "t" + secrets.token_hex(8)


def _own_temp_dirs() -> list[Path]:
    found = []
    for d in Path(tempfile.gettempdir()).glob("harness-app-*"):
        try:
            if int((d / "owner.pid").read_text()) == os.getpid():
                found.append(d)
        except (OSError, ValueError):
            continue
    return found


@pytest.fixture(autouse=True)
def no_temp_dirs_left_behind():
    """Every start made by this process must have removed its temp dir when the test ends."""
    yield
    assert _own_temp_dirs() == []
