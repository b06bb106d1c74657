"""The local runner: an untrusted backend started from a temp copy, in a sandbox, reachable.

Isolation, best first:
- "sandbox": bubblewrap (see _jail.py): the app sees the system folders read-only and nothing of
  the host's files but its own copy, its dependencies (read-only) and a private /tmp; it runs as
  a fresh unprivileged uid without capabilities, in its own network namespace with only loopback
  (no route out; hardcoded ports and 0.0.0.0 binds cannot collide) and its own PID namespace
  (when its first process dies the kernel kills everything it forked). As root its folders are a
  size-limited tmpfs and a control group bounds memory, processes and CPU (see _cgroup.py).
  The host reaches it through a unix socket bridge served inside the namespace (_inside.py).
- "netns": no bubblewrap but root: ``unshare --net --pid`` and the unprivileged uid, with the
  host's files visible to that uid.
- "host-network": when no namespace can be made (not root, no unshare): a free port on
  127.0.0.1, the app in its own session/process group.
What applied, and what could not, is the ``sandbox`` record of the scorecard.

In both, every process carries a run marker in its environment so that teardown can find and
kill whatever is left, on normal exit, errors, timeouts and Ctrl-C alike.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from harness.app import AppProfile, origin_settings
from harness.runner import _canary, _inside, _jail, _sandbox
from harness.runner._canary import Canary
from harness.runner._cgroup import Cgroup
from harness.runner._command import StartPlan, django_env, node_plan, python_plan
from harness.runner._deps import (
    Installed,
    node_modules,
    python_env,
    server_extras,
    test_tools_dir,
)
from harness.runner._exec import install_confinement, run_bounded
from harness.runner._go import build as go_build
from harness.runner._go import go_plan
from harness.runner._limits import ResourceLimits
from harness.runner._migrate import migration_steps, seed_steps
from harness.runner._model import (
    DUMP_SECONDS,
    MAX_DUMP_BYTES,
    CommandResult,
    LaunchError,
    RunningApp,
)
from harness.runner._services import Services, plan_services
from harness.runner._snapshot import write_snapshot
from harness.scorecard import Sandbox

# What PID 1 of the sandbox keeps: enough to drop the app's privileges and to stop it.
INIT_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL")
ISOLATIONS = ("auto", "sandbox", "netns", "host-network")
COPY_IGNORE = shutil.ignore_patterns(
    "node_modules", ".venv", "venv", ".git", "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache"
)
SECRET_VARS = (
    "APP_SECRET",
    "JWT_SECRET",
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "SESSION_SECRET",
    "TOKEN_SECRET",
    "ACCESS_TOKEN_SECRET",
    "REFRESH_TOKEN_SECRET",
    "JWT_REFRESH_SECRET",
    "FLASK_SECRET_KEY",
    "DJANGO_SECRET_KEY",
    "COOKIE_SECRET",
    "AUTH_SECRET",
)
DB_PATH_VARS = ("DATABASE_PATH", "DB_PATH", "SQLITE_PATH", "SQLITE_DB", "DB_FILE", "DATABASE_FILE")
TAIL_LINES = 40
PREPARE_SECONDS = 900.0  # builds and migrations before the app, beyond the startup timeout

TMP_PREFIX = "harness-app-"

_LIVE: weakref.WeakSet[_Session] = weakref.WeakSet()


def _sweep_stale_dirs() -> None:
    """Remove temp dirs left by a harness that was killed outright (SIGKILL runs no cleanup)."""
    for d in Path(tempfile.gettempdir()).glob(TMP_PREFIX + "*"):
        try:
            owner = int((d / "owner.pid").read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            _unmount(d)
            shutil.rmtree(d, ignore_errors=True)
        except (OSError, ValueError):
            continue


def _mount_tmpfs(path: Path, size: int) -> bool:
    """A size-limited tmpfs on ``path`` (root only): the bound of the app's disk writes."""
    if not _jail.is_root() or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0711", "harness-app", str(path)],
        capture_output=True,
        timeout=20,
        check=False,
    )
    return done.returncode == 0


def _unmount(path: Path) -> None:
    if os.path.ismount(path):
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=20, check=False)


def _contained(path: Path, root: Path) -> bool:
    """``path`` is a regular file of the sandbox, not a link the app planted to a host file
    (the harness reads these files as itself)."""
    try:
        return (
            not path.is_symlink()
            and path.is_file()
            and path.resolve().is_relative_to(root.resolve())
        )
    except OSError:
        return False


def wall_seconds() -> float:
    return float(os.environ.get("HARNESS_APP_WALL_S", "3600"))


def _tail(path: Path, lines: int = TAIL_LINES) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _failed_step(log: Path) -> str | None:
    """Why the sandbox stopped before the app ran, from its log: a required preparation step
    (a migration, a seed) that failed, or a database server that never came up."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(_inside.STEP_FAILED):
            step = line[len(_inside.STEP_FAILED) :]
            status = next(
                (ln.rsplit(" ", 1)[-1] for ln in reversed(lines[:i]) if "step exited with" in ln),
                "?",
            )
            return f"the preparation step `{step}` failed (exit {status}); the app was not started"
    m = re.search(r"^\[harness\] the (\w+) server did not come up$", text, re.M)
    if m:
        return f"the private {m.group(1)} server did not come up; the app was not started"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def _exit_code(code: int | None) -> int | None:
    return 128 - code if code is not None and code < 0 else code


class LocalApp(RunningApp):
    """A backend started by the local runner."""

    runner = "local"

    def __init__(self, session: _Session) -> None:
        self._s = session
        self.isolation = session.isolation
        self.workdir = session.workdir
        self.inferred_dependencies = session.inferred
        self.base_url = ""
        self.curl_prefix = "curl"
        self.port: int | None = None
        self.socket_path: Path | None = session.socket_path if session.netns else None
        self.command: list[str] = []
        self.notes: list[str] = session.notes
        self.timings: dict[str, float] = session.timings
        self.database_path = session.db_path
        self.run_id = session.marker  # in every sandboxed process's environment

    @property
    def sandbox(self) -> Sandbox:
        """What contains the app (bounds hit so far included)."""
        return self._s.sandbox_report()

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(**self._wired(kwargs, httpx.AsyncHTTPTransport))

    def sync_client(self, **kwargs: Any) -> httpx.Client:
        """A blocking client wired the same way (for scripts and tests)."""
        return httpx.Client(**self._wired(kwargs, httpx.HTTPTransport))

    def _wired(self, kwargs: dict[str, Any], transport: Callable[..., Any]) -> dict[str, Any]:
        """Client options: the app's base URL, through its unix socket when it has one, and
        no proxy from the environment."""
        kwargs.setdefault("timeout", 10.0)
        kwargs.setdefault("base_url", self.base_url)
        if self.socket_path is not None:
            kwargs.setdefault("transport", transport(uds=str(self.socket_path)))
        return {"trust_env": False, **kwargs}

    def logs(self) -> str:
        try:
            return self._s.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self._s.proc is not None and self._s.proc.poll() is None

    def db_files(self) -> list[Path]:
        found: list[Path] = []
        for pattern in ("*.db", "*.sqlite", "*.sqlite3"):
            for p in self.workdir.rglob(pattern):
                if "node_modules" not in p.parts and _contained(p, self._s.tmp):
                    found.append(p)
        if _contained(self.database_path, self._s.tmp) and self.database_path not in found:
            found.append(self.database_path)
        if self._s.services.plans and self.alive():
            # the rows of its database servers, as a SQLite file the storage checks can read;
            # probes ask from several threads: one dump at a time, the file replaced whole
            snapshot = self._s.ctl / "server-databases.sqlite"
            with self._s.snapshot_lock:
                fresh = snapshot.with_name(f"snapshot-{secrets.token_hex(4)}.sqlite")
                if write_snapshot(self.database_dumps(), fresh):
                    os.replace(fresh, snapshot)
                fresh.unlink(missing_ok=True)
            if snapshot.exists():
                found.append(snapshot)
        return sorted(set(found))

    def stop_gracefully(self, timeout: float = 10.0) -> dict[str, Any]:
        return self._s.stop_gracefully(timeout)

    def canary(self) -> Canary | None:
        """The SSRF canary on the app's loopback: started by the sandbox's PID 1 inside its
        network namespace, or in this process when the app shares the host network."""
        if self._s.canary is None:
            self._s.canary = Canary.find(self._s.ctl, wait_s=2.0)
        return self._s.canary

    def database_dumps(self) -> dict[str, str]:
        """The rows of the app's database servers as text (a dump per database), read inside
        its sandbox; empty for an app with no server."""
        out: dict[str, str] = {}
        for plan in self._s.services.plans:
            for argv in plan.dump:
                # from the first row: a log's tail would lose the rows printed first (the users)
                res = self._s.run_command(argv, DUMP_SECONDS, None, head_bytes=MAX_DUMP_BYTES)
                if res.exit_code == 0 and not res.timed_out:
                    out[f"{plan.kind}:{argv[-1]}"] = res.output
        return out

    def run_command(
        self, argv: list[str], *, timeout: float = 120, env: dict[str, str] | None = None
    ) -> CommandResult:
        return self._s.run_command(argv, timeout, env)


class _Session:
    """Everything one start owns: temp dir, processes, marker. ``teardown`` undoes it all."""

    def __init__(
        self,
        profile: AppProfile,
        env: dict[str, str] | None,
        timeout: float,
        isolation: str,
        require_isolation: bool = False,
    ) -> None:
        self.profile = profile
        self.user_env = dict(env or {})
        self.startup_timeout = timeout
        self.missing: list[str] = []
        # decided before anything is created, so that refusing leaves nothing behind
        jailed, why_not_jail = (False, "")
        if isolation in ("auto", "sandbox"):
            jailed, why_not_jail = _jail.bwrap_support()
        if isolation == "sandbox" and not jailed:
            raise LaunchError(f"the bubblewrap sandbox was asked for but {why_not_jail}")
        ok, why = (True, "")
        if not jailed:
            ok, why = _sandbox.netns_support() if isolation in ("auto", "netns") else (False, "")
        if isolation == "netns" and not ok:
            raise LaunchError(f"a private network namespace was asked for but {why}")
        if why_not_jail:
            self.missing.append(f"filesystem: {why_not_jail}; the app sees the host's files")
        elif isolation in ("netns", "host-network"):
            self.missing.append(f"filesystem: isolation={isolation} was asked for")
        if not (jailed or ok):
            self.missing.append(
                f"network and processes: {why or 'the host network was asked for'}; "
                "the app shares the host's network"
            )
        self.jailed = jailed
        self.netns = jailed or ok
        # a uid of its own needs root, and bubblewrap to show it its dependencies (the cache
        # may sit in a home folder that uid cannot enter)
        self.uid = _jail.new_uid() if jailed and _jail.is_root() else None
        if self.uid is None:
            self.missing.append(
                "user: the app runs as the harness's own user ("
                + ("not root" if not _jail.is_root() else "no bubblewrap sandbox")
                + ")"
            )
        self.limits = ResourceLimits.from_env()
        if require_isolation and self.missing:
            raise LaunchError(
                "--require-isolation: the sandbox would be incomplete: " + "; ".join(self.missing)
            )
        self.marker = secrets.token_hex(12)
        _sweep_stale_dirs()
        self.tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX))
        self.tmpfs = self.netns and _mount_tmpfs(self.tmp, self.limits.disk_bytes)
        (self.tmp / "owner.pid").write_text(str(os.getpid()))
        self.ctl = self.tmp / "ctl"  # the harness's own: socket, port file, config; root-only
        self.ctl.mkdir(mode=0o700)
        self.workdir = self.tmp / "app"
        self.log_path = self.tmp / "app.log"
        self.install_log = self.tmp / "install.log"
        self.socket_path = self.ctl / "app.sock"
        self.port_file = self.ctl / "bridge.port"
        self.db_path = self.tmp / "data" / "app.db"
        self.proc: subprocess.Popen | None = None
        self.timer: threading.Timer | None = None
        self.ns: str | None = None
        self.notes: list[str] = []
        self.timings: dict[str, float] = {}
        self.inferred: list[str] = list(profile.inferred_dependencies)
        self.torn_down = False
        self.stopped: dict[str, Any] | None = None
        self.app_line: str | None = None  # how the sandbox logs the app's start
        self.log_seen = 0
        self.app_env: dict[str, str] | None = None  # what the app was started with
        self.services = Services([], {}, [], [])
        self.canary: Canary | None = None
        self.snapshot_lock = threading.Lock()
        self.readable: list[Path] = []  # dependency folders shown read-only
        self.group: Cgroup | None = None
        self.applied: dict[str, str] = {}
        if self.netns and _jail.is_root():
            self.group, why_cg = Cgroup.create(f"app-{self.marker}", self.limits)
            if self.group is None:
                self.missing.append(f"memory, processes, CPU of the whole app: {why_cg}")
        if isolation == "auto" and not self.netns:
            self.notes.append(f"no private network namespace ({why}); using the host network")
        if self.missing:
            self.notes.append("sandbox incomplete: " + "; ".join(self.missing))
        self.isolation = "sandbox" if jailed else "netns" if ok else "host-network"

    def sandbox_report(self) -> Sandbox:
        """What contains this app, as applied."""
        lim = self.limits.describe()
        applied = self.group.applied if self.group else {}

        def by(name: str, *others: str | None) -> str:
            how = [x for x in (applied.get(name), *others) if x]
            return f"{lim[name]} ({', '.join(how)})" if how else "not bounded"

        limits = {
            "memory": by("memory") if "memory" in applied else "address space per process (rlimit)",
            "processes": by("processes", "RLIMIT_NPROC" if self.uid is not None else None),
            "cpu": by("cpu", "rlimit"),
            "disk": f"{lim['disk']} (tmpfs)"
            if self.tmpfs
            else f"{lim['file size']} per file (rlimit)",
        }
        if self.jailed:
            fs = (
                "bubblewrap: system folders read-only, its own copy and data writable, its "
                "dependencies read-only, a private /tmp; no home folders, no other runs, no "
                "harness cache writes, no Docker socket"
            )
        elif self.netns:
            fs = "the host's files, with the permissions of its uid"
        else:
            fs = "the host's files, with the permissions of the harness's user"
        if self.uid is not None:
            user = f"uid {self.uid} (unprivileged), no capabilities, no_new_privs"
        else:
            user = f"uid {os.getuid()} (the harness's own user)"
        return Sandbox(
            network="private namespace, loopback only" if self.netns else "host network",
            processes="private PID namespace" if self.netns else "own session on the host",
            filesystem=fs,
            user=user,
            limits=limits,
            installs=install_confinement(),
            events=self.group.events() if self.group else {},
            missing=list(self.missing),
        )

    # ---------------------------------------------------------------- launch
    def launch(self) -> LocalApp:
        p = self.profile
        if p.language not in ("python", "javascript", "typescript", "go"):
            raise LaunchError(
                f"cannot start an app whose language is {p.language!r}; "
                "see the profile notes for what was found"
            )
        t0 = time.monotonic()
        shutil.copytree(Path(p.root), self.workdir, ignore=COPY_IGNORE, symlinks=True)
        for d in ("home", "tmp", "data"):
            (self.tmp / d).mkdir()
        is_python = p.language == "python"
        installed = self._go_build() if p.language == "go" else self._install(is_python)
        self.readable = [installed.path, test_tools_dir()]
        self.timings["install"] = round(installed.seconds, 3)
        self.timings["install_cached"] = float(installed.cached)
        self.notes += installed.notes
        asked = self._choose_port()
        if p.language == "go":
            plan = go_plan(p, self.workdir)
        elif is_python:
            python = str(installed.path / "bin" / "python")
            plan = python_plan(p, self.workdir, python, asked, may_hardcode=self.netns)
        else:
            self._link_node_modules(installed)
            plan = node_plan(p, self.workdir)
        self.services = self._services()
        if self.services.plans:
            migrate = migration_steps(p, self.workdir, installed)
            seed = seed_steps(p, self.workdir)
            plan.prepare = [*plan.prepare, *migrate, *seed]
            plan.required = [*plan.required, *migrate, *seed]
            for what, steps in (("migrations", migrate), ("seed steps from the README", seed)):
                if steps:
                    shown = "; ".join(shlex.join(s) for s in steps)
                    self.notes.append(f"{what} (each required): {shown}")
        # the app's own folders belong to its uid; everything else it sees is read-only
        _jail.give([self.workdir, *(self.tmp / d for d in ("home", "tmp", "data"))], self.uid)
        app = LocalApp(self)
        if not self.netns and not plan.honours_port and p.hardcoded_port:
            asked = p.hardcoded_port
            if not _port_free(asked):
                owners = _sandbox.port_owner_pids(asked)
                who = "; ".join(f"pid {o}: {_sandbox.command_line(o)[:80]}" for o in owners[:3])
                raise LaunchError(
                    f"port {asked} is in use by another process ({who or 'owner not visible'}); "
                    f"the app hardcodes port {asked} and no private network namespace could be "
                    "made here; stop that process or run as root where unshare works"
                )
        env = self._env(asked, plan, installed, is_python)
        self.app_env = env
        app.command = plan.command
        self.notes.append(f"started with {plan.description}")
        t1 = time.monotonic()
        self.app_line = f"[harness] $ {' '.join(plan.command)}\n" if plan.prepare else None
        self._spawn(plan, env, "python" if is_python else "go" if p.language == "go" else "node")
        port = self._wait_ready(asked, p.hardcoded_port or p.default_port)
        self.timings["start"] = round(time.monotonic() - t1, 3)
        self.timings["total"] = round(time.monotonic() - t0, 3)
        app.port = port
        app.base_url = f"http://127.0.0.1:{port}"
        app.curl_prefix = f"curl --unix-socket {self.socket_path}" if self.netns else "curl"
        if port != asked:
            self.notes.append(f"the app listens on port {port}, not on PORT={asked}")
        return app

    def _install(self, is_python: bool) -> Installed:
        try:
            if is_python:
                # installed from the run's own copy: the original folder may be one that the
                # install's unprivileged uid cannot read (a 0700 home or temp folder)
                _jail.share_read(self.workdir)
                copy = self.profile.model_copy(update={"root": str(self.workdir)})
                inst = python_env(copy, self.install_log)
                known = [*self.profile.declared_dependencies, *self.profile.inferred_dependencies]
                extras = server_extras(self.profile, known)
                if extras:  # the app does not list them, the harness needs them to serve it
                    self.notes.append(f"added to serve the app: {', '.join(extras)}")
                    self.inferred += [e for e in extras if e not in self.inferred]
                return inst
            return node_modules(self.profile, self.install_log)
        except LaunchError:
            raise
        except OSError as exc:
            raise LaunchError(f"installing the app's dependencies failed: {exc}") from exc

    def _go_build(self) -> Installed:
        """A Go app is built (confined, cached modules) before it starts; no runtime deps."""
        try:
            return go_build(self.profile, self.workdir, self.install_log)
        except OSError as exc:
            raise LaunchError(f"building the Go app failed: {exc}") from exc

    def _link_node_modules(self, installed: Installed) -> None:
        target = self.workdir / "node_modules"
        if target.is_symlink() or target.exists():
            shutil.rmtree(target, ignore_errors=True)
        # a symlink, not a copy: node_modules can be hundreds of MB and is read-only in use
        target.symlink_to(installed.path / "node_modules", target_is_directory=True)
        pkg = self.workdir / "package.json"
        entry = self.workdir / (self.profile.entrypoint or "")
        if not pkg.exists() and entry.is_file():
            text = entry.read_text(errors="replace")
            esm = bool(re.search(r"^\s*import\s.+\sfrom\s+['\"]", text, re.M)) and (
                "require(" not in text
            )
            pkg.write_text(
                json.dumps(
                    {"name": "app", "private": True, "type": "module" if esm else "commonjs"}
                )
            )
            self.notes.append(
                "no package.json: wrote one "
                + ("marking the code as ES modules" if esm else "for CommonJS")
                + " and installed the inferred dependencies"
            )

    def _choose_port(self) -> int:
        if self.netns:  # nothing else lives in the namespace: the app's own default is safe
            return self.profile.hardcoded_port or self.profile.default_port or 8000
        return _free_port()

    def _env(self, port: int, plan: StartPlan, inst: Installed, is_python: bool) -> dict[str, str]:
        path = ["/usr/local/bin", "/usr/bin", "/bin"]
        env: dict[str, str] = {
            "HOME": str(self.tmp / "home"),
            "TMPDIR": "/tmp" if self.jailed else str(self.tmp / "tmp"),
            "USER": "app",
            "LOGNAME": "app",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PORT": str(port),
            "HOST": "127.0.0.1",
            _sandbox.MARKER_VAR: self.marker,
            # run as deployed: Express's default error handler then hides stack traces, so a
            # leak we observe is the app's own doing, not a development default
            "NODE_ENV": "production",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        for var in DB_PATH_VARS:
            env[var] = str(self.db_path)
        # the CORS allow-list the repo documents, as a deployment sets it (URLs, nothing secret)
        env.update(origin_settings(Path(self.profile.root)))
        url = None if self.services.plans else self._database_url()
        if url:
            env["DATABASE_URL"] = url
        env.update(self.services.env)
        for var in SECRET_VARS:
            env[var] = secrets.token_urlsafe(32)
        if is_python:
            env.update(django_env(self.profile, self.workdir))
            path.insert(0, str(inst.path / "bin"))
            env["VIRTUAL_ENV"] = str(inst.path)
            if plan.pythonpath:
                env["PYTHONPATH"] = plan.pythonpath
        else:
            path.insert(0, str(self.workdir / "node_modules" / ".bin"))
            # ts-node (TypeORM and other migration CLIs, dev starts) compiles without a second
            # type check: the build already ran tsc, and type errors do not change behaviour
            env["TS_NODE_TRANSPILE_ONLY"] = "true"
        env["PATH"] = ":".join(path)
        env.update({k: str(v) for k, v in self.user_env.items()})
        return env

    def _database_url(self) -> str | None:
        """DATABASE_URL in the form the app's code can use (SQLAlchemy URL, Prisma, plain)."""
        text = ""
        for rel in self.profile.source_files[:200]:
            with contextlib.suppress(OSError):
                text += (Path(self.profile.root) / rel).read_text(errors="replace")
        if self.profile.language == "python":
            if re.search(r"sqlalchemy|create_engine|sqlmodel|databases|tortoise", text, re.I):
                return f"sqlite:///{self.db_path}"
            return str(self.db_path) if "DATABASE_URL" in text else f"sqlite:///{self.db_path}"
        if "DATABASE_URL" not in text:
            return None
        if "prisma" in text.lower():
            return f"file:{self.db_path}"
        if re.search(r"sequelize|knex|typeorm", text, re.I):
            return f"sqlite:{self.db_path}"
        return str(self.db_path)

    def _spawn(self, plan: StartPlan, env: dict[str, str], kind: str) -> None:
        limits = self.limits.rlimits(kind)
        if self.uid is None:
            limits.pop("nproc")  # the harness user's own processes would count too
        log = open(self.log_path, "ab", buffering=0)  # noqa: SIM115 - kept by the child
        try:
            if self.netns:
                config = {
                    "socket": str(self.socket_path),
                    "port_file": str(self.port_file),
                    "cwd": str(plan.cwd),
                    "env": env,
                    "command": plan.command,
                    "prepare": plan.prepare,
                    "prepare_required": [step in plan.required for step in plan.prepare],
                    "services": [
                        {"kind": sp.kind, "command": sp.command, "port": sp.port, "setup": sp.setup}
                        for sp in self.services.plans
                    ],
                    "limits": limits,
                    "uid": self.uid,
                    "wall_seconds": wall_seconds(),
                    "canary": str(self.ctl),
                    "canary_avoid": self._canary_avoid(env),
                }
                cfg_path = self.ctl / "sandbox.json"
                cfg_path.write_text(json.dumps(config))
                cfg_path.chmod(0o600)
                inside = self.ctl / "inside.py"  # a copy: the harness's own tree stays unseen
                shutil.copyfile(_inside.__file__, inside)
                shutil.copyfile(_canary.__file__, self.ctl / "_canary.py")
                init = [sys.executable, "-I", str(inside), str(cfg_path)]
                cmd = (
                    self._jail(plan).argv(init, drop=False)
                    if self.jailed
                    else [
                        shutil.which("unshare") or "unshare",
                        "--net",
                        "--pid",
                        "--fork",
                        "--kill-child",
                        "--mount-proc",
                        "--",
                        *init,
                    ]
                )
                outer_env = {"PATH": "/usr/bin:/bin", _sandbox.MARKER_VAR: self.marker}
                group = self.group

                def preexec() -> None:
                    os.setsid()
                    _inside.die_with_parent()
                    if group is not None:
                        group.join()

                self.proc = _inside.spawn(cmd, log=log, env=outer_env, preexec=preexec)
            else:
                self.canary = Canary.start_here(self.ctl, set(self._canary_avoid(env)))
                for step in plan.prepare:
                    self._prepare_on_host(step, plan, env, log)
                log.write(f"[harness] $ {' '.join(plan.command)}\n".encode())

                def preexec_app() -> None:
                    os.setsid()
                    _inside.die_with_parent()
                    _inside.apply_limits(limits)

                self.proc = _inside.spawn(
                    plan.command, log=log, env=env, cwd=plan.cwd, preexec=preexec_app
                )
                self.timer = threading.Timer(wall_seconds(), self._wall_limit)
                self.timer.daemon = True
                self.timer.start()
        finally:
            log.close()
        _LIVE.add(self)

    def _canary_avoid(self, env: dict[str, str]) -> list[int]:
        """Ports the canary must leave to the app and its database servers."""
        wanted = [env.get("PORT"), self.profile.hardcoded_port, self.profile.default_port]
        ports = [int(p) for p in wanted if p and str(p).isdigit()]
        return ports + [sp.port for sp in self.services.plans]

    def _services(self) -> Services:
        """The app's database servers for this run (none for a SQLite or storage-less app)."""
        if not self.profile.services:
            return Services([], {}, [], [])
        if not self.netns:
            kinds = ", ".join(s.kind for s in self.profile.services)
            raise LaunchError(
                f"the app needs {kinds}; its private servers run only inside a private network "
                "namespace, which this machine does not allow here (see the sandbox notes)"
            )
        found = plan_services(self.profile, self.tmp / "data", self.install_log)
        self.notes += found.notes
        self.readable += [p for sp in found.plans for p in sp.readable]  # server binaries
        return found

    def _jail(self, plan: StartPlan) -> _jail.Jail:
        home, data = self.tmp / "home", self.tmp / "data"
        return _jail.Jail(
            writable=[self.workdir, home, data, self.ctl],
            readable=[p for p in self.readable if p.exists()],
            network=False,
            uid=self.uid,
            tmp_bytes=self.limits.disk_bytes,
            cwd=plan.cwd,
            passwd=_jail.write_passwd(self.ctl, self.uid, home),
            hosts=_jail.write_hosts(self.ctl, self.services.hostnames),
            as_pid1=True,
            keep_caps=INIT_CAPS,
        )

    def _prepare_on_host(self, step: list[str], plan: StartPlan, env: dict, log: Any) -> None:
        log.write(f"[harness] $ {' '.join(step)}\n".encode())
        try:
            code = subprocess.run(
                step,
                cwd=plan.cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=300,
                check=False,
                start_new_session=True,
            ).returncode
        except subprocess.TimeoutExpired:
            code = 124
        if code != 0:
            log.write(f"[harness] preparation step exited with {code}\n".encode())
            if step in plan.required:
                log.write(f"{_inside.STEP_FAILED}{' '.join(step)}\n".encode())
                log.flush()
                raise LaunchError(
                    _failed_step(self.log_path) or "a preparation step failed",
                    _tail(self.log_path),
                )

    def _wall_limit(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError), open(self.log_path, "ab") as fh:
                fh.write(b"[harness] wall time limit reached; killing the app\n")
            self._kill_all()

    def _ns_init(self) -> int | None:
        if self.proc is None:
            return None
        kids = _sandbox.children(self.proc.pid)
        return kids[0] if kids else None

    def _listening(self) -> list[int]:
        if self.netns:
            init = self._ns_init()
            if init is None:
                return []
            if self.ns is None:
                self.ns = _sandbox.net_ns(init)
            return _sandbox.listening_ports(init)
        pids = _sandbox.marked_pids(self.marker)
        return _sandbox.listening_ports(os.getpid(), pids) if pids else []

    def _answers_http(self, port: int) -> bool:
        if self.netns:
            self.port_file.write_text(str(port))
            transport = httpx.HTTPTransport(uds=str(self.socket_path))
        else:
            transport = httpx.HTTPTransport()
        try:
            with httpx.Client(transport=transport, timeout=3.0, trust_env=False) as c:
                answer = c.get(f"http://127.0.0.1:{port}/")
        except httpx.HTTPError:
            return False
        # the SSRF canary answers HTTP too: its port is excluded by its port file, and its
        # answer says what it is, should that file ever be missed
        return not answer.text.startswith(_canary.BODY_MARK)

    def _preparing(self) -> bool:
        """The sandbox is still building or migrating: the app's own command is not in its log
        yet (the startup timeout counts from it; each step has its own bound inside)."""
        if not self.netns or self.app_line is None:
            return False
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self.log_seen)
                chunk = fh.read()
        except OSError:
            return False
        text = chunk.decode("utf-8", "replace")
        if self.app_line in text:
            self.app_line = None
            return False
        # keep the last line's worth: the marker may be cut across two reads
        self.log_seen += max(0, len(chunk) - len(self.app_line.encode()) - 1)
        return True

    def _wait_ready(self, asked: int, hardcoded: int | None) -> int:
        deadline = time.monotonic() + self.startup_timeout
        # preparation (build, migrations) may take a while on a cold cache: bounded by the
        # steps' own limits inside and by this cap
        prep_cap = time.monotonic() + self.startup_timeout + PREPARE_SECONDS
        ports: list[int] = []
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self._preparing():
                deadline = min(prep_cap, time.monotonic() + self.startup_timeout)
            code = self.proc.poll()
            if code is not None:
                tail = _tail(self.log_path)
                failed = _failed_step(self.log_path)
                if failed:
                    raise LaunchError(failed, tail)
                last = next(
                    (ln for ln in reversed(tail.splitlines()) if not ln.startswith("[harness]")),
                    "",
                )
                raise LaunchError(
                    f"the app exited with status {_exit_code(code)} before it answered HTTP"
                    + (f" ({last.strip()[:200]})" if last.strip() else ""),
                    tail,
                )
            taken = {sp.port for sp in self.services.plans}  # its database servers
            found = Canary.find(self.ctl)  # the SSRF canary is not the app
            if found is not None:
                taken.add(found.port)
            ports = [port for port in self._listening() if port not in taken]
            for port in sorted(ports, key=lambda x: (x != asked, x != hardcoded, x)):
                if self._answers_http(port):
                    return port
            time.sleep(0.2)
        what = (
            f"it listens on {ports} but no HTTP answer came"
            if ports
            else "it never opened a TCP port"
        )
        raise LaunchError(
            f"the app did not become ready within {self.startup_timeout:.0f}s: {what}",
            _tail(self.log_path),
        )

    # -------------------------------------------------------------- commands
    def run_command(
        self,
        argv: list[str],
        timeout: float,
        env: dict[str, str] | None,
        head_bytes: int | None = None,
    ) -> CommandResult:
        """``argv`` in the app's working copy, environment and limits; inside its namespaces
        (nsenter) when it has them, so the command shares its loopback-only network."""
        if self.app_env is None or self.proc is None or self.torn_down:
            raise LaunchError("the app is not running; commands run beside a started app")
        wrapper: list[str] = []
        if self.netns:
            init = self._ns_init()
            if init is None or self.proc.poll() is not None:
                raise LaunchError(
                    "the app's sandbox is gone (the app exited); a command would have no "
                    "namespace to run in",
                    _tail(self.log_path),
                )
            nsenter = shutil.which("nsenter") or "nsenter"
            wrapper = [nsenter, f"--target={init}", "--net", "--pid", "--mount", "--"]
            if self.uid is not None:
                setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
                wrapper += [setpriv, f"--reuid={self.uid}", f"--regid={self.uid}"]
                wrapper += [*_jail.SETPRIV_DROP, "--"]
            # the folder is entered inside the sandbox's mounts (nsenter --wd would open the
            # host's view of it, which the sandbox cannot name)
            wrapper += ["/usr/bin/env", f"--chdir={self.workdir}"]
        limits = self.limits.rlimits("python" if self.profile.language == "python" else "node")
        if self.uid is None:
            limits.pop("nproc")
        group = self.group

        def preexec() -> None:
            _inside.die_with_parent()
            if group is not None:
                group.join()
            _inside.apply_limits(limits)

        return run_bounded(
            [*wrapper, *argv],
            shown_argv=list(argv),
            cwd=self.workdir,
            env={**self.app_env, **(env or {})},
            timeout=timeout,
            log_dir=self.ctl,
            preexec=preexec,
            head_bytes=head_bytes,
        )

    # --------------------------------------------------------------- stopping
    def stop_gracefully(self, timeout: float) -> dict[str, Any]:
        if self.stopped is not None:
            return self.stopped
        start = time.monotonic()
        proc = self.proc
        if proc is None or proc.poll() is not None:
            code = proc.poll() if proc else None
            self.stopped = {
                "exited": True,
                "exit_code": _exit_code(code),
                "seconds": 0.0,
                "note": "the app had already exited",
            }
            return self.stopped
        if self.netns:
            init = self._ns_init()
            if init is not None:
                _sandbox.kill_pids([init], signal.SIGTERM)  # forwarded to the app's group
        else:
            _sandbox.kill_group(proc.pid, signal.SIGTERM)
        try:
            code = proc.wait(timeout=timeout)
            self.stopped = {
                "exited": True,
                "exit_code": _exit_code(code),
                "seconds": round(time.monotonic() - start, 3),
                "signal": "SIGTERM",
            }
        except subprocess.TimeoutExpired:
            self.stopped = {
                "exited": False,
                "exit_code": None,
                "seconds": round(time.monotonic() - start, 3),
                "signal": "SIGTERM",
                "note": f"still running {timeout:.0f}s after SIGTERM; killed",
            }
            self._kill_all()
        return self.stopped

    def _kill_all(self) -> None:
        if self.group is not None:
            self.group.kill()
        if self.proc is not None:
            if self.netns:
                init = self._ns_init()
                if init is not None:  # PID 1 of the namespace: the kernel kills the rest
                    _sandbox.kill_pids([init])
                if self.ns:
                    _sandbox.kill_pids(_sandbox.pids_in_netns(self.ns))
            _sandbox.kill_group(self.proc.pid)
        _sandbox.kill_marked(self.marker)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)

    def teardown(self) -> None:
        if self.torn_down:
            return
        self.torn_down = True
        if self.timer is not None:
            self.timer.cancel()
        try:
            self._kill_all()
        finally:
            if self.canary is not None:
                self.canary.stop()
            if self.group is not None:
                self.group.remove()
            _unmount(self.tmp)
            shutil.rmtree(self.tmp, ignore_errors=True)
            _LIVE.discard(self)


@atexit.register
def _teardown_all() -> None:
    for session in list(_LIVE):
        session.teardown()


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While an app runs, SIGTERM to the harness unwinds (so teardown runs) instead of killing
    it outright. Only installed from the main thread and when nobody else handles SIGTERM."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


class LocalRunner:
    """Starts ``profile`` locally; ``start()`` is a context manager yielding a LocalApp."""

    def __init__(
        self,
        profile: AppProfile,
        *,
        env: dict[str, str] | None = None,
        startup_timeout: float = 60.0,
        isolation: str = "auto",
        require_isolation: bool = False,
    ) -> None:
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {', '.join(ISOLATIONS)}, not {isolation!r}")
        self.profile = profile
        self.env = env
        self.startup_timeout = startup_timeout
        self.isolation = isolation
        self.require_isolation = require_isolation

    @contextlib.contextmanager
    def start(self) -> Iterator[LocalApp]:
        with _sigterm_unwinds():
            session = _Session(
                self.profile,
                self.env,
                self.startup_timeout,
                self.isolation,
                self.require_isolation,
            )
            _LIVE.add(session)
            try:
                yield session.launch()
            finally:
                session.teardown()
