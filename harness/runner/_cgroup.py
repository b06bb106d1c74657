"""One control group per sandbox: memory, process count and CPU bounded for the whole tree.

Works with the unified hierarchy (cgroup v2) and with the per-controller hierarchies of cgroup v1
(still what some hosts and containers mount). Needs write access to the hierarchy (root, or a
delegated subtree); without it ``Cgroup.create`` says why and the caller falls back to rlimits.

Each process that must be bounded joins the group itself, in the child, before it execs
(``join()`` in a preexec function): everything it forks is then counted and can be killed at once.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.runner._limits import ResourceLimits
from harness.runner._sandbox import kill_pids

ROOT = Path("/sys/fs/cgroup")
GROUP_PREFIX = "agent-harness"
V1_CONTROLLERS = ("memory", "pids", "cpu")


def _mounts() -> tuple[Path | None, dict[str, Path]]:
    """(cgroup2 mount with controllers, {v1 controller: mount})."""
    v2: Path | None = None
    v1: dict[str, Path] = {}
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return None, {}
    for line in lines:
        left, _, right = line.partition(" - ")
        parts, rparts = left.split(), right.split()
        if len(parts) < 5 or len(rparts) < 3:
            continue
        mount, fstype, options = Path(parts[4]), rparts[0], rparts[2].split(",")
        if fstype == "cgroup2":
            controllers = _read(mount / "cgroup.controllers").split()
            if {"memory", "pids"} <= set(controllers):
                v2 = mount
        elif fstype == "cgroup":
            for ctrl in V1_CONTROLLERS:
                if ctrl in options:
                    v1.setdefault(ctrl, mount)
    return v2, v1


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per v1 controller ('' for the v2 entry)."""
    out: dict[str, str] = {}
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        _, controllers, path = line.split(":", 2)
        for ctrl in controllers.split(",") if controllers else [""]:
            out[ctrl] = path
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _sweep(parent: Path) -> None:
    """Remove empty groups whose harness process is gone (it was killed before its teardown)."""
    for group in parent.iterdir():
        owner = group.name.rsplit("-", 1)[-1]
        if not group.is_dir() or not owner.isdigit() or Path(f"/proc/{owner}").exists():
            continue
        with contextlib.suppress(OSError):
            group.rmdir()  # fails, harmlessly, while a process is still inside


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


@dataclass
class Cgroup:
    """A created group: ``dirs`` holds one directory (v2) or one per controller (v1)."""

    version: str
    dirs: list[Path]
    limits: ResourceLimits
    applied: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, name: str, limits: ResourceLimits) -> tuple[Cgroup | None, str]:
        """A new group bounded by ``limits``, or (None, why not). The name carries this
        process's pid, so that groups left by a harness killed outright are swept later."""
        name = f"{name}-{os.getpid()}"
        v2, v1 = _mounts()
        try:
            if v2 is not None:
                return cls._create_v2(v2, name, limits), ""
            if {"memory", "pids"} <= set(v1):
                return cls._create_v1(v1, name, limits), ""
        except OSError as exc:
            return None, f"control groups not writable here ({exc.strerror or exc})"
        return None, "no cgroup hierarchy with the memory and pids controllers is mounted"

    @classmethod
    def _create_v2(cls, mount: Path, name: str, limits: ResourceLimits) -> Cgroup:
        # under the root (exempt from the no-internal-processes rule): a parent of our own that
        # holds no process, with the controllers delegated to its children
        parent = mount / GROUP_PREFIX
        parent.mkdir(exist_ok=True)
        _sweep(parent)
        wanted = [c for c in ("memory", "pids", "cpu") if c in _read(mount / "cgroup.controllers")]
        with contextlib.suppress(OSError):
            _write(mount / "cgroup.subtree_control", " ".join(f"+{c}" for c in wanted))
        _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in wanted))
        group = parent / name
        group.mkdir()
        cg = cls("v2", [group], limits)
        _write(group / "memory.max", str(limits.memory_bytes))
        with contextlib.suppress(OSError):
            _write(group / "memory.swap.max", "0")
        _write(group / "pids.max", str(limits.pids))
        cg.applied = {"memory": "cgroup v2", "processes": "cgroup v2"}
        if (group / "cpu.max").exists():
            _write(group / "cpu.max", f"{int(limits.cpu_cores * 100_000)} 100000")
            cg.applied["cpu"] = "cgroup v2"
        return cg

    @classmethod
    def _create_v1(cls, mounts: dict[str, Path], name: str, limits: ResourceLimits) -> Cgroup:
        own = _own_paths()
        dirs: list[Path] = []
        cg = cls("v1", dirs, limits)
        try:
            for ctrl, mount in mounts.items():
                # nested under our own group, so the harness's own accounting still covers it
                base = mount / own.get(ctrl, "/").lstrip("/") / GROUP_PREFIX
                base.mkdir(parents=True, exist_ok=True)
                _sweep(base)
                group = base / name
                group.mkdir()
                dirs.append(group)
                if ctrl == "memory":
                    _write(group / "memory.limit_in_bytes", str(limits.memory_bytes))
                    with contextlib.suppress(OSError):
                        _write(group / "memory.memsw.limit_in_bytes", str(limits.memory_bytes))
                    cg.applied["memory"] = "cgroup v1"
                elif ctrl == "pids":
                    _write(group / "pids.max", str(limits.pids))
                    cg.applied["processes"] = "cgroup v1"
                elif ctrl == "cpu":
                    _write(group / "cpu.cfs_period_us", "100000")
                    _write(group / "cpu.cfs_quota_us", str(int(limits.cpu_cores * 100_000)))
                    cg.applied["cpu"] = "cgroup v1"
        except OSError:
            cg.remove()
            raise
        return cg

    def join(self) -> None:
        """Move the calling process into the group (call in the child before exec)."""
        pid = str(os.getpid())
        for d in self.dirs:
            _write(d / "cgroup.procs", pid)

    def pids(self) -> list[int]:
        found: set[int] = set()
        for d in self.dirs:
            found.update(int(x) for x in _read(d / "cgroup.procs").split())
        return sorted(found)

    def events(self) -> dict[str, int]:
        """How often a bound was hit: OOM kills and refused forks."""
        out: dict[str, int] = {}
        wanted = {
            "memory.events": ("oom_kill", "oom_kill"),
            "memory.oom_control": ("oom_kill", "oom_kill"),
            "pids.events": ("max", "fork_refused"),
        }
        for d in self.dirs:
            for fname, (key, label) in wanted.items():
                for line in _read(d / fname).splitlines():
                    name, _, value = line.partition(" ")
                    if name == key and value.strip().isdigit() and int(value):
                        out[label] = out.get(label, 0) + int(value)
        return out

    def kill(self) -> None:
        """SIGKILL every process of the group until it is empty (bounded)."""
        if self.version == "v2" and (self.dirs[0] / "cgroup.kill").exists():
            with contextlib.suppress(OSError):
                _write(self.dirs[0] / "cgroup.kill", "1")
        for _ in range(100):
            pids = self.pids()
            if not pids:
                return
            kill_pids(pids)
            time.sleep(0.02)

    def remove(self) -> None:
        self.kill()
        for d in self.dirs:
            for _ in range(50):  # a killed process leaves the group a moment later
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
