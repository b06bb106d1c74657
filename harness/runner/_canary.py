"""A canary HTTP server on the app's own loopback, for the SSRF probe: a URL pointing at it is
handed to the app, and a request arriving here is proof that the app fetched what it was told.

Stdlib only: the sandbox's PID 1 (``_inside.py``, run with ``python -I``) starts it inside the
app's network namespace, where the app's loopback is the only network there is; without a
namespace the harness starts it in its own process on 127.0.0.1, which the app then shares.
Bounded: a few connections at a time, a short read timeout, a capped request head, a capped
number of recorded hits. It listens on 127.0.0.1 and, when the namespace has it, on ::1 with
the same port, and never on any other address.

The hits go to a JSON-lines file in the harness's own control folder, its port to another; the
host side reads both (``Canary``).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MAX_HITS = 200
MAX_HEAD = 8192
READ_TIMEOUT_S = 3.0
MAX_CONCURRENT = 8
PORT_FILE = "canary.port"
HITS_FILE = "canary.hits"
BODY_MARK = "harness-canary"


def _bind(avoid: set[int]) -> list[socket.socket]:
    """127.0.0.1 on a free port not in ``avoid``, plus ::1 on the same port when possible."""
    for _ in range(20):
        v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        v4.bind(("127.0.0.1", 0))
        port = v4.getsockname()[1]
        if port in avoid:
            v4.close()
            continue
        out = [v4]
        with contextlib.suppress(OSError):
            v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                v6.bind(("::1", port))
                out.append(v6)
            except OSError:
                v6.close()
        return out
    raise OSError("no free loopback port for the canary")


def _read_head(conn: socket.socket) -> bytes:
    conn.settimeout(READ_TIMEOUT_S)
    data = b""
    deadline = time.monotonic() + READ_TIMEOUT_S
    while b"\r\n\r\n" not in data and len(data) < MAX_HEAD and time.monotonic() < deadline:
        try:
            chunk = conn.recv(MAX_HEAD - len(data))
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def _parse(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1", errors="replace").split("\r\n")
    method, _, rest = (lines[0] if lines else "").partition(" ")
    path = rest.rsplit(" ", 1)[0] if " " in rest else rest
    host = ""
    agent = ""
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "host":
            host = value.strip()
        elif name.strip().lower() == "user-agent":
            agent = value.strip()
    return {"method": method[:16], "path": path[:512], "host": host[:256], "agent": agent[:200]}


class _Server:
    def __init__(self, hits_path: str, listeners: list[socket.socket]) -> None:
        self.hits_path = hits_path
        self.listeners = listeners
        self.count = 0
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(MAX_CONCURRENT)

    def record(self, hit: dict[str, str]) -> None:
        with self.lock:
            if self.count >= MAX_HITS:
                return
            self.count += 1
            with open(self.hits_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(hit) + "\n")

    def handle(self, conn: socket.socket, peer: str) -> None:
        try:
            hit = _parse(_read_head(conn))
            hit["peer"] = peer
            hit["at"] = f"{time.time():.3f}"
            self.record(hit)
            body = f"{BODY_MARK} {hit['path']}\n".encode()
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            self.slots.release()

    def accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, addr = listener.accept()
            except OSError:
                return
            if not self.slots.acquire(timeout=READ_TIMEOUT_S):
                conn.close()  # busy: the app is flooding it; what came first is recorded
                continue
            peer = str(addr[0]) if isinstance(addr, tuple) else ""
            threading.Thread(target=self.handle, args=(conn, peer), daemon=True).start()

    def close(self) -> None:
        for sock in self.listeners:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


def serve_canary(folder: str, avoid: set[int] | None = None) -> _Server:
    """Listen on loopback (daemon threads); the port goes to ``folder/canary.port`` first."""
    listeners = _bind(set(avoid or ()))
    port = listeners[0].getsockname()[1]
    server = _Server(os.path.join(folder, HITS_FILE), listeners)
    open(server.hits_path, "a", encoding="utf-8").close()
    # the port is told before anything listens on it: whoever looks for the app among the
    # listening ports can always tell the canary apart
    tmp = os.path.join(folder, PORT_FILE + ".tmp")
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write(str(port))
    os.replace(tmp, os.path.join(folder, PORT_FILE))
    for sock in listeners:
        sock.listen(16)
        threading.Thread(target=server.accept_loop, args=(sock,), daemon=True).start()
    return server


@dataclass
class Canary:
    """The host's view of a canary: its port on the app's loopback and the hits so far."""

    folder: Path
    port: int
    server: _Server | None = None  # set when it runs in the harness's own process

    @classmethod
    def find(cls, folder: Path, wait_s: float = 0.0) -> Canary | None:
        """The canary whose port file is in ``folder`` (waiting up to ``wait_s``), else None."""
        deadline = time.monotonic() + wait_s
        while True:
            with contextlib.suppress(OSError, ValueError):
                return cls(folder, int((folder / PORT_FILE).read_text().strip()))
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)

    @classmethod
    def start_here(cls, folder: Path, avoid: set[int] | None = None) -> Canary:
        """Run the canary in this process (the app shares the host's loopback)."""
        server = serve_canary(str(folder), avoid)
        found = cls.find(folder)
        assert found is not None
        found.server = server
        return found

    def hits(self) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        try:
            text = (self.folder / HITS_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return out
        for line in text.splitlines()[:MAX_HITS]:
            with contextlib.suppress(ValueError):
                hit = json.loads(line)
                if isinstance(hit, dict):
                    out.append({str(k): str(v) for k, v in hit.items()})
        return out

    def stop(self) -> None:
        if self.server is not None:
            self.server.close()
