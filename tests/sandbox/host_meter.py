"""What the host sees while a hostile app runs: processes, memory, disk, leftovers.

Every reading is taken from the host's own /proc and statvfs, never from the app or the
harness: the tests judge containment from outside.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1 << 20
GiB = 1 << 30


def process_count() -> int:
    return sum(1 for e in os.listdir("/proc") if e.isdigit())


def mem_available() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def processes_with(needle: str) -> dict[int, str]:
    """Live (non-zombie) processes whose argv or environment holds ``needle``: pid -> argv."""
    raw = needle.encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        stat = _read(f"/proc/{entry}/stat")
        if not stat or stat.rsplit(b")", 1)[-1].split()[:1] == [b"Z"]:
            continue
        argv = _read(f"/proc/{entry}/cmdline")
        if raw in argv or raw in _read(f"/proc/{entry}/environ"):
            found[int(entry)] = argv.replace(b"\0", b" ").decode(errors="replace")[:160]
    return found


def wait_gone(needle: str, timeout: float = 10.0) -> dict[int, str]:
    """Processes with ``needle`` still alive after up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    left = processes_with(needle)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = processes_with(needle)
    return left


def kill_all_with(needle: str) -> None:
    """Clean up after a failed containment check so that one escape does not leak into the
    next test."""
    for pid in processes_with(needle):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@dataclass
class Sampler:
    """Calls ``read`` every ``interval`` seconds on a thread and keeps the extreme value."""

    read: Callable[[], int]
    keep: Callable[[int, int], int] = min
    interval: float = 0.1
    extreme: int | None = None
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            value = self.read()
            self.extreme = value if self.extreme is None else self.keep(self.extreme, value)
            self.samples += 1
            self._stop.wait(self.interval)


def tree_listing(root: Path, skip: tuple[str, ...] = ("locks",)) -> dict[str, str]:
    """relative path -> kind, size, mtime and (for files) content hash, for every entry under
    ``root`` except the top-level folders in ``skip``."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root)
        if rel_folder == Path("."):
            dirs[:] = [d for d in dirs if d not in skip]
        for name in sorted(dirs + files):
            p = Path(folder) / name
            st = p.lstat()
            rel = str(rel_folder / name)
            if p.is_symlink():
                out[rel] = f"link {os.readlink(p)}"
            elif p.is_dir():
                out[rel] = f"dir {st.st_mtime_ns}"
            else:
                digest = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
                out[rel] = f"file {st.st_size} {st.st_mtime_ns} {digest}"
    return out


class Listener:
    """A TCP listener on the host's 127.0.0.1 that records who connects, until closed."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.peers: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def _accept(self) -> None:
        deadline = time.monotonic() + 300  # bounded even if nobody closes it
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, peer = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.peers.append(f"{peer[0]}:{peer[1]}")
            conn.close()
