"""Database servers for the docker runner, inside the app's own container.

The servers are the ones the local runner starts: this machine's Debian packages (PostgreSQL,
MariaDB, Redis), copied at their own paths into a layer over the app's dependency image together
with the shared libraries they need that the image lacks and the initialised data templates of
``_services``; for MongoDB the FerretDB binary the harness built (``_mongo``, a static Go
program) and an empty data template. The layer is tagged by the package versions, the FerretDB
build, the templates and the image below it, and kept like the dependency layers, so a warm run
builds nothing for it.

In the container a launcher (templates/services_launch.py) copies each template into a tmpfs of
its own, starts the servers as the app's uid on the container's loopback, creates the roles and
databases, runs the migrations and seeds (a failing one stops the start), then execs the app.
The servers share the app's network namespace, limits and lifetime: no network beyond the app's,
nothing left once the container is removed. Connection settings, setup and dump commands come
from ``_services.plan_services`` unchanged, so both runners hand the app the same environment.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.app._model import AppProfile
from harness.runner import _images, _inside, _mongo
from harness.runner._deps import Installed
from harness.runner._migrate import migration_steps, seed_steps
from harness.runner._model import LaunchError
from harness.runner._services import ServicePlan, Services, _pg_bin, _template, plan_services

DATA_ROOT = "/var/lib/agent-harness"  # a tmpfs of the container, the servers' data
HOME = "/opt/agent-harness/services"  # templates and launcher, in the image
CONFIG = "/opt/agent-harness/services.json"  # per run, in the app layer
MONGO_BIN = f"{HOME}/bin/ferretdb"  # the harness's FerretDB build, in the image
DEBIAN_KINDS = ("postgres", "mysql", "redis")  # servers copied from this machine's packages
APP_UID = 10001
# files of a server package the servers never read
SKIP = re.compile(
    r"^/(etc|lib/systemd|usr/lib/systemd|usr/share/(doc|man|lintian|locale|bash-completion|"
    r"apport|bug))/|/llvmjit|/bitcode/"
)
# libraries every image has; copying them could only shadow the image's own
CORE_LIBS = re.compile(r"^(libc|libm|libdl|librt|libpthread|ld-linux[\w-]*|linux-vdso)\.so")


@dataclass
class DockerServices:
    """The servers of one docker run: the shared plan plus what the container needs."""

    services: Services
    kinds: list[str]
    prepare: list[list[str]] = field(default_factory=list)

    @property
    def ports(self) -> list[int]:
        return [p.port for p in self.services.plans]

    def launcher(self, app_command: str, exports: dict[str, str]) -> tuple[str, dict[str, Any]]:
        """(the container's start snippet, the launcher's JSON config) around the app command;
        ``exports`` are the variables the app command sets that the steps need too."""
        config = {
            "cwd": "/app",
            "exports": exports,
            "data": [
                [f"{HOME}/templates/{p.kind}", str(p.data_dir)]
                for p in self.services.plans
                if p.data_dir is not None
            ],
            "services": [
                {"kind": p.kind, "command": _in_container(p), "port": p.port, "setup": p.setup}
                for p in self.services.plans
            ],
            "prepare": self.prepare,
            "command": app_command,
        }
        return f"exec /usr/bin/python3 -I {HOME}/services_launch.py {CONFIG}", config


def _in_container(plan: ServicePlan) -> list[str]:
    """A server's command as the container runs it: on its loopback, from the image's paths."""
    command = _loopback(plan.command)
    if plan.kind == "mongo":  # the host's build sits in the harness cache, the image's here
        command[0] = MONGO_BIN
    return command


def _loopback(command: list[str]) -> list[str]:
    """A server bound to the container's loopback only: its network namespace also holds the
    bridge interface, which the local sandbox's has not."""
    out = list(command)
    if "-h" in out and out[out.index("-h") + 1] == "*":  # PostgreSQL's listen_addresses
        out[out.index("-h") + 1] = "127.0.0.1"
    return out


def plan(profile: AppProfile, log: Path) -> DockerServices:
    """The servers, environment and preparation steps of ``profile`` in a container; raises
    LaunchError naming a server this machine cannot provide (as the local runner does)."""
    services = plan_services(profile, Path(DATA_ROOT), log, stage=False)
    root = Path(profile.root)
    installed = Installed(path=Path("/opt/venv"), key="image", cached=True, seconds=0.0)
    steps = [*migration_steps(profile, root, installed), *seed_steps(profile, root)]
    scripts = _scripts(root)
    prepare = [_in_image(step, str(root), scripts) for step in steps]
    if prepare:
        shown = "; ".join(shlex.join(s) for s in prepare)
        services.notes.append(f"migrations and seeds (each required): {shown}")
    return DockerServices(services, [p.kind for p in services.plans], prepare)


def _scripts(root: Path) -> dict[str, str]:
    try:
        scripts = json.loads((root / "package.json").read_text()).get("scripts") or {}
    except (OSError, ValueError, AttributeError):
        return {}
    return {k: v for k, v in scripts.items() if isinstance(v, str)}


def _in_image(step: list[str], root: str, scripts: dict[str, str]) -> list[str]:
    """A preparation step as the image runs it: repo paths moved to /app, and ``npm run X``
    (the image carries node, not npm) as the script's own command with the package bins."""
    step = [a.replace(root, "/app") for a in step]
    if step[:2] == ["npm", "run"]:
        name = next((a for a in step[2:] if not a.startswith("-")), "")
        if name in scripts:
            return ["sh", "-c", f"PATH=/app/node_modules/.bin:$PATH; {scripts[name]}"]
    return step


# --- the layer ---------------------------------------------------------------------------------


def _binaries(kind: str) -> list[str]:
    if kind == "postgres":
        pg = _pg_bin()
        return [str(pg / b) for b in ("postgres", "psql", "pg_dump")] if pg else []
    if kind == "mysql":
        return ["/usr/sbin/mariadbd", "/usr/bin/mariadb", "/usr/bin/mariadb-dump"]
    if kind == "redis":
        return ["/usr/bin/redis-server", "/usr/bin/redis-cli"]
    return []  # MongoDB: no Debian package, the harness's own build (``_mongo_binary``)


def _packages(kinds: list[str]) -> list[str]:
    """The Debian packages that own the servers' and clients' binaries (none for MongoDB)."""
    kinds = [k for k in kinds if k in DEBIAN_KINDS]
    if not kinds:
        return []  # dpkg-query with no package would list every one
    paths = [p for k in kinds for b in _binaries(k) for p in {b, os.path.realpath(b)}]
    out = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True, check=False)
    found = set()
    for line in out.stdout.splitlines():
        owners = line.split(": ", 1)[0]
        found |= {o.strip().split(":")[0] for o in owners.split(",")}
    if not found:
        raise LaunchError(f"no Debian package owns the {', '.join(kinds)} server binaries here")
    return sorted(found)


def _versions(packages: list[str]) -> str:
    if not packages:
        return ""
    fmt = "${Package}=${Version}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt, *packages], capture_output=True,
                         text=True, check=False)  # fmt: skip
    return out.stdout


def _files(packages: list[str]) -> list[str]:
    if not packages:
        return []
    out = subprocess.run(["dpkg", "-L", *packages], capture_output=True, text=True, check=False)
    return sorted(
        {
            f
            for f in out.stdout.splitlines()
            if f.startswith("/") and not SKIP.search(f) and (os.path.islink(f) or os.path.isfile(f))
        }
    )


def _libraries(files: list[str]) -> dict[str, str]:
    """{soname: path} of the shared libraries the ELF files among ``files`` load."""
    libs: dict[str, str] = {}
    for f in files:
        if os.path.islink(f):
            continue
        with open(f, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(["ldd", f], capture_output=True, text=True, check=False)
        for m in re.finditer(r"^\s*(\S+) => (/\S+)", out.stdout, re.M):
            if not CORE_LIBS.match(m.group(1)):
                libs.setdefault(m.group(1), m.group(2))
    return libs


def _links(kinds: list[str]) -> str:
    """PostgreSQL's clients by their bare names (the host's /usr/bin ones are perl wrappers)."""
    pg = _pg_bin()
    if "postgres" not in kinds or pg is None:
        return ""
    return f"&& ln -sf {pg}/psql {pg}/pg_dump /usr/local/bin/"


def _mongo_binary(kinds: list[str]) -> Path | None:
    """The FerretDB build the layer carries when the app needs MongoDB (``plan`` built it)."""
    if "mongo" not in kinds:
        return None
    binary = _mongo.server_binary()
    if binary is None:
        raise LaunchError(f"the app needs mongo: {_mongo.missing_mongo() or 'no FerretDB build'}")
    return binary


def _build_id(binary: Path | None) -> str:
    """What tells one FerretDB build from another (a rebuild gets a fresh layer)."""
    if binary is None:
        return ""
    stat = binary.stat()
    return f"ferretdb:{_mongo.VERSION}:{stat.st_size}:{stat.st_mtime_ns}"


def _empty_dir(tar: tarfile.TarFile, arcname: str) -> None:
    info = _owned_by_app(tarfile.TarInfo(arcname))
    info.type, info.mode = tarfile.DIRTYPE, 0o700
    tar.addfile(info)


def _owned_by_app(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = APP_UID
    info.uname = info.gname = ""
    return info


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o755
    return info


def layer(
    client: Any,
    deps_image: str,
    kinds: list[str],
    workdir: Path,
    log: Path,
    build: Callable[[Any, Path, str, str], str],
) -> str:
    """The services layer over ``deps_image`` (built now when not cached); its tag."""
    import docker.errors

    packages = _packages(kinds)
    templates = {k: _template(k, log) for k in kinds if k in ("postgres", "mysql")}
    mongo = _mongo_binary(kinds)
    launcher = _images.TEMPLATES / "services_launch.py"
    key = hashlib.sha256()
    for part in (
        ",".join(kinds),
        _versions(packages),
        client.images.get(deps_image).id,
        _build_id(mongo),
        *(f"{k}:{(t.parent / '.ready').stat().st_mtime_ns}" for k, t in templates.items()),
        launcher.read_text(),
        Path(_inside.__file__).read_text(),
        (_images.TEMPLATES / "services.Dockerfile").read_text(),
    ):
        key.update(part.encode())
    tag = f"agent-harness/services:{'-'.join(kinds)}-{key.hexdigest()[:16]}"
    try:
        client.images.get(tag)
        return tag
    except docker.errors.ImageNotFound:
        pass
    ctx = workdir / "services-context"
    (ctx / "libs").mkdir(parents=True)
    files = _files(packages)
    with tarfile.open(ctx / "root.tar", "w") as tar:
        for f in files:
            tar.add(f, arcname=f.lstrip("/"), recursive=False)
        if mongo is not None:  # root-owned and read-only in the image like the packages' files
            tar.add(mongo, arcname=MONGO_BIN.lstrip("/"), filter=_owned_by_root)
    for name, path in _libraries(files + ([str(mongo)] if mongo else [])).items():
        if path not in files:
            shutil.copy2(path, ctx / "libs" / name)  # follows the soname's symlink
    with tarfile.open(ctx / "templates.tar", "w") as tar:
        for kind, data in templates.items():
            tar.add(data, arcname=f"{HOME.lstrip('/')}/templates/{kind}", filter=_owned_by_app)
        if mongo is not None:  # FerretDB fills an empty folder itself, one file per database
            _empty_dir(tar, f"{HOME.lstrip('/')}/templates/mongo")
    shutil.copy2(launcher, ctx / "services_launch.py")
    shutil.copy2(_inside.__file__, ctx / "_inside.py")
    dockerfile = _images.render(
        "services.Dockerfile", deps_image=deps_image, kinds=",".join(kinds), links=_links(kinds)
    )
    (ctx / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    build(client, ctx, tag, "database server")
    shutil.rmtree(ctx, ignore_errors=True)
    return tag
