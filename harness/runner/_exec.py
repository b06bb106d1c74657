"""Running one command to completion or to its deadline, then killing whatever it left.

The command gets its own session (so its process group can be killed at once) and a token in its
environment, so that descendants which left the group (daemons, setsid) are found in /proc and
killed too: nothing a command starts outlives it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

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


def token_pids(token: str) -> list[int]:
    """Live processes whose environment carries ``TOKEN_VAR=token``."""
    needle = f"{TOKEN_VAR}={token}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            env = Path(f"/proc/{entry}/environ").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if state != "Z" and needle in env.split(b"\0"):
            found.append(int(entry))
    return found


def _kill_tree(proc: subprocess.Popen, token: str) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    for _ in range(5):  # forks may race a single pass
        pids = token_pids(token)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)


def run_bounded(
    argv: list[str],
    *,
    shown_argv: list[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float,
    log_dir: Path,
    preexec: Callable[[], None] | None = None,
) -> CommandResult:
    """Run ``argv`` (``shown_argv`` is what the result reports, without any wrapper) with output
    to a file in ``log_dir``; at ``timeout`` kill its process group and every descendant."""
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
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=child_setup,
            )
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
    output = _file_tail(log_path)
    with contextlib.suppress(OSError):
        log_path.unlink()
    if code is not None and code < 0:
        code = 128 - code  # killed by signal N -> 128 + N, like a shell
    return CommandResult(
        argv=shown_argv, exit_code=code, output=output, seconds=seconds, timed_out=timed_out
    )
