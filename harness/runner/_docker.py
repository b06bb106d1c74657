"""The docker runner: the app built into an image and started in a locked-down container.

Images: the base image made by .ci/docker-engine.sh (debootstrap + import, no registry needed),
a dependency layer per dependency hash (kept, so later runs start from it), and a per-run app
layer from a per-framework template (removed after the run). With use_repo_dockerfile=True the
repo's own Dockerfile is built instead; its FROM image must already be in the local store.

Reaching the app: the container sits on a bridge network without outbound NAT, and one port is
published on 127.0.0.1 only. A relay inside the container (templates/relay.py) waits until the
app listens, on whatever port and address it chose, and forwards that published port to it, so
an app that ignores $PORT or binds 127.0.0.1 is still reachable. Teardown removes the container
(with its anonymous volume) and the per-run image on every exit path; `cleanup_stale()` removes
what a killed run left behind (everything carries the label agent-harness=1).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import secrets
import shutil
import tarfile
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from harness.app._model import AppProfile
from harness.app._origins import origin_settings
from harness.runner import _docker_deps, _docker_services, _images
from harness.runner._exec import install_confinement, tail_text
from harness.runner._images import BASE_IMAGE, CONTAINER_DATA_DIR, LABEL, RELAY_PORT, ImagePlan
from harness.runner._limits import ResourceLimits
from harness.runner._model import (
    DUMP_SECONDS,
    MAX_DUMP_BYTES,
    CommandResult,
    LaunchError,
    RunningApp,
)
from harness.runner._snapshot import write_snapshot
from harness.scorecard import Sandbox

NETWORK = "agent-harness"
RELAY_PREFIX = "[agent-harness-relay]"
LOG_TAIL_LINES = 60
PREPARE_SECONDS = 300.0  # servers, migrations and seeds before the app, beyond startup_timeout
MAX_DB_BYTES = 256 << 20  # the most of one database file copied out for the storage checks
# Ports tried on a repo-Dockerfile image (no relay there) besides $PORT and EXPOSE'd ones.
COMMON_PORTS = (3000, 5000, 8000, 8080)
_SQLITE_SCAN = r"""
import os, sys
seen = 0
for top in ("/app", "/tmp", "/data"):
    for d, dirs, files in os.walk(top):
        dirs[:] = [x for x in dirs if x not in ("node_modules", ".git", "__pycache__")]
        for f in files:
            seen += 1
            if seen > 20000:
                sys.exit(0)
            p = os.path.join(d, f)
            try:
                with open(p, "rb") as fh:
                    if fh.read(16) == b"SQLite format 3\x00":
                        print(p)
            except OSError:
                pass
"""


def _client(timeout: int = 600) -> Any:
    import docker  # the SDK is only needed when this runner is used

    return docker.from_env(timeout=timeout)


def docker_available(*, need_base_image: bool = True) -> tuple[bool, str]:
    """Whether an engine answers (and holds the base image); the reason names what is missing."""
    try:
        client = _client(timeout=10)
        version = client.version().get("Version", "?")
    except Exception as exc:
        return False, f"no Docker engine ({exc.__class__.__name__}): run .ci/docker-engine.sh"
    try:
        if need_base_image:
            import docker.errors

            try:
                client.images.get(BASE_IMAGE)
            except docker.errors.ImageNotFound:
                return (
                    False,
                    f"Docker engine {version} has no {BASE_IMAGE}: run .ci/docker-engine.sh",
                )
        return True, f"Docker engine {version}"
    finally:
        client.close()


def cleanup_stale(*, run_id: str | None = None) -> dict[str, int]:
    """Remove the containers and per-run images harness runs left behind (e.g. after kill -9);
    only those of one run when `run_id` is given."""
    client = _client(timeout=120)
    removed = {"containers": 0, "images": 0}
    c_filter = [f"{LABEL}=1"] + ([f"{LABEL}.run-id={run_id}"] if run_id else [])
    i_filter = [f"{LABEL}.run=1"] + ([f"{LABEL}.run-id={run_id}"] if run_id else [])
    try:
        for c in client.containers.list(all=True, filters={"label": c_filter}):
            with contextlib.suppress(Exception):
                c.remove(force=True, v=True)
                removed["containers"] += 1
        for img in client.images.list(filters={"label": i_filter}):
            with contextlib.suppress(Exception):
                client.images.remove(img.id, force=True)
                removed["images"] += 1

    finally:
        client.close()
    return removed


def _ensure_network(client: Any) -> str:
    """A bridge network with no outbound NAT and no traffic between containers."""
    import docker.errors

    for net in client.networks.list(names=[NETWORK]):
        if net.name == NETWORK:
            return NETWORK
    with contextlib.suppress(docker.errors.APIError):  # a parallel run may have made it
        client.networks.create(
            NETWORK,
            driver="bridge",
            options={
                "com.docker.network.bridge.enable_ip_masquerade": "false",
                "com.docker.network.bridge.enable_icc": "false",
            },
            labels={f"{LABEL}.network": "1"},
        )
    return NETWORK


def _build(
    client: Any, context: Path, tag: str, what: str, labels: dict[str, str] | None = None
) -> str:
    """Build `context` as `tag` with no network; returns the image id or raises LaunchError."""
    log: list[str] = []
    try:
        for chunk in client.api.build(
            path=str(context),
            tag=tag,
            rm=True,
            forcerm=True,
            pull=False,
            network_mode="none",
            labels=labels,
            decode=True,
        ):
            if "stream" in chunk:
                log.append(chunk["stream"])
            if "error" in chunk:
                log.append(chunk["error"])
                raise LaunchError(
                    f"building the {what} image failed: {chunk['error'].strip()}",
                    log_tail=_tail("".join(log)),
                )
    except LaunchError:
        raise
    except Exception as exc:
        raise LaunchError(f"building the {what} image failed: {exc}", _tail("".join(log))) from exc
    return client.images.get(tag).id


def _tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(
        src,
        dest,
        symlinks=True,
        ignore=lambda d, names: [n for n in names if n in _images.SKIP_DIRS or n.endswith(".pyc")],
    )


def _link_tree(src: Path, dest: Path) -> None:
    """Hard-link a cache directory into a build context (same filesystem), copy otherwise."""
    try:
        shutil.copytree(src, dest, symlinks=True, copy_function=_link_or_copy)
    except shutil.Error as exc:
        raise LaunchError(f"could not stage {src} for the image build: {exc}") from exc


def _link_or_copy(src: str, dst: str) -> None:
    try:
        Path(dst).hardlink_to(src)
    except OSError:
        shutil.copy2(src, dst)


def _stopped_before_app(app: DockerApp) -> str | None:
    """The local runner's reading of a start that stopped at a server or a preparation step."""
    if app.services is None:
        return None
    from harness.runner._local import _failed_step

    log = app.workdir / "start.log"
    log.write_text(app.logs(), encoding="utf-8")
    return _failed_step(log)


class DockerApp(RunningApp):
    """A started container, reachable on base_url (127.0.0.1, published port)."""

    runner = "docker"
    isolation = "docker"
    curl_prefix = "curl"

    def __init__(self, container: Any, base_url: str, workdir: Path, plan: ImagePlan | None):
        self._container = container
        self.base_url = base_url
        self.workdir = workdir
        self.inferred_dependencies = list(plan.inferred_dependencies) if plan else []
        self.notes: list[str] = list(plan.notes) if plan else []
        self.timings: dict[str, float] = {}
        self.image: str = ""
        self._last_logs = ""
        self._db_paths: list[str] = []
        self.services: _docker_services.DockerServices | None = None
        self._snapshot_lock = threading.Lock()

    @property
    def container_id(self) -> str:
        return str(self._container.id)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        kwargs.setdefault("timeout", 10.0)
        return httpx.AsyncClient(base_url=self.base_url, **kwargs)

    def _raw_logs(self) -> str:
        with contextlib.suppress(Exception):
            self._last_logs = self._container.logs(stdout=True, stderr=True).decode(
                "utf-8", errors="replace"
            )
        return self._last_logs

    def logs(self) -> str:
        return "".join(
            line for line in self._raw_logs().splitlines(keepends=True)
            if not line.startswith(RELAY_PREFIX)
        )  # fmt: skip

    def relay_status(self) -> str | None:
        """The relay's 'forwarding ... -> addr:port' line once the app listens."""
        for line in self._raw_logs().splitlines():
            if line.startswith(RELAY_PREFIX):
                return line[len(RELAY_PREFIX) :].strip()
        return None

    def status(self) -> str:
        try:
            self._container.reload()
        except Exception:
            return "removed"
        return str(self._container.status)

    def alive(self) -> bool:
        return self.status() in ("running", "restarting")

    def exit_code(self) -> int | None:
        with contextlib.suppress(Exception):
            self._container.reload()
            return int(self._container.attrs["State"]["ExitCode"])
        return None

    def db_files(self) -> list[Path]:
        """SQLite files in the container, copied (with -wal/-shm) into workdir/db on each call."""
        if self.alive():
            with contextlib.suppress(Exception):
                res = self._container.exec_run(
                    ["/usr/bin/python3", "-I", "-c", _SQLITE_SCAN], user="10001"
                )
                if res.exit_code == 0:
                    self._db_paths = res.output.decode(errors="replace").split()
                else:  # an image without python3 (a repo's own Dockerfile)
                    res = self._container.exec_run(
                        ["sh", "-c", "find / -xdev \\( -name '*.db' -o -name '*.sqlite*' \\) "
                         "-not -path '*/node_modules/*' -not -path '/proc/*' 2>/dev/null"]
                    )  # fmt: skip
                    self._db_paths = res.output.decode(errors="replace").split()
        out_dir = self.workdir / "db"
        copies: list[Path] = []
        if not self.alive():
            # /app was a tmpfs that went with the container: the last copies are what is left
            left = [d for d in (out_dir / p.lstrip("/") for p in self._db_paths) if d.is_file()]
            snapshot = self.workdir / "server-databases.sqlite"
            return left + ([snapshot] if self.services and snapshot.exists() else [])
        copies += self._server_snapshot()
        for path in self._db_paths:
            dest = out_dir / path.lstrip("/")
            if self._fetch(path, dest):
                copies.append(dest)
                for suffix in ("-wal", "-shm", "-journal"):
                    self._fetch(path + suffix, Path(str(dest) + suffix))
        return copies

    def _server_snapshot(self) -> list[Path]:
        """The rows of the app's database servers as one SQLite file the storage checks read
        (as LocalApp does); probes ask from several threads, so one dump at a time."""
        if self.services is None:
            return []
        snapshot = self.workdir / "server-databases.sqlite"
        with self._snapshot_lock:
            fresh = snapshot.with_name(f"snapshot-{secrets.token_hex(4)}.sqlite")
            if write_snapshot(self.database_dumps(), fresh):
                fresh.replace(snapshot)
            fresh.unlink(missing_ok=True)
        return [snapshot] if snapshot.exists() else []

    def database_dumps(self) -> dict[str, str]:
        """The rows of the app's database servers as text (a dump per database), read inside
        its container; empty for an app with no server."""
        out: dict[str, str] = {}
        for plan in self.services.services.plans if self.services else []:
            for argv in plan.dump:
                text = self._dump(argv)
                if text is not None:
                    out[f"{plan.kind}:{argv[-1]}"] = text
        return out

    def _dump(self, argv: list[str]) -> str | None:
        """One dump's output from its first row on, bounded; None when it failed. Not through
        ``run_command``, which keeps a log's tail: one large document or a few hundred rows
        would push out the rows printed first (the users, often)."""
        api = self._container.client.api
        try:
            exec_id = api.exec_create(
                self._container.id, ["timeout", "-s", "KILL", str(DUMP_SECONDS), *argv],
                stdout=True, stderr=False,
            )["Id"]  # fmt: skip
            chunks: list[bytes] = []
            size = 0
            for chunk in api.exec_start(exec_id, stream=True):
                chunks.append(chunk)
                size += len(chunk)
                if size >= MAX_DUMP_BYTES:
                    break
            data = b"".join(chunks)
            if size >= MAX_DUMP_BYTES:
                # the rows read so far are whole lines; the cut one is dropped
                data = data[:MAX_DUMP_BYTES].rsplit(b"\n", 1)[0]
            elif api.exec_inspect(exec_id).get("ExitCode") != 0:
                return None
        except Exception:
            return None
        return data.decode("utf-8", errors="replace")

    def _fetch(self, path: str, dest: Path) -> bool:
        # /app is a tmpfs, which the engine's archive API cannot read: read through the app's
        # own user inside the container (bounded), else through the archive API
        with contextlib.suppress(Exception):
            res = self._container.exec_run(
                ["head", "-c", str(MAX_DB_BYTES), path], user="10001", demux=True
            )
            if res.exit_code == 0 and res.output[0] is not None:
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(res.output[0])
                return True
        try:
            stream, _ = self._container.get_archive(path)
            data = b"".join(stream)
        except Exception:
            with contextlib.suppress(OSError):
                dest.unlink()  # a sidecar file that is gone now must not linger in the copy
            return False
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = next((m for m in tar.getmembers() if m.isfile()), None)
            fh = tar.extractfile(member) if member else None
            if fh is None:
                return False
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(fh.read())
        return True

    def run_command(
        self, argv: list[str], *, timeout: float = 120, env: dict[str, str] | None = None
    ) -> CommandResult:
        """docker exec as the container's user in its working directory (/app), with the app's
        environment and network. `timeout -s KILL` kills the command's process group at the
        deadline; a thread deadline covers an engine that does not answer."""
        secs = max(1, math.ceil(timeout))
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = self._container.exec_run(
                    ["timeout", "-s", "KILL", str(secs), *argv], environment=env or {}
                )
            except Exception as exc:
                box["error"] = exc

        t0 = time.monotonic()
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(secs + 30)
        seconds = round(time.monotonic() - t0, 3)
        if worker.is_alive():
            return CommandResult(
                argv=argv,
                exit_code=None,
                output=f"the engine did not finish the exec within {secs + 30} s",
                seconds=seconds,
                timed_out=True,
            )
        if "error" in box:
            raise LaunchError(f"docker exec in the app's container failed: {box['error']}")
        code = box["result"].exit_code
        output = tail_text(box["result"].output or b"")
        timed_out = code == 137 and seconds >= secs - 0.5  # timeout(1) sent SIGKILL
        return CommandResult(
            argv=argv,
            exit_code=None if timed_out else code,
            output=output,
            seconds=seconds,
            timed_out=timed_out,
        )

    def stop_gracefully(self, timeout: float = 10.0) -> dict[str, Any]:
        """docker stop: SIGTERM to the app (through tini), SIGKILL after `timeout` seconds."""
        t0 = time.monotonic()
        with contextlib.suppress(Exception):
            self._container.stop(timeout=max(1, math.ceil(timeout)))
        seconds = time.monotonic() - t0
        code = self.exit_code()
        killed = code == 137 and seconds >= timeout
        return {
            "exited": self.status() in ("exited", "dead", "removed"),
            "exit_code": code,
            "seconds": round(seconds, 3),
            "signal": "SIGTERM",
            "killed_after_timeout": killed,
        }


def _env_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The secret and database-path variable names the local runner sets, so both runners
    present an app with the same environment."""
    try:
        from harness.runner._local import DB_PATH_VARS, SECRET_VARS

        return tuple(SECRET_VARS), tuple(DB_PATH_VARS)
    except ImportError:
        return ("SECRET_KEY", "JWT_SECRET", "JWT_SECRET_KEY", "SESSION_SECRET"), (
            "DATABASE_PATH",
            "DB_PATH",
            "SQLITE_PATH",
        )


def container_env(
    plan: ImagePlan | None, env: dict[str, str] | None, profile: AppProfile | None = None
) -> dict[str, str]:
    """The environment the app sees: like the local runner's, with paths inside the container."""
    secret_vars, db_vars = _env_names()
    db_path = f"{CONTAINER_DATA_DIR}/app.db"
    port = str(plan.port if plan else 8000)
    base = {
        "PORT": port,
        "HOST": "0.0.0.0",
        "NODE_ENV": "production",  # run as deployed, as the local runner does
        "PYTHONUNBUFFERED": "1",
        "LANG": "C.UTF-8",
    }
    if profile is not None and profile.port_env and profile.port_env.isidentifier():
        base[profile.port_env] = port
    if profile is not None:  # the documented CORS allow-list, as the local runner sets it
        base |= origin_settings(Path(profile.root))
    base |= dict.fromkeys(db_vars, db_path)
    if plan is None or plan.kind == "python":
        base["DATABASE_URL"] = f"sqlite:///{db_path}"
    base |= {var: secrets.token_urlsafe(32) for var in secret_vars}
    base.update(env or {})
    return base


class DockerRunner:
    """Context manager: build the app's image, start its container, yield a DockerApp, and on
    every exit (normal, exception, Ctrl-C) remove the container and the per-run image."""

    def __init__(
        self,
        profile: AppProfile,
        *,
        env: dict[str, str] | None = None,
        startup_timeout: float = 60,
        use_repo_dockerfile: bool = False,
        limits: ResourceLimits | None = None,
        require_isolation: bool = False,
    ) -> None:
        self.profile = profile
        self.env = env
        self.startup_timeout = startup_timeout
        self.use_repo_dockerfile = use_repo_dockerfile
        # the local runner's bounds (and its HARNESS_APP_* settings): the container also holds
        # the app's database servers, whose data sits on a tmpfs that counts as its memory
        bounds = limits or ResourceLimits.from_env()
        self.limits = {
            "mem_limit": f"{bounds.memory_bytes // (1 << 20)}m",
            "pids_limit": bounds.pids,
            "cpus": bounds.cpu_cores,
        }
        self.disk_bytes = bounds.disk_bytes
        self.require_isolation = require_isolation
        self.run_id = uuid.uuid4().hex[:12]
        self.app: DockerApp | None = None
        self._client: Any = None
        self._container: Any = None
        self._image_id: str | None = None
        self._tmp: Path | None = None

    # -- context protocol --

    def __enter__(self) -> DockerApp:
        try:
            return self._start()
        except BaseException:
            self._teardown()
            raise

    def __exit__(self, *exc: object) -> None:
        self._teardown()

    # -- start --

    def _start(self) -> DockerApp:
        ok, reason = docker_available(need_base_image=not self.use_repo_dockerfile)
        if not ok:
            raise LaunchError(reason)
        if self.profile.services and self.use_repo_dockerfile:
            kinds = ", ".join(s.kind for s in self.profile.services)
            raise LaunchError(
                f"the app needs {kinds}; its private servers go into the harness's own image, "
                "not the repo's Dockerfile (run without use_repo_dockerfile)"
            )
        sandbox = self._sandbox()
        if self.require_isolation and sandbox.missing:
            raise LaunchError(
                "--require-isolation: the sandbox would be incomplete: "
                + "; ".join(sandbox.missing)
            )
        self._client = _client()
        self._tmp = Path(tempfile.mkdtemp(prefix=f"agent-harness-docker-{self.run_id}-"))
        timings: dict[str, float] = {}
        services = (
            _docker_services.plan(self.profile, self._tmp / "services.log")
            if self.profile.services
            else None
        )
        if self.use_repo_dockerfile:
            plan = None
            t0 = time.monotonic()
            self._image_id = self._build_repo_image()
            timings["app_image"] = time.monotonic() - t0
            ports = self._repo_ports()
        else:
            plan = _images.plan_image(self.profile)
            deps_image = self._deps_image(plan, timings)
            config = None
            if services is not None:
                t0 = time.monotonic()
                deps_image = _docker_services.layer(
                    self._client, deps_image, services.kinds, self._tmp,
                    self._tmp / "services.log", _build,
                )  # fmt: skip
                timings["services_image"] = time.monotonic() - t0
                plan.command, config = services.launcher(plan.command, plan.exports)
                plan.notes += services.services.notes
            t0 = time.monotonic()
            self._image_id = self._build_app_image(plan, deps_image, config)
            timings["app_image"] = time.monotonic() - t0
            ports = [RELAY_PORT]
        env = container_env(plan, self.env, self.profile)
        if services is not None:
            # the servers' settings, as the local runner hands them (no SQLite default then)
            if "DATABASE_URL" not in (self.env or {}):
                env.pop("DATABASE_URL", None)
            env |= services.services.env | (self.env or {})
            env["AGENT_HARNESS_SERVICE_PORTS"] = ",".join(map(str, services.ports))
        self._container = self._create(env, ports, relay=plan is not None, services=services)
        t0 = time.monotonic()
        self._container.start()
        workdir = self._tmp / "work"
        workdir.mkdir()
        app = DockerApp(self._container, "", workdir, plan)
        app.source_dir = Path(self.profile.root)
        app.sandbox = sandbox
        app.services = services
        self.app = app
        app.base_url = self._wait_ready(app, ports, relay=plan is not None)
        timings["start_to_ready"] = time.monotonic() - t0
        app.timings = {k: round(v, 3) for k, v in timings.items()}
        app.image = str(self._image_id)
        return app

    def _deps_image(self, plan: ImagePlan, timings: dict[str, float]) -> str:
        t0 = time.monotonic()
        if plan.kind == "python":
            key, cache = _docker_deps.python_wheels(plan)
            template, staged, tag = "python-deps.Dockerfile", "wheels", f"py-{key}"
        else:
            dev = self.profile.language == "typescript"
            key, cache = _docker_deps.node_modules(plan, dev=dev)
            template, staged, tag = "node-deps.Dockerfile", "node_modules", f"node-{key}"
            if cache is not None:
                cache = cache / "node_modules"
        timings["dependencies"] = time.monotonic() - t0
        if cache is None:
            return BASE_IMAGE
        # Keyed by the base image too: a rebuilt base (new recipe) gets fresh dependency layers.
        base_id = self._client.images.get(BASE_IMAGE).id.split(":")[-1][:12]
        image = f"agent-harness/deps:{tag}-{base_id}"
        t0 = time.monotonic()
        import docker.errors

        with contextlib.suppress(docker.errors.ImageNotFound):
            self._client.images.get(image)
            timings["deps_image"] = time.monotonic() - t0
            return image
        ctx = self._tmp / "deps-context"  # type: ignore[operator]
        ctx.mkdir()
        _link_tree(cache, ctx / staged)
        (ctx / "Dockerfile").write_text(
            _images.render(template, base_image=BASE_IMAGE, deps_key=key), encoding="utf-8"
        )
        _build(self._client, ctx, image, "dependency")
        shutil.rmtree(ctx, ignore_errors=True)
        timings["deps_image"] = time.monotonic() - t0
        return image

    def _build_app_image(
        self, plan: ImagePlan, deps_image: str, services_config: dict[str, Any] | None = None
    ) -> str:
        ctx = self._tmp / "app-context"  # type: ignore[operator]
        ctx.mkdir()
        _copy_tree(Path(self.profile.root), ctx / "app")
        data_dir = ctx / "app" / Path(CONTAINER_DATA_DIR).relative_to("/app")
        if not data_dir.exists():
            data_dir.mkdir(parents=True)
        if plan.kind == "node" and deps_image != BASE_IMAGE:
            (ctx / "app" / "node_modules").symlink_to("/opt/agent-harness/node_modules")
        shutil.copy2(_images.TEMPLATES / "relay.py", ctx / "relay.py")
        dockerfile = _images.app_dockerfile(plan, deps_image, self.run_id)
        if services_config is not None:
            # the launcher's per-run settings, outside /app (which the app may read and write)
            (ctx / "services.json").write_text(json.dumps(services_config), encoding="utf-8")
            dockerfile += f"COPY services.json {_docker_services.CONFIG}\n"
        (ctx / "Dockerfile").write_text(dockerfile, encoding="utf-8")
        tag = f"agent-harness/run:{self.run_id}"
        image_id = _build(self._client, ctx, tag, f"{plan.framework} app")
        shutil.rmtree(ctx, ignore_errors=True)
        return image_id

    def _build_repo_image(self) -> str:
        root = Path(self.profile.root)
        dockerfile = next(
            (root / n for n in ("Dockerfile", "dockerfile") if (root / n).is_file()), None
        )
        if dockerfile is None:
            raise LaunchError(f"use_repo_dockerfile was asked for but {root} has no Dockerfile")
        import docker.errors

        stages: set[str] = set()
        for m in re.finditer(
            r"(?im)^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", dockerfile.read_text()
        ):
            image, stage = m.group(1), m.group(2)
            if image.lower() not in stages and image != "scratch" and "$" not in image:
                try:
                    self._client.images.get(image)
                except docker.errors.ImageNotFound:
                    raise LaunchError(
                        f"the repo's Dockerfile starts FROM {image}, which is not in the local "
                        "image store and cannot be pulled here (no registry is reachable); run "
                        "without use_repo_dockerfile to build from the harness's template on "
                        f"{BASE_IMAGE}, or `docker load` that image first"
                    ) from None
            if stage:
                stages.add(stage.lower())
        tag = f"agent-harness/run:{self.run_id}"
        labels = {f"{LABEL}.run": "1", f"{LABEL}.run-id": self.run_id}
        return _build(self._client, root, tag, "repo Dockerfile", labels)

    def _repo_ports(self) -> list[int]:
        config = self._client.images.get(self._image_id).attrs.get("Config") or {}
        exposed = [int(p.split("/")[0]) for p in (config.get("ExposedPorts") or {})]
        wanted = [int((self.env or {}).get("PORT", 8000))]
        if self.profile.hardcoded_port:
            wanted.append(self.profile.hardcoded_port)
        return list(dict.fromkeys([*wanted, *exposed, *COMMON_PORTS]))

    def _sandbox(self) -> Sandbox:
        """What contains the app in this runner, as it will be applied."""
        own = not self.use_repo_dockerfile
        mem = self.limits["mem_limit"]
        missing = [] if own else ["user: the repo's Dockerfile chooses it (it may be root)"]
        return Sandbox(
            network="a bridge without outbound NAT; one port published on 127.0.0.1",
            processes="the container's PID namespace, with an init that reaps",
            filesystem=(
                "the image read-only; /app (a copy of the repo) and /tmp writable"
                + (
                    f"; its database servers' data on a tmpfs ({_docker_services.DATA_ROOT})"
                    if self.profile.services
                    else ""
                )
                if own
                else "the repo's image, writable; /tmp writable"
            ),
            user="uid 10001, no capabilities, no-new-privileges"
            if own
            else "the repo Dockerfile's user, no-new-privileges",
            limits={
                "memory": f"{mem} (docker)",
                "processes": f"{self.limits['pids_limit']} (docker)",
                "cpu": f"{self.limits['cpus']:g} core(s) (docker)",
                "disk": f"{self.disk_bytes >> 20} MiB for /app, 64 MiB for /tmp (tmpfs)"
                if own
                else "64 MiB for /tmp (tmpfs); the image's own layer unbounded",
            },
            installs=install_confinement(),
            missing=missing + ([] if own else ["disk: the repo image's layer is not bounded"]),
        )

    def _create(
        self,
        env: dict[str, str],
        ports: list[int],
        *,
        relay: bool,
        services: _docker_services.DockerServices | None = None,
    ) -> Any:
        network = _ensure_network(self._client)
        hardening: dict[str, Any] = {"security_opt": ["no-new-privileges"]}
        if relay:
            # Our own image: unprivileged user, read-only root, writable /app and /tmp. /app is
            # a size-limited tmpfs that the start command fills from the image, so a disk filler
            # meets its bound instead of the engine's disk.
            app_fs = f"rw,nosuid,nodev,size={self.disk_bytes},exec,mode=0755,uid=10001,gid=10001"
            hardening |= {
                "read_only": True,
                "tmpfs": {"/tmp": "rw,nosuid,nodev,size=64m,mode=1777", "/app": app_fs},
                "cap_drop": ["ALL"],
            }
            if services is not None:
                # the servers' data: a tmpfs of its own, counted in the container's memory
                db_fs = "rw,nosuid,nodev,size=256m,mode=0700,uid=10001,gid=10001"
                hardening["tmpfs"][_docker_services.DATA_ROOT] = db_fs
                # compose names (db, redis...) are the container's own loopback, as in the
                # local sandbox
                hardening["extra_hosts"] = dict.fromkeys(services.services.hostnames, "127.0.0.1")
        else:
            hardening["cap_drop"] = ["NET_RAW", "MKNOD", "AUDIT_WRITE", "SYS_CHROOT"]
        return self._client.containers.create(
            self._image_id,
            name=f"agent-harness-{self.run_id}",
            labels={LABEL: "1", f"{LABEL}.run-id": self.run_id},
            environment=env,
            ports={f"{p}/tcp": ("127.0.0.1", None) for p in ports},
            network=network,
            init=True,
            mem_limit=self.limits["mem_limit"],
            pids_limit=self.limits["pids_limit"],
            nano_cpus=int(float(self.limits["cpus"]) * 1e9),
            **hardening,
        )

    def _published(self, port: int) -> int | None:
        self._container.reload()
        bindings = (self._container.attrs["NetworkSettings"]["Ports"] or {}).get(f"{port}/tcp")
        return int(bindings[0]["HostPort"]) if bindings else None

    def _wait_ready(self, app: DockerApp, ports: list[int], *, relay: bool) -> str:
        """Poll until the app answers HTTP on a published 127.0.0.1 port, up to the deadline
        (longer by the preparation allowance when servers, migrations and seeds come first)."""
        extra = PREPARE_SECONDS if app.services is not None else 0.0
        deadline = time.monotonic() + self.startup_timeout + extra
        published = {p: self._published(p) for p in ports}
        candidates = [f"http://127.0.0.1:{h}" for p, h in published.items() if h]
        if not candidates:
            raise LaunchError("the container got no published port on 127.0.0.1", _tail(app.logs()))
        with httpx.Client(timeout=2.0) as http:
            while True:
                status = app.status()
                if status not in ("running", "created", "restarting"):
                    code = app.exit_code()
                    raise LaunchError(
                        _stopped_before_app(app)
                        or f"the app exited (code {code}) before answering HTTP; see the log tail",
                        _tail(app.logs()),
                    )
                if not relay or app.relay_status():
                    for url in candidates:
                        try:
                            http.get(url + "/")
                            return url
                        except httpx.HTTPError:
                            pass
                if time.monotonic() >= deadline:
                    where = app.relay_status() or "the app never listened on a TCP port"
                    raise LaunchError(
                        f"the app did not answer HTTP within {self.startup_timeout:g} s ({where})",
                        _tail(app.logs()),
                    )
                time.sleep(0.2)

    # -- teardown --

    def _teardown(self) -> None:
        """Remove the container (and its volume) and the per-run image; keep cached layers."""
        if self.app is not None:
            self.app._raw_logs()  # keep the logs readable after the container is gone
        if self._container is not None:
            with contextlib.suppress(Exception):
                self._container.remove(force=True, v=True)
            self._container = None

        if self._client is not None:
            if self._image_id is not None:
                with contextlib.suppress(Exception):
                    self._client.images.remove(self._image_id, force=True)
                self._image_id = None
            else:  # interrupted mid-build: the tag may exist already
                with contextlib.suppress(Exception):
                    self._client.images.remove(f"agent-harness/run:{self.run_id}", force=True)
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def start_docker_app(
    profile: AppProfile,
    *,
    env: dict[str, str] | None = None,
    startup_timeout: float = 60,
    use_repo_dockerfile: bool = False,
) -> DockerRunner:
    """`with start_docker_app(profile) as app:` -- the docker runner's entry point."""
    return DockerRunner(
        profile, env=env, startup_timeout=startup_timeout, use_repo_dockerfile=use_repo_dockerfile
    )
