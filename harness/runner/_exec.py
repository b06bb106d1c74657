"""Running one command to completion or to its deadline, then killing whatever it left.

The command gets its own session (so its process group can be killed at once) and a token in its
environment, so that descendants which left the group (daemons, setsid) are found in /proc and
killed too: nothing a command starts outlives it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness.runner import _jail, _sandbox
from harness.runner._cgroup import Cgroup
from harness.runner._inside import apply_limits, spawn
from harness.runner._limits import ResourceLimits
from harness.runner._model import CommandResult

TOKEN_VAR = "HARNESS_COMMAND_ID"
TAIL_BYTES = 64 * 1024
TAIL_LINES = 400


def tail_text(data: bytes | str, lines: int = TAIL_LINES, limit: int = TAIL_BYTES) -> str:
    """The last ``lines`` lines (at most ``limit`` bytes) of an output."""
    if isinstance(data, bytes):
        data = data[-limit:].decode("utf-8", errors="replace")
    return "\n".join(data[-limit:].rstrip().splitlines()[-lines:])


def _file_tail(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - TAIL_BYTES))
            return tail_text(fh.read())
    except OSError:
        return ""


def _file_head(path: Path, limit: int) -> str:
    """The output from its first line, up to ``limit`` bytes of whole lines."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError:
        return ""
    if len(data) > limit:
        data = data[:limit].rsplit(b"\n", 1)[0]  # the cut line is dropped
    return data.decode("utf-8", errors="replace")


def _kill_tree(proc: subprocess.Popen, token: str) -> None:
    _sandbox.kill_group(proc.pid)
    _sandbox.kill_marked(token, var=TOKEN_VAR)


def run_bounded(
    argv: list[str],
    *,
    shown_argv: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    log_dir: Path,
    preexec: Callable[[], None] | None = None,
    head_bytes: int | None = None,
) -> CommandResult:
    """Run ``argv`` (``shown_argv`` is what the result reports, without any wrapper) with output
    to a file in ``log_dir``; at ``timeout`` kill its process group and every descendant. The
    result keeps the output's tail, or its first ``head_bytes`` when given (a dump's rows)."""
    token = secrets.token_hex(8)
    env = {**env, TOKEN_VAR: token}
    log_path = log_dir / f"command-{token}.log"

    def child_setup() -> None:
        os.setsid()
        if preexec is not None:
            preexec()

    start = time.monotonic()
    timed_out = False
    with open(log_path, "wb") as log:
        try:
            proc = spawn(argv, log=log, env=env, cwd=cwd, preexec=child_setup)
        except OSError as exc:  # like a shell: 127 when the program cannot be run
            return CommandResult(
                argv=shown_argv,
                exit_code=127,
                output=f"could not run {argv[0]}: {exc}",
                seconds=round(time.monotonic() - start, 3),
            )
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out, code = True, None
        finally:
            _kill_tree(proc, token)  # also what a finished command left running
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
    seconds = round(time.monotonic() - start, 3)
    output = _file_tail(log_path) if head_bytes is None else _file_head(log_path, head_bytes)
    with contextlib.suppress(OSError):
        log_path.unlink()
    if code is not None and code < 0:
        code = 128 - code  # killed by signal N -> 128 + N, like a shell
    return CommandResult(
        argv=shown_argv, exit_code=code, output=output, seconds=seconds, timed_out=timed_out
    )


# ------------------------------------------------------------------ confined install steps


def install_limits() -> ResourceLimits:
    """Installs compile native code: every core, but memory and processes still bounded."""
    base = ResourceLimits.from_env()
    return dataclasses.replace(base, cpu_cores=float(os.cpu_count() or 1), cpu_seconds=3600)


def install_confinement() -> str:
    """How dependency installs are confined here, in one phrase (for the scorecard)."""
    ok, why = _jail.bwrap_support()
    if not ok:
        return f"not confined ({why})"
    who = "a fresh unprivileged uid" if _jail.is_root() else "the harness user"
    return (
        f"bubblewrap as {who}: host read-only system folders, only the cache entry being "
        "built writable, host network for the registries"
    )


def _tool_paths(env: dict[str, str]) -> list[Path]:
    """Files and folders the tools' settings point at (a local wheel folder, a CA bundle),
    shown read-only to the confined install."""
    found: list[Path] = []
    for var in ("PIP_FIND_LINKS", "PIP_CERT", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"):
        for item in env.get(var, "").split():
            path = Path(item)
            if path.is_absolute() and path.exists() and path not in found:
                found.append(path)
    return found


def run_confined(
    cmd: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    log: Path,
    timeout: float,
    writable: list[Path],
    readable: list[Path] | None = None,
) -> int:
    """Run a dependency-install step (pip, npm, node-gyp: they run the packages' own install
    scripts) in a jail with the host network, only ``writable`` writable; the exit code, 124 on
    timeout, 127 when it cannot run. Without bubblewrap it runs unconfined (said by
    ``install_confinement``)."""
    ok, _why = _jail.bwrap_support()
    home = Path(tempfile.mkdtemp(prefix="harness-install-"))
    uid = _jail.new_uid() if ok and _jail.is_root() else None
    limits = install_limits()
    group: Cgroup | None = None
    try:
        env = {**env, "HOME": str(home), "TMPDIR": "/tmp" if ok else str(home)}
        argv = cmd
        if ok:
            _jail.give([home, *writable], uid)
            jail = _jail.Jail(
                writable=[home, *writable],
                readable=[p for p in [*(readable or []), *_tool_paths(env)] if p.exists()],
                network=True,
                uid=uid,
                tmp_bytes=limits.disk_bytes,
                cwd=cwd,
                passwd=_jail.write_passwd(Path(tempfile.mkdtemp(dir=home)), uid, home),
                install=True,
            )
            argv = jail.argv(cmd)
            if _jail.is_root():
                group, _ = Cgroup.create(f"install-{secrets.token_hex(6)}", limits)
        rl = limits.rlimits("python")
        rl.pop("as", None)  # compilers and npm map a lot of address space
        if uid is None:
            rl.pop("nproc", None)  # the harness user's own processes count too

        def preexec() -> None:
            os.setsid()
            if group is not None:
                group.join()
            apply_limits(rl)

        with open(log, "ab") as fh:
            fh.write(f"\n$ {' '.join(cmd)}\n".encode())
            fh.flush()
            try:
                proc = spawn(argv, log=fh, env=env, cwd=cwd if not ok else None, preexec=preexec)
            except OSError as exc:
                fh.write(f"could not run: {exc}\n".encode())
                return 127
            try:
                return proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                fh.write(f"timed out after {timeout:.0f}s\n".encode())
                return 124
            finally:
                _sandbox.kill_group(proc.pid)
                if group is not None:
                    group.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
    finally:
        if group is not None:
            group.remove()
        if ok:
            _jail.take_back(list(writable))
        shutil.rmtree(home, ignore_errors=True)
