"""The first process inside the app's private namespaces, and the resource limits of the app.

Run as a script (stdlib only, ``python -I _inside.py <config.json>``) by ``unshare --net --pid
--fork --mount-proc``, it becomes PID 1 of a fresh PID namespace with its own network namespace:

- brings the loopback interface up (the namespace starts with it down and has no other),
- serves a unix socket bridge: each connection is forwarded to 127.0.0.1:<port> inside the
  namespace, the port being read from a file the host writes once it has seen the app listen,
- runs the preparation commands (e.g. Django migrations), then the app under resource limits and,
  when it was given a uid, as that unprivileged user with no capabilities and no_new_privs (this
  process stays root inside the sandbox, out of the app's reach, so the app can neither signal
  it nor move the bridge's socket),
- forwards SIGTERM to the app's process group, enforces the wall time limit, reaps orphans,
- exits with the app's status; when PID 1 exits the kernel kills every process left in the
  namespace, so nothing the app forked can outlive it.

The host side imports ``apply_limits`` from here for the host-network fallback.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

PR_SET_PDEATHSIG = 1


# the log line naming a required preparation step that failed (read by the host side)
STEP_FAILED = "[harness] stopped: this preparation step failed: "


def apply_limits(limits: dict[str, int]) -> None:
    """Resource limits for the app process (called in the child before exec)."""
    table = {
        "as": resource.RLIMIT_AS,
        "data": resource.RLIMIT_DATA,
        "cpu": resource.RLIMIT_CPU,
        "fsize": resource.RLIMIT_FSIZE,
        "core": resource.RLIMIT_CORE,
        "nofile": resource.RLIMIT_NOFILE,
        "nproc": resource.RLIMIT_NPROC,
    }
    for name, value in limits.items():
        key = table.get(name)
        if key is None:
            continue
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(key, (value, value))


PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
CAP_LAST = 63


def drop_privileges(uid: int) -> None:
    """Become ``uid`` (and gid) with no groups, no capabilities, no way to gain any (in the
    child, before exec). Raises when any step fails: an app must never run half-dropped."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(CAP_LAST + 1):  # the bounding set: no exec can bring a capability back
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # from root to non-root: permitted and effective caps go
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if os.getuid() != uid or os.geteuid() != uid:
        raise OSError("the uid did not change")


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when the thread that started it dies."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def loopback_up() -> None:
    """Set IFF_UP on lo (SIOCGIFFLAGS / SIOCSIFFLAGS), without needing iproute2."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH14s", b"lo", 0, b"\0" * 14)
        flags = struct.unpack("16sH14s", fcntl.ioctl(s, siocgifflags, req))[1]
        if flags & iff_up:  # bubblewrap brings it up already
            return
        fcntl.ioctl(s, siocsifflags, struct.pack("16sH14s", b"lo", flags | iff_up, b"\0" * 14))


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


def _connect_app(port: int) -> socket.socket | None:
    for family, addr in ((socket.AF_INET, ("127.0.0.1", port)), (socket.AF_INET6, ("::1", port))):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(addr)
            s.settimeout(None)
            return s
        except OSError:
            s.close()
    return None


def _serve_connection(client: socket.socket, port_file: str) -> None:
    try:
        with open(port_file, encoding="ascii") as fh:
            port = int(fh.read().strip())
    except (OSError, ValueError):
        client.close()
        return
    upstream = _connect_app(port)
    if upstream is None:
        client.close()
        return
    back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
    back.start()
    _pump(client, upstream)
    back.join()
    client.close()
    upstream.close()


def serve_bridge(sock_path: str, port_file: str) -> None:
    """Accept on the unix socket forever (daemon thread), one thread per connection."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(sock_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sock_path)
    os.chmod(sock_path, 0o600)
    server.listen(128)

    def loop() -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            threading.Thread(
                target=_serve_connection, args=(client, port_file), daemon=True
            ).start()

    threading.Thread(target=loop, daemon=True).start()


def _spawn(cmd: list[str], cfg: dict, log) -> subprocess.Popen:
    limits = cfg.get("limits", {})
    uid = cfg.get("uid")

    def preexec() -> None:
        os.setsid()
        apply_limits(limits)
        if uid is not None:
            drop_privileges(int(uid))

    return spawn(cmd, log=log, env=cfg["env"], cwd=cfg["cwd"], preexec=preexec)


def spawn(
    cmd: list[str],
    *,
    log: IO[bytes],
    env: dict[str, str],
    preexec: Callable[[], None],
    cwd: str | Path | None = None,
) -> subprocess.Popen:
    """Start ``cmd`` the way the harness starts every command: no stdin, its output and errors
    appended to ``log``, ``preexec`` run in the child before it executes (session, limits)."""
    return subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=preexec,
    )


def _wait_reaping(pid: int, deadline: float) -> int | None:
    """Wait for ``pid`` while reaping any orphan that was re-parented to us; None on timeout."""
    while time.monotonic() < deadline:
        try:
            got, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return None
        if got == pid:
            return os.waitstatus_to_exitcode(status)
        if got == 0:
            time.sleep(0.05)
    return None


def _step(step: list[str], cfg: dict, log, deadline: float) -> int | None:
    """Run one preparation step to its end (None: killed at its deadline)."""
    log.write(f"[harness] $ {' '.join(step)}\n".encode())
    proc = _spawn(step, cfg, log)
    code = _wait_reaping(proc.pid, min(deadline, time.monotonic() + 300))
    if code is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return code


def _answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _start_services(cfg: dict, log, deadline: float) -> bool:
    """Start the app's database servers, wait until each accepts connections, then create what
    the app's configuration names (roles, databases). False when one never came up."""
    started = []
    for svc in cfg.get("services", []):
        log.write(f"[harness] $ {' '.join(svc['command'])}\n".encode())
        started.append((svc, _spawn(svc["command"], cfg, log)))
    for svc, proc in started:
        until = min(deadline, time.monotonic() + 60)
        while not _answers(svc["port"]):
            if proc.poll() is not None or time.monotonic() > until:
                log.write(f"[harness] the {svc['kind']} server did not come up\n".encode())
                return False
            time.sleep(0.05)
        for step in svc.get("setup", []):
            code = _step(step, cfg, log, deadline)
            if code != 0:
                log.write(f"[harness] {svc['kind']} setup step exited with {code}\n".encode())
    return True


def start_canary(cfg: dict) -> None:
    """The SSRF canary on this namespace's loopback (``_canary.py``, copied beside this file),
    when the host asked for one; a canary that cannot start leaves no port file, and the SSRF
    probe says so."""
    folder = cfg.get("canary")
    if not folder:
        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import _canary  # type: ignore[import-not-found]

        _canary.serve_canary(folder, {int(p) for p in cfg.get("canary_avoid", [])})
    except Exception as exc:  # the app must start all the same
        sys.stderr.write(f"[harness] canary not started: {exc}\n")


def main(config_path: str) -> int:
    with open(config_path, encoding="utf-8") as fh:
        cfg = json.load(fh)
    loopback_up()
    serve_bridge(cfg["socket"], cfg["port_file"])
    start_canary(cfg)
    deadline = time.monotonic() + float(cfg.get("wall_seconds", 3600))
    # the log is our stdout (opened by the host, outside anything the app can write) unless a
    # path is given
    log_file = open(cfg["log"], "ab", buffering=0) if cfg.get("log") else os.fdopen(1, "ab", 0)  # noqa: SIM115
    with log_file as log:
        if not _start_services(cfg, log, deadline):
            return 125
        required = cfg.get("prepare_required") or []
        for i, step in enumerate(cfg.get("prepare", [])):
            code = _step(step, cfg, log, deadline)
            if code is None:
                log.write(b"[harness] preparation step timed out\n")
                return 124
            if code != 0:
                log.write(f"[harness] preparation step exited with {code}\n".encode())
                if i < len(required) and required[i]:
                    # the schema the app needs is missing: probing it would judge a broken start
                    # (a build is not required: tsc emits despite type errors)
                    log.write(f"{STEP_FAILED}{' '.join(step)}\n".encode())
                    return 126
        log.write(f"[harness] $ {' '.join(cfg['command'])}\n".encode())
        app = _spawn(cfg["command"], cfg, log)

        def forward(signum: int, _frame: object) -> None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(app.pid, signum)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        code = _wait_reaping(app.pid, deadline)
        if code is None:
            log.write(b"[harness] wall time limit reached; killing the app\n")
            return 137
        code = code if code >= 0 else 128 - code  # killed by signal N -> 128 + N, like a shell
        log.write(f"[harness] app exited with status {code}\n".encode())
        return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
