"""Go apps: ``go build`` as a confined install step, then the built binary started like any app.

The module download cache and the build cache live under the harness cache dir, one entry per
hash of (Go version, go.mod, go.sum), so a second build of the same dependencies downloads and
compiles nothing of theirs. The build runs in the install jail (host network for the module
proxy; only the app's copy, where the binary goes, and that cache entry writable). The binary
lands in the app's own folder: the Go toolchain is not needed to run it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

from harness.app import AppProfile
from harness.runner._command import StartPlan
from harness.runner._deps import Installed, cache_dir, install_env, install_timeout, locked
from harness.runner._exec import run_confined
from harness.runner._model import LaunchError

BINARY = ".harness-bin/app"  # relative to the app's copy
_PASSED = ("GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE")


@functools.cache
def go_binary() -> str | None:
    found = shutil.which("go")
    if found:
        return found
    default = Path("/usr/local/go/bin/go")
    return str(default) if default.exists() else None


@functools.cache
def go_version() -> str:
    go = go_binary()
    if go is None:
        return "?"
    try:
        out = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def go_env(entry: Path) -> dict[str, str]:
    """The build's environment: caches in the entry, the local toolchain only (no toolchain
    downloads), module proxy settings from the harness's environment."""
    go = go_binary() or "go"
    env = install_env()
    env["PATH"] = f"{Path(go).parent}:{env.get('PATH', '/usr/local/bin:/usr/bin:/bin')}"
    env.update(
        {
            "GOPATH": str(entry / "gopath"),
            "GOMODCACHE": str(entry / "mod"),
            "GOCACHE": str(entry / "build"),
            "GOTOOLCHAIN": "local",
            "GOFLAGS": "-buildvcs=false",
            "GOTELEMETRY": "off",
        }
    )
    env.update({k: v for k, v in os.environ.items() if k in _PASSED})
    return env


def cache_key(workdir: Path) -> str:
    h = hashlib.sha256(go_version().encode())
    for name in ("go.mod", "go.sum"):
        path = workdir / name
        h.update(b"\0" + (path.read_bytes() if path.is_file() else b""))
    return h.hexdigest()[:20]


def build(profile: AppProfile, workdir: Path, log: Path) -> Installed:
    """Build the main package of ``profile`` in ``workdir`` (the app's copy) into ``BINARY``."""
    go = go_binary()
    if go is None:
        raise LaunchError("this is a Go app but no Go toolchain was found (go on PATH)")
    if not profile.app_dir and not profile.entrypoint:
        raise LaunchError(
            "Go module without a main package (package main, func main): nothing to build"
        )
    key = cache_key(workdir)
    entry = cache_dir() / "go" / key
    entry.mkdir(parents=True, exist_ok=True)
    env = go_env(entry)
    notes: list[str] = []
    target = (
        "./" + (profile.app_dir or ".").strip("/") if profile.app_dir not in (None, ".") else "."
    )
    start = time.monotonic()
    cached = (entry / ".ready").exists()

    def step(*argv: str) -> int:
        return run_confined(
            [go, *argv],
            cwd=workdir,
            env=env,
            log=log,
            timeout=install_timeout(),
            writable=[workdir, entry],
        )

    with locked(cache_dir() / "locks" / f"go-{key}.lock"):
        if not (workdir / "go.mod").exists():
            notes.append("no go.mod: made one (go mod init app) and resolved the imports")
            if step("mod", "init", "app") != 0:
                raise LaunchError("go mod init failed; see the log tail", _tail(log))
        if not (workdir / "go.sum").exists() and step("mod", "tidy") == 0:
            notes.append("no go.sum: resolved the requirements with go mod tidy")
        code = step("build", "-o", BINARY, target)
        if code != 0 and step("mod", "tidy") == 0:
            notes.append("go build failed with the repo's go.mod/go.sum; retried after go mod tidy")
            code = step("build", "-o", BINARY, target)
        if code != 0:
            raise LaunchError(
                f"go build {target} failed (exit {code}); see the log tail", _tail(log)
            )
        (entry / ".ready").write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
    notes.append(f"built with go build {target} ({go_version()})")
    return Installed(entry, key, cached, time.monotonic() - start, notes)


def go_plan(profile: AppProfile, workdir: Path) -> StartPlan:
    """The built binary, run from the module root (where relative paths in the code point)."""
    binary = workdir / BINARY
    if not binary.is_file():
        raise LaunchError(f"the Go build left no binary at {BINARY}")
    return StartPlan(
        [str(binary)],
        workdir,
        honours_port=profile.hardcoded_port is None,
        description=f"the binary built from ./{profile.app_dir or '.'}",
    )


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
