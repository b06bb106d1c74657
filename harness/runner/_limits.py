"""How much of the machine one sandboxed app (or one dependency install) may use.

The defaults keep a runaway app from slowing the machine down: a fork bomb, a memory hog or a disk
filler ends as an error for that app. Each bound can be changed with an environment variable
(documented in the README); the scorecard says which bounds applied and what enforced them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MiB = 1 << 20
GiB = 1 << 30


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        return default
    return value if value > 0 else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ResourceLimits:
    """The bounds of one sandbox."""

    memory_bytes: int = 2 * GiB
    """Resident memory of every process of the sandbox together (cgroup), and tmpfs pages."""
    pids: int = 512
    """Processes and threads of the sandbox together (cgroup pids, and RLIMIT_NPROC of its uid)."""
    cpu_cores: float = 1.0
    """CPU bandwidth of the whole sandbox, in cores (cgroup cpu quota)."""
    cpu_seconds: int = 1800
    """CPU time of one process (RLIMIT_CPU)."""
    disk_bytes: int = GiB
    """Bytes the app may write to its folders and its /tmp together (size-limited tmpfs)."""
    file_bytes: int = GiB
    """Size of one written file (RLIMIT_FSIZE)."""
    open_files: int = 4096
    """Open file descriptors of one process (RLIMIT_NOFILE)."""
    address_space_bytes: int = 4 * GiB
    """Virtual memory of one Python process (RLIMIT_AS; Node reserves address space up front,
    so for Node the data segment is bounded instead)."""

    @classmethod
    def from_env(cls) -> ResourceLimits:
        d = cls()
        return cls(
            memory_bytes=_env_int("HARNESS_APP_MEMORY_MB", d.memory_bytes // MiB) * MiB,
            pids=_env_int("HARNESS_APP_PIDS", d.pids),
            cpu_cores=_env_float("HARNESS_APP_CPUS", d.cpu_cores),
            cpu_seconds=_env_int("HARNESS_APP_CPU_SECONDS", d.cpu_seconds),
            disk_bytes=_env_int("HARNESS_APP_DISK_MB", d.disk_bytes // MiB) * MiB,
            file_bytes=d.file_bytes,
            open_files=d.open_files,
            address_space_bytes=d.address_space_bytes,
        )

    def rlimits(self, kind: str) -> dict[str, int]:
        """The per-process limits (names understood by ``_inside.apply_limits``)."""
        out = {
            "cpu": self.cpu_seconds,
            "fsize": self.file_bytes,
            "core": 0,
            "nofile": self.open_files,
            "nproc": self.pids,
        }
        if kind in ("node", "go"):  # both reserve far more address space than they use
            out["data"] = self.address_space_bytes
        else:
            out["as"] = self.address_space_bytes
        return out

    def describe(self) -> dict[str, str]:
        return {
            "memory": _size(self.memory_bytes),
            "processes": str(self.pids),
            "cpu": f"{self.cpu_cores:g} core(s), {self.cpu_seconds} s CPU per process",
            "disk": _size(self.disk_bytes),
            "file size": _size(self.file_bytes),
        }


def _size(n: int) -> str:
    return f"{n / GiB:g} GiB" if n >= GiB else f"{n / MiB:g} MiB"
