"""Host-side view of sandboxed processes: namespaces, process scans, listening ports, kills.

Every process the local runner starts carries ``HARNESS_RUN_ID=<id>`` in its environment, so the
whole tree (also children that left the process group) can be found in /proc and killed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

MARKER_VAR = "HARNESS_RUN_ID"
_TCP_LISTEN = "0A"


def trial_run(argv: list[str], tool: str) -> tuple[bool, str]:
    """Whether a do-nothing run of ``tool`` (``argv``) succeeds here, and why not if not."""
    try:
        probe = subprocess.run(argv, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{tool} failed: {exc}"
    if probe.returncode != 0:
        reason = probe.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return False, f"{tool} refused ({reason[0]})"
    return True, ""


@cache
def netns_support() -> tuple[bool, str]:
    """Whether a private network + PID namespace can be made here, and why not if not."""
    if not sys.platform.startswith("linux"):
        return False, "not Linux"
    unshare = shutil.which("unshare")
    if unshare is None:
        return False, "unshare(1) not found"
    argv = [unshare, "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "true"]
    return trial_run(argv, "unshare")


def _proc_file(pid: int, name: str) -> bytes | None:
    """``/proc/<pid>/<name>``; None when the process is gone or hidden from us."""
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return None


def marked_pids(marker: str, var: str = MARKER_VAR) -> list[int]:
    """PIDs (host view) of the live processes whose environment carries ``var=marker``."""
    needle = f"{var}={marker}".encode()
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid == os.getpid():
            continue
        env = _proc_file(pid, "environ") or b""
        if needle in env.split(b"\0") and _state(pid) != "Z":
            out.append(pid)
    return out


def _state(pid: int) -> str:
    stat = _proc_file(pid, "stat")
    if stat is None:
        return "?"
    return stat.decode(errors="replace").rsplit(")", 1)[-1].split()[0]


def net_ns(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return None


def pids_in_netns(ns: str) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid() and net_ns(int(entry)) == ns:
            out.append(int(entry))
    return out


def children(pid: int) -> list[int]:
    text = _proc_file(pid, f"task/{pid}/children") or b""
    return [int(x) for x in text.decode().split()]


def kill_pids(pids: list[int], sig: int = signal.SIGKILL) -> int:
    sent = 0
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
            sent += 1
    return sent


def kill_group(pgid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def kill_marked(marker: str, rounds: int = 5, var: str = MARKER_VAR) -> int:
    """SIGKILL every process marked ``var=marker`` until none is left (forks may race a
    single pass)."""
    total = 0
    for _ in range(rounds):
        pids = marked_pids(marker, var)
        if not pids:
            break
        total += kill_pids(pids)
        time.sleep(0.05)
    return total


def _socket_inodes(pids: list[int]) -> set[str]:
    inodes: set[str] = set()
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _listeners(net_dir: str) -> Iterator[tuple[int, str]]:
    """(port, socket inode) of each TCP socket in LISTEN state in ``<net_dir>/tcp`` and
    ``tcp6``."""
    for name in ("tcp", "tcp6"):
        try:
            lines = Path(f"{net_dir}/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) >= 10 and cols[3] == _TCP_LISTEN:
                yield int(cols[1].rsplit(":", 1)[1], 16), cols[9]


def listening_ports(table_pid: int, owner_pids: list[int] | None = None) -> list[int]:
    """TCP ports in LISTEN state in the network namespace of ``table_pid``.

    With ``owner_pids`` only sockets held by those processes count (host network, where other
    programs listen too); without, every listener of the namespace counts (a private namespace
    holds nothing but the app).
    """
    inodes = _socket_inodes(owner_pids) if owner_pids is not None else None
    ports: list[int] = []
    for port, inode in _listeners(f"/proc/{table_pid}/net"):
        if (inodes is None or inode in inodes) and port not in ports:
            ports.append(port)
    return ports


def port_owner_pids(port: int) -> list[int]:
    """Host processes listening on ``port`` (for a clear 'port in use' message)."""
    owners: list[int] = []
    wanted = {inode for p, inode in _listeners("/proc/net") if p == port}
    if not wanted:
        return owners
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _socket_inodes([int(entry)]) & wanted:
            owners.append(int(entry))
    return owners


def command_line(pid: int) -> str:
    raw = _proc_file(pid, "cmdline")
    if raw is None:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()
