"""The filesystem and user side of the sandbox: bubblewrap command lines and an unprivileged uid.

Everything the harness runs from a scored repo (the app, its preparation steps, its test suite, the
dependency installs that run its packages' install scripts) runs in a ``Jail``:

- a fresh mount namespace whose root is an empty tmpfs holding only what is bound into it: the
  system directories read-only (``/usr`` and the top-level links into it), a short list of files
  from ``/etc``, the interpreters and the dependency cache entry read-only, the run's own folders
  writable, a private size-limited ``/tmp``, no ``/root``, no ``/home``, no other scored repos,
  no Docker socket;
- its own PID, IPC and UTS namespaces (and a network namespace with only loopback for the app;
  installs share the host network to reach the package registries);
- as root: an unprivileged uid of its own per run (a fresh one each time, so ``RLIMIT_NPROC``
  bounds the run alone), no supplementary groups, no capabilities, ``no_new_privs``.
  As a normal user: bubblewrap's user namespace, the harness user's own uid outside.

``bwrap_support()`` says whether this can be done here; callers degrade loudly (``Isolation``).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from harness.runner._sandbox import trial_run

# Uids far above any a distribution hands out (and below 2**31, which some tools mishandle).
UID_BASE = 1_900_000_000
UID_SPAN = 90_000_000

# The few files of /etc that programs need to run and to resolve names; the rest of /etc (keys,
# shadow files, service configuration) stays out of sight.
ETC_FILES = (
    "alternatives",
    "ca-certificates",
    "ca-certificates.conf",
    "debian_version",
    "gai.conf",
    "host.conf",
    "hosts",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "mime.types",
    "nsswitch.conf",
    "os-release",
    "protocols",
    "resolv.conf",
    "services",
    "ssl",
    "timezone",
)
# Package-manager configuration: only for installs (they may name the registry to use).
ETC_INSTALL_FILES = ("pip.conf", "npmrc", "gitconfig")
# Top-level names that are directories or links into /usr on current distributions.
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib64", "lib32", "libx32")
SETPRIV_DROP = ("--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs")


def is_root() -> bool:
    return os.geteuid() == 0


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@cache
def bwrap_support() -> tuple[bool, str]:
    """Whether bubblewrap can make a sandbox here, and why not if not."""
    if not sys.platform.startswith("linux"):
        return False, "not Linux"
    bwrap = bwrap_path()
    if bwrap is None:
        return False, "bubblewrap (bwrap) is not installed (scripts/setup.sh installs it as root)"
    argv = [bwrap, "--unshare-pid", "--unshare-net", "--ro-bind", "/usr", "/usr"]
    argv += _system_links() + ([] if is_root() else ["--unshare-user"])
    return trial_run([*argv, "--", "/usr/bin/true"], "bwrap")


def new_uid() -> int:
    """A uid no account and no other run uses (random in a high range)."""
    return UID_BASE + random.SystemRandom().randrange(UID_SPAN)


def _system_links() -> list[str]:
    args: list[str] = []
    for name in SYSTEM_DIRS:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def runtime_roots() -> list[Path]:
    """Install prefixes of the interpreters that apps and installs run with (read-only)."""
    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    node = shutil.which("node")
    if node:
        roots.add(Path(node).resolve().parent.parent)
    return sorted(r for r in roots if not _under_system(r))


def _under_system(path: Path) -> bool:
    return any(path == Path("/") / d or Path("/", d) in path.parents for d in SYSTEM_DIRS)


@dataclass
class Jail:
    """One sandbox's view of the machine; ``argv(command)`` wraps a command to run in it."""

    writable: list[Path]
    readable: list[Path] = field(default_factory=list)
    network: bool = False  # True: share the host network (installs); False: loopback only
    uid: int | None = None  # None: as the harness user (not root)
    tmp_bytes: int = 1 << 30
    cwd: Path | None = None
    passwd: Path | None = None  # a file to show as /etc/passwd (and its group twin)
    hosts: Path | None = None  # a file to show as /etc/hosts (compose service names)
    install: bool = False
    as_pid1: bool = False  # the command is PID 1 of the namespace (it reaps and bridges)
    keep_caps: tuple[str, ...] = ()  # capabilities PID 1 keeps (to drop privileges itself)

    def argv(self, command: list[str], *, drop: bool = True) -> list[str]:
        bwrap = bwrap_path()
        if bwrap is None:
            raise OSError("bwrap is not installed")
        args = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc"]
        args += ["--unshare-uts", "--hostname", "sandbox", "--unshare-cgroup-try"]
        if not self.network:
            args.append("--unshare-net")
        if not is_root():
            args.append("--unshare-user")
        if self.as_pid1:
            args.append("--as-pid-1")
        args += _system_links()
        args += ["--perms", "0755", "--dir", "/etc"]
        etc = ETC_FILES + (ETC_INSTALL_FILES if self.install else ())
        for name in etc:
            if name == "hosts" and self.hosts is not None:
                args += ["--ro-bind", str(self.hosts), "/etc/hosts"]
            elif (Path("/etc") / name).exists():
                args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        if self.passwd is not None:
            args += ["--ro-bind", str(self.passwd), "/etc/passwd"]
            group = self.passwd.with_name("group")
            if group.exists():
                args += ["--ro-bind", str(group), "/etc/group"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        # POSIX shared memory and semaphores (multiprocessing, some servers) live in /dev/shm
        for tmp in ("/tmp", "/dev/shm"):
            args += ["--perms", "1777", "--size", str(self.tmp_bytes), "--tmpfs", tmp]
        made: set[Path] = {Path("/"), Path("/tmp"), Path("/etc"), Path("/proc"), Path("/dev")}
        bound: list[Path] = []
        for path in [*runtime_roots(), *self.readable]:
            args += [*_parents(path, made, bound), "--ro-bind", str(path), str(path)]
            bound.append(path)
        for path in self.writable:
            args += [*_parents(path, made, bound), "--bind", str(path), str(path)]
            bound.append(path)
        if self.cwd is not None:
            args += ["--chdir", str(self.cwd)]
        if is_root() and self.keep_caps:
            args += ["--cap-drop", "ALL"]
            for cap in self.keep_caps:
                args += ["--cap-add", cap]
        args.append("--")
        if drop and is_root() and self.uid is not None:
            args += [shutil.which("setpriv") or "/usr/bin/setpriv", *self.setpriv_args(), "--"]
        return args + command

    def setpriv_args(self) -> list[str]:
        assert self.uid is not None
        return [f"--reuid={self.uid}", f"--regid={self.uid}", *SETPRIV_DROP]


def _parents(path: Path, made: set[Path], bound: list[Path]) -> list[str]:
    """``--dir`` for every ancestor not yet made, world-traversable (bwrap makes them 0700);
    nothing inside a folder already bound (its own tree is there)."""
    out: list[str] = []
    for parent in reversed(path.parents):
        if parent in made or any(parent == b or b in parent.parents for b in bound):
            continue
        out += ["--perms", "0755", "--dir", str(parent)]
        made.add(parent)
    return out


def write_passwd(folder: Path, uid: int | None, home: Path) -> Path:
    """A passwd and a group file naming the sandbox user (some runtimes look their user up)."""
    uid = os.getuid() if uid is None else uid
    passwd = folder / "passwd"
    passwd.write_text(
        "root:x:0:0:root:/root:/usr/sbin/nologin\n"
        f"app:x:{uid}:{uid}:app:{home}:/bin/sh\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    )
    (folder / "group").write_text(f"root:x:0:\napp:x:{uid}:\nnogroup:x:65534:\n")
    return passwd


def write_hosts(folder: Path, names: list[str]) -> Path | None:
    """An /etc/hosts where the given names (compose service names: db, redis...) are this
    sandbox's loopback, where the app's private servers listen. None when there are none."""
    if not names:
        return None
    hosts = folder / "hosts"
    hosts.write_text(
        f"127.0.0.1\tlocalhost sandbox {' '.join(names)}\n::1\tlocalhost ip6-localhost\n"
    )
    return hosts


def share_read(top: Path) -> None:
    """Make a private copy readable to other uids (the install's fresh uid reads the repo's
    requirement files from it even when the original folder is 0700). Links are left alone."""
    for dirpath, dirnames, filenames in os.walk(top):
        os.chmod(dirpath, os.stat(dirpath).st_mode | 0o555)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o444)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]


def give(paths: list[Path], uid: int | None) -> None:
    """Hand ``paths`` (and everything below) to the sandbox uid (root only)."""
    if uid is None or not is_root():
        return
    for top in paths:
        os.lchown(top, uid, uid)
        for dirpath, dirnames, filenames in os.walk(top):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), uid, uid)


def take_back(paths: list[Path]) -> None:
    """Give ``paths`` back to the harness user, so a finished cache entry belongs to nobody
    who runs untrusted code."""
    if not is_root():
        return
    me = os.getuid(), os.getgid()
    for top in paths:
        if not top.exists():
            continue
        os.lchown(top, *me)
        for dirpath, dirnames, filenames in os.walk(top):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), *me)
