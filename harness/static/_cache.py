"""Analyzer reports kept by content: a semgrep or bandit run with the same binary, command line,
environment, rules and files as an earlier one produces the same report, so it is read back
instead of run again (re-scoring a repo, a batch whose samples share files, a CI re-run).

The key hashes the binary (path, size, modification time), every argument, the environment
overrides, and the bytes and names of every file below each path the command names and below
its working directory (folders the scanners are told to skip, like ``node_modules``, are left
out of the hash as they are left out of the scan). A report is kept only when the run finished
and none of its files was skipped for a reason that depends on the machine's load (a per-file
timeout, memory), so a slow run never turns into a permanent gap. ``HARNESS_ANALYZER_CACHE=off``
turns the cache off; entries live in the harness cache folder and the oldest are dropped beyond
``MAX_ENTRIES``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from harness.app import SKIP_DIRS

MAX_ENTRIES = 500
# reasons a file was skipped that another run on a quieter machine would not give
TRANSIENT = ("timeout", "out of memory", "memory")


def enabled() -> bool:
    return os.environ.get("HARNESS_ANALYZER_CACHE", "on").lower() not in ("off", "0", "no")


def folder() -> Path:
    from harness.runner._deps import cache_dir  # the one cache folder of the harness

    return cache_dir() / "analyzers"


def key(argv: list[str], env: dict[str, str] | None, cwd: Path | None) -> str | None:
    """The content key of this run, or None when an input cannot be read (then it is not kept)."""
    h = hashlib.sha256()
    try:
        st = os.stat(argv[0])
        h.update(f"{os.path.realpath(argv[0])}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        h.update(json.dumps([argv[1:], sorted((env or {}).items())]).encode())
        roots = {Path(cwd).resolve()} if cwd is not None else set()
        for arg in argv[1:]:
            path = Path(cwd or ".") / arg
            if arg not in SKIP_DIRS and path.exists():
                roots.add(path.resolve())
        for root in sorted(roots):
            _hash_tree(h, root)
    except OSError:
        return None
    return h.hexdigest()


def _hash_tree(h: hashlib._Hash, root: Path) -> None:
    if root.is_file():
        h.update(f"F{root}\0".encode())
        h.update(root.read_bytes())
        return
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(here, name)
            h.update(f"F{path}\0".encode())
            if os.path.islink(path):
                h.update(os.readlink(path).encode())
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    h.update(f.read())


def recall(digest: str) -> tuple[int, bytes, bytes, str] | None:
    """Exit code, stdout, stderr and the time of the run kept under ``digest``."""
    path = folder() / f"{digest}.json"
    try:
        data = json.loads(path.read_text())
        hit = (
            int(data["code"]),
            base64.b64decode(data["out"]),
            base64.b64decode(data["err"]),
            str(data["created"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used entries outlive the pruning
    return hit


def keep(digest: str, code: int, out: bytes, err: bytes, skipped_reasons: list[str]) -> None:
    """Store a finished run, unless a file was skipped for a load-dependent reason."""
    if any(t in r.lower() for r in skipped_reasons for t in TRANSIENT):
        return
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        record = {
            "code": code,
            "out": base64.b64encode(out).decode(),
            "err": base64.b64encode(err).decode(),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        tmp = where / f".{digest}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(record))
        os.replace(tmp, where / f"{digest}.json")  # atomic: concurrent scores never read half
        _prune(where)
    except OSError:
        return  # a cache that cannot be written costs time, never a result


def _prune(where: Path) -> None:
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in entries[: max(0, len(entries) - MAX_ENTRIES)]:
        with contextlib.suppress(OSError):
            old.unlink()
    for tmp in where.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 3600:
                tmp.unlink()
