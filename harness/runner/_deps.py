"""Installing an app's dependencies into caches shared between runs.

Python: one virtualenv per hash of (dependency files or inferred list, server extras, Python
version). Node: one node_modules per hash of (package.json, lockfile, Node version). Builds are
guarded by a file lock so parallel scores never build the same environment at once; a ``.ready``
file marks a finished build, so a crashed build is redone rather than reused.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harness.app import AppProfile, read_text
from harness.app._deps import requirement_name
from harness.runner._exec import run_confined
from harness.runner._model import LaunchError

DEV_REQUIREMENTS = re.compile(r"requirements[-_.]?(dev|test|tests|lint|docs|ci)\b", re.IGNORECASE)
# Generated code is mostly written against Express 4 (Express 5 rejects '*' routes); an inferred
# dependency gets the major version the code most likely expects.
NODE_INFERRED_VERSIONS = {"express": "^4.21.2"}


def cache_dir() -> Path:
    """HARNESS_CACHE_DIR, else ~/.cache/agent-harness."""
    env = os.environ.get("HARNESS_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "agent-harness"


def test_tools_dir() -> Path:
    """Where the tools that run a repo's own test suite are installed (shown read-only to the
    app's sandbox, so the suite can use them)."""
    path = cache_dir() / "test-tools"
    path.mkdir(parents=True, exist_ok=True)
    return path


def install_timeout() -> float:
    return float(os.environ.get("HARNESS_INSTALL_TIMEOUT", "900"))


@dataclass
class Installed:
    path: Path  # the venv, or the directory holding node_modules
    key: str
    cached: bool  # True when an earlier run had built it
    seconds: float
    notes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (a lock file), so parallel runs build a cache entry once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _locked(name: str) -> contextlib.AbstractContextManager[None]:
    return locked(cache_dir() / "locks" / f"{name}.lock")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _tool_env() -> dict[str, str]:
    keep = (
        "PATH",
        "HOME",
        "LANG",
        "LC_ALL",
        "TMPDIR",
        "SSL_CERT_FILE",
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "PIP_CERT",
        "npm_config_registry",
        "NPM_CONFIG_REGISTRY",
        "PIP_NO_CACHE_DIR",
        "PIP_FIND_LINKS",
        "PIP_DEFAULT_TIMEOUT",
        "NODE_EXTRA_CA_CERTS",
        "REQUESTS_CA_BUNDLE",
    )
    # Download caches are left out on purpose: a package's install script could poison a cache
    # that later installs trust; each install gets a private, throwaway one.
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return env


def install_env() -> dict[str, str]:
    """The environment of a confined install step (registry settings, no download caches)."""
    env = _tool_env()
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


# ----------------------------------------------------------------------------- Python


def python_requirements(profile: AppProfile) -> tuple[list[str], list[str]]:
    """(pip arguments, files hashed) for the app: its requirement files or the inferred list."""
    root = Path(profile.root)
    files = [f for f in profile.dependency_files if Path(f).name.startswith("requirements")]
    files = [f for f in files if f.endswith(".txt")]
    main = [f for f in files if not DEV_REQUIREMENTS.search(Path(f).name)] or files
    args: list[str] = []
    for f in main:
        args += ["-r", str(root / f)]
    if not main:
        other = [d for d in profile.declared_dependencies if requirement_name(d)]
        args += other or list(profile.inferred_dependencies)
    hashed = [*main]
    if not main:
        hashed += [f for f in profile.dependency_files if f in ("pyproject.toml", "Pipfile")]
    return args, hashed


# Optional extras a framework feature needs at run time but that the feature's import does not
# pull in: (pattern in the app's code, distribution). Generated apps often use the feature and
# forget the extra; without it they never start.
FEATURE_EXTRAS = (
    (re.compile(r"\bSessionMiddleware\b"), "itsdangerous"),
    (re.compile(r"\b(Form|UploadFile|File)\s*\("), "python-multipart"),
    (re.compile(r"\bOAuth2PasswordRequestForm\b"), "python-multipart"),
    (re.compile(r"\bJinja2Templates\b"), "jinja2"),
    (re.compile(r"\bEmailStr\b"), "email-validator"),
)


def server_extras(profile: AppProfile, specs: list[str]) -> list[str]:
    """What it takes to serve the app that it may not declare: uvicorn for FastAPI, and the
    optional extras of the framework features its code uses (FEATURE_EXTRAS)."""
    names = {(requirement_name(s) or "").lower() for s in specs}
    text = " ".join(specs).lower()
    extras: list[str] = []
    served = profile.framework in ("fastapi", "litestar")  # ASGI apps uvicorn serves
    if served and "uvicorn" not in names and "uvicorn" not in text:
        extras.append("uvicorn")
    if profile.language != "python":
        return extras
    source = " ".join(
        read_text(Path(profile.root) / rel) or "" for rel in profile.source_files[:300]
    )
    for pattern, dist in FEATURE_EXTRAS:
        if dist not in names and dist not in extras and pattern.search(source):
            extras.append(dist)
    return extras


def python_env(profile: AppProfile, log: Path) -> Installed:
    """The cached virtualenv for ``profile`` (built now if missing)."""
    root = Path(profile.root)
    args, hashed = python_requirements(profile)
    req_text = "".join(
        (root / a).read_text(errors="replace") if i and args[i - 1] == "-r" else ""
        for i, a in enumerate(args)
    )
    specs = [a for a in args if a != "-r" and not a.startswith(str(root))]
    specs += [ln.strip() for ln in req_text.splitlines() if requirement_name(ln)]
    extras = server_extras(profile, specs)
    h = hashlib.sha256()
    h.update(f"py{sys.version_info[:3]}-{sys.implementation.name}".encode())
    for f in hashed:
        h.update(f.encode() + b"\0")
        with contextlib.suppress(OSError):
            h.update((root / f).read_bytes())
    h.update(json.dumps([a for a in args if not a.startswith(str(root))] + extras).encode())
    key = h.hexdigest()[:20]
    venv = cache_dir() / "venvs" / key
    return _cached(venv, key, f"py-{key}", lambda: _build_venv(venv, root, args, extras, log))


def _cached(home: Path, key: str, lock: str, build: Callable[[], list[str]]) -> Installed:
    """The finished build at ``home``, or a fresh one by ``build`` (which returns its notes);
    under the ``lock`` file, so parallel runs build it once. A build that did not finish
    (no ``.ready``) is thrown away and redone."""
    start = time.monotonic()
    with _locked(lock):
        if (home / ".ready").exists():
            return Installed(home, key, True, time.monotonic() - start, _read_notes(home))
        if home.exists():
            shutil.rmtree(home, ignore_errors=True)
        notes = build()
        (home / "notes.json").write_text(json.dumps(notes))
        (home / ".ready").write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
        return Installed(home, key, False, time.monotonic() - start, notes)


def _read_notes(path: Path) -> list[str]:
    try:
        return list(json.loads((path / "notes.json").read_text()))
    except (OSError, ValueError):
        return []


def _build_venv(venv: Path, root: Path, args: list[str], extras: list[str], log: Path) -> list[str]:
    env = _tool_env()
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    venv.parent.mkdir(parents=True, exist_ok=True)
    py = str(venv / "bin" / "python")
    # the harness's own pip installs into the new venv (pip --python): no ensurepip, which
    # costs seconds per venv; a venv with its own pip when that is not possible
    own_pip = _has_pip_python_option()
    create = [sys.executable, "-m", "venv", *(["--without-pip"] if own_pip else []), str(venv)]
    venv.mkdir(parents=True, exist_ok=True)
    if (
        run_confined(
            create, cwd=root, env=env, log=log, timeout=300, writable=[venv], readable=[root]
        )
        != 0
    ):
        raise LaunchError("could not create a virtualenv for the app", _tail(log))
    pip_cmd = [sys.executable, "-m", "pip", "--python", py] if own_pip else [py, "-m", "pip"]
    pip = [*pip_cmd, "install", "--no-input", "--progress-bar", "off"]
    notes: list[str] = []
    todo = args + extras
    if not todo:
        return notes

    def step(argv: list[str]) -> int:
        return run_confined(
            argv,
            cwd=root,
            env=env,
            log=log,
            timeout=install_timeout(),
            writable=[venv],
            readable=[root],
        )

    if step(pip + todo) == 0:
        return notes
    # one bad pin (a version that no longer builds) should not sink the rest: go one by one
    notes.append("installing all requirements at once failed; installed them one by one")
    for spec in _expand(args, root) + extras:
        if step([*pip, spec]) == 0:
            continue
        name = requirement_name(spec)
        if name and name != spec and step([*pip, name]) == 0:
            notes.append(f"{spec!r} failed to install; installed {name!r} unpinned instead")
        else:
            notes.append(f"{spec!r} failed to install; skipped")
    return notes


@functools.cache
def _has_pip_python_option() -> bool:
    try:
        out = subprocess.run(
            [sys.executable, "-m", "pip", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    m = re.match(r"pip (\d+)\.(\d+)", out.stdout)
    return out.returncode == 0 and m is not None and (int(m[1]), int(m[2])) >= (22, 3)


def _expand(args: list[str], root: Path) -> list[str]:
    """The single requirement lines behind ``-r file`` arguments."""
    out: list[str] = []
    it = iter(args)
    for a in it:
        if a == "-r":
            path = Path(next(it, ""))
            with contextlib.suppress(OSError):
                for line in path.read_text(errors="replace").splitlines():
                    line = line.split(" #")[0].strip()
                    if requirement_name(line):
                        out.append(line)
        else:
            out.append(a)
    return out


# ------------------------------------------------------------------------------- Node


def node_manifest(profile: AppProfile) -> tuple[bytes, bytes, str | None]:
    """(package.json bytes, lockfile bytes, lockfile name) — generated for bare apps."""
    root = Path(profile.root)
    pkg = root / "package.json"
    if pkg.exists():
        for name in ("package-lock.json", "npm-shrinkwrap.json"):
            if (root / name).exists():
                return pkg.read_bytes(), (root / name).read_bytes(), name
        return pkg.read_bytes(), b"", None
    deps = {d: NODE_INFERRED_VERSIONS.get(d, "*") for d in profile.inferred_dependencies}
    generated = {"name": "harness-app", "version": "0.0.0", "private": True, "dependencies": deps}
    return json.dumps(generated, indent=2).encode(), b"", None


def node_version() -> str:
    try:
        return subprocess.run(
            ["node", "--version"], capture_output=True, text=True, timeout=20, check=False
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def npm_env() -> dict[str, str]:
    env = _tool_env()
    env["npm_config_update_notifier"] = "false"
    env["npm_config_fund"] = "false"
    env["npm_config_audit"] = "false"
    # native modules (better-sqlite3, sqlite3, bcrypt): prebuilt binaries cannot be downloaded,
    # so node-gyp builds them from source against the headers of the installed Node
    for nodedir in ("/usr", "/usr/local"):
        if (Path(nodedir) / "include" / "node" / "common.gypi").exists():
            env["npm_config_nodedir"] = nodedir
            break
    return env


def node_modules(profile: AppProfile, log: Path) -> Installed:
    """The cached node_modules for ``profile`` (its parent directory is returned)."""
    manifest, lock, lock_name = node_manifest(profile)
    h = hashlib.sha256()
    h.update(node_version().encode() + b"\0" + manifest + b"\0" + lock)
    key = h.hexdigest()[:20]
    home = cache_dir() / "node" / key

    def build() -> list[str]:
        home.mkdir(parents=True)
        (home / "package.json").write_bytes(manifest)
        if lock_name:
            (home / lock_name).write_bytes(lock)
        return _npm_install(home, bool(lock_name), log)

    return _cached(home, key, f"node-{key}", build)


def _npm_install(home: Path, has_lock: bool, log: Path) -> list[str]:
    env = npm_env()
    notes: list[str] = []
    base = ["--no-audit", "--no-fund", "--foreground-scripts"]
    data = json.loads((home / "package.json").read_text() or "{}")
    if not (data.get("dependencies") or data.get("devDependencies")):
        (home / "node_modules").mkdir(exist_ok=True)
        return notes

    def npm(verb: str) -> int:
        return run_confined(
            ["npm", verb, *base],
            cwd=home,
            env=env,
            log=log,
            timeout=install_timeout(),
            writable=[home],
        )

    code = 1
    if has_lock:
        code = npm("ci")
        if code != 0:
            notes.append("npm ci failed (lockfile out of date?); used npm install")
    if code != 0:
        code = npm("install")
    if code != 0:
        raise LaunchError(
            "npm install failed for the app's dependencies; see the log tail", _tail(log)
        )
    notes += _ensure_native(home, env, log)
    return notes


def native_packages(home: Path) -> list[str]:
    """Installed packages with a binding.gyp (compiled add-ons)."""
    nm = home / "node_modules"
    found = []
    for gyp in sorted(nm.glob("*/binding.gyp")) + sorted(nm.glob("@*/*/binding.gyp")):
        found.append(gyp.parent.relative_to(nm).as_posix())
    return found


def _loads(home: Path, pkg: str, env: dict[str, str], log: Path) -> bool:
    """Whether the add-on loads (its code runs: confined like an install step)."""
    script = f"require({json.dumps(pkg)})"
    argv = ["node", "-e", script]
    return (
        run_confined(argv, cwd=home, env=env, log=log, timeout=60, writable=[], readable=[home])
        == 0
    )


def _ensure_native(home: Path, env: dict[str, str], log: Path) -> list[str]:
    """Build from source every native add-on that does not load (no install script ran, or
    the prebuilt download failed)."""
    notes = []
    for pkg in native_packages(home):
        if _loads(home, pkg, env, log):
            continue
        code = run_confined(
            ["npm", "rebuild", pkg, "--build-from-source", "--foreground-scripts"],
            cwd=home,
            env=env,
            log=log,
            timeout=install_timeout(),
            writable=[home],
        )
        ok = code == 0 and _loads(home, pkg, env, log)
        notes.append(
            f"native module {pkg}: built from source"
            if ok
            else f"native module {pkg}: could not be built from source"
        )
    return notes
