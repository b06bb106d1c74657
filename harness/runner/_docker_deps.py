"""Host-side dependency caches for container images: Python wheels and Node node_modules.

Containers reach no package registry, so dependencies are fetched on the host (pip wheel /
npm install, from the registries the host reaches) into a cache directory keyed by a hash of
the dependency declaration, and copied into the image's build context. A cache entry is built
in a temp dir, renamed into place when complete, and guarded by a file lock so that parallel
runs share it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from harness.runner._deps import cache_dir, install_env, locked, npm_env
from harness.runner._exec import run_confined
from harness.runner._images import ImagePlan
from harness.runner._model import LaunchError

INSTALL_TIMEOUT_S = 900
# The base image's interpreter (Debian bookworm's python3): wheels are resolved on the host's
# 3.11, whose patch level may differ, so requirements marked for the image's alone (e.g.
# redis's `async-timeout; python_full_version < "3.11.3"`) are added after the host's pass.
IMAGE_PYTHON = {"python_version": "3.11", "python_full_version": "3.11.2", "extra": ""}
_LOCAL_REQ = re.compile(r"^\s*(-e\b|--editable\b|\.|/|file:)")


def cache_root() -> Path:
    return cache_dir()


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _install(cmd: list[str], workdir: Path, env: dict[str, str]) -> tuple[int, str]:
    """One install step, confined like the local runner's (install scripts are untrusted);
    (exit code, output)."""
    log = workdir.with_name(workdir.name + ".log")
    try:
        code = run_confined(
            cmd, cwd=workdir, env=env, log=log, timeout=INSTALL_TIMEOUT_S, writable=[workdir]
        )
        return code, log.read_text(errors="replace") if log.exists() else ""
    finally:
        log.unlink(missing_ok=True)


# --- Python -----------------------------------------------------------------------------------


def _requirement_lines(plan: ImagePlan) -> list[str]:
    """The plan's requirements as one flat list; local/editable lines are dropped (the app's
    own code is copied, not installed, and building it would run its setup code on the host)."""
    lines: list[str] = []
    seen: set[Path] = set()

    def read(path: Path) -> None:
        if path in seen or not path.is_file():
            return
        seen.add(path)
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = raw.split(" #")[0].strip()
            if not line or line.startswith("#") or _LOCAL_REQ.match(line):
                continue
            m = re.match(r"^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
            if m:
                read((path.parent / m.group(2)).resolve())
                continue
            lines.append(line)

    for f in plan.requirement_files:
        read(f.resolve())
    lines.extend(r for r in plan.requirements if not _LOCAL_REQ.match(r))
    return lines


def _wheel_python() -> str:
    """A Python 3.11 interpreter on the host: wheels must fit the image's python3 (3.11)."""
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which("python3.11")
    if found:
        return found
    raise LaunchError(
        "building the image's wheels needs a Python 3.11 interpreter on the host "
        "(the base image runs Debian bookworm's python3.11); install python3.11"
    )


def python_wheels(plan: ImagePlan) -> tuple[str, Path | None]:
    """(cache key, directory of wheels) for the plan's requirements; None when there are none."""
    lines = _requirement_lines(plan)
    key = hashlib.sha256(json.dumps(["py311-v2", sorted(lines)]).encode()).hexdigest()[:20]
    if not lines:
        return key, None
    return key, _built_once(cache_root() / "wheels" / key, lambda tmp: _build_wheels(tmp, lines))


def _built_once(final: Path, build: Callable[[Path], Path]) -> Path:
    """The cache entry ``final``, built now if it is not complete: ``build`` fills a scratch
    folder beside it and returns the folder to keep, which is renamed into place and marked
    complete. Under a lock file, so parallel runs build an entry once."""
    if (final / ".complete").exists():
        return final
    with locked(final.parent / f"{final.name}.lock"):
        if (final / ".complete").exists():
            return final
        tmp = Path(tempfile.mkdtemp(prefix=f"{final.name}.", dir=final.parent))
        try:
            kept = build(tmp)
            shutil.rmtree(final, ignore_errors=True)
            kept.rename(final)
            (final / ".complete").touch()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def _build_wheels(tmp: Path, lines: list[str]) -> Path:
    """Wheels of the requirement ``lines`` (and of the image python's own) in ``tmp/wheels``."""
    (tmp / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [
        _wheel_python(),
        "-m",
        "pip",
        "wheel",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        "--wheel-dir",
        str(tmp / "wheels"),
        "-r",
        str(tmp / "requirements.txt"),
    ]
    code, output = _install(cmd, tmp, install_env())
    if code == 124:
        raise LaunchError(f"pip wheel took longer than {INSTALL_TIMEOUT_S} s")
    if code != 0:
        raise LaunchError(
            f"pip wheel failed for the app's requirements ({', '.join(lines)}); "
            "check the names and versions",
            log_tail=_tail(output),
        )
    _add_image_only(cmd[:-2], tmp)
    (tmp / "wheels" / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp / "wheels"


def _image_only(wheels: Path) -> list[str]:
    """Requirements of the built wheels that apply on the image's python but were skipped on
    the host's, and are not built yet."""
    have = {canonicalize_name(w.name.split("-")[0]) for w in wheels.glob("*.whl")}
    host = {"extra": ""}
    wanted: dict[str, str] = {}
    for whl in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(whl) as zf:
            meta = next((n for n in zf.namelist() if n.endswith(".dist-info/METADATA")), None)
            text = zf.read(meta).decode("utf-8", "replace") if meta else ""
        for line in text.splitlines():
            if not line.startswith("Requires-Dist:"):
                continue
            try:
                req = Requirement(line.split(":", 1)[1].strip())
            except InvalidRequirement:
                continue
            name = canonicalize_name(req.name)
            if req.marker is None or name in have:
                continue
            if req.marker.evaluate(IMAGE_PYTHON) and not req.marker.evaluate(host):
                req.marker = None
                wanted[name] = str(req)
    return sorted(wanted.values())


def _add_image_only(wheel_cmd: list[str], tmp: Path) -> None:
    """Build the image-only requirements (and theirs) into the same wheel directory."""
    for _ in range(3):  # each pass may bring requirements of its own
        extra = _image_only(tmp / "wheels")
        if not extra:
            return
        (tmp / "image-only.txt").write_text("\n".join(extra) + "\n", encoding="utf-8")
        code, output = _install([*wheel_cmd, "-r", str(tmp / "image-only.txt")], tmp, install_env())
        if code != 0:
            raise LaunchError(
                f"pip wheel failed for the image python's own requirements ({', '.join(extra)})",
                log_tail=_tail(output),
            )


# --- Node -------------------------------------------------------------------------------------


def _node_version() -> str:
    node = shutil.which("node")
    if not node:
        return "none"
    proc = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    return proc.stdout.strip()


def node_modules(plan: ImagePlan, *, dev: bool = False) -> tuple[str, Path | None]:
    """(cache key, directory holding node_modules) for the plan's package files."""
    files = dict(plan.package_files)
    try:
        pkg = json.loads(files.get("package.json", "{}"))
    except ValueError:
        pkg = {}
    wanted = dict(pkg.get("dependencies") or {})
    if dev:
        wanted.update(pkg.get("devDependencies") or {})
    blob = json.dumps(["node-v1", _node_version(), dev, sorted(files.items())])
    key = hashlib.sha256(blob.encode()).hexdigest()[:20]
    if not wanted:
        return key, None
    npm = shutil.which("npm")
    if not npm:
        raise LaunchError("the app needs npm packages but npm is not installed on the host")
    return key, _built_once(
        cache_root() / "node" / key,
        lambda tmp: _npm_install(tmp, npm, pkg, files.get("package-lock.json"), dev, wanted),
    )


def _npm_install(
    tmp: Path, npm: str, pkg: dict[str, Any], lock: str | None, dev: bool, wanted: dict[str, str]
) -> Path:
    """node_modules in ``tmp`` for the app's ``package.json`` (``pkg``) and lock file."""
    # The app's own lifecycle scripts (preinstall, postinstall...) would run on the host:
    # drop them; the dependencies' own install scripts still run (native modules).
    pkg.pop("scripts", None)
    (tmp / "package.json").write_text(json.dumps(pkg, indent=2), encoding="utf-8")
    if lock:
        (tmp / "package-lock.json").write_text(lock, encoding="utf-8")
    cmd = [npm, "ci" if lock else "install", "--no-audit", "--no-fund"]
    cmd += ["--loglevel=error"] + ([] if dev else ["--omit=dev"])
    env = npm_env()
    code, output = _install(cmd, tmp, env)
    if code != 0 and code != 124 and lock:
        # A stale lock file: fall back to a fresh resolution as a developer would.
        (tmp / "package-lock.json").unlink()
        cmd[1] = "install"
        code, output = _install(cmd, tmp, env)
    if code == 124:
        raise LaunchError(f"npm install took longer than {INSTALL_TIMEOUT_S} s")
    if code != 0:
        raise LaunchError(
            f"npm {cmd[1]} failed for the app's dependencies ({', '.join(wanted)})",
            log_tail=_tail(output),
        )
    (tmp / "node_modules").mkdir(exist_ok=True)
    return tmp
