"""Port relay, started beside the app in its container (stdlib only: runs on the image's python3).

The port the host can reach is fixed when the container is created, but a generated app picks
its own port (it may ignore $PORT and hardcode 5000) and its own address (app.run() binds
127.0.0.1, which docker-proxy cannot reach). So the relay watches /proc/net/tcp{,6} of the
container's network namespace until the app listens, then accepts on 0.0.0.0:$RELAY_PORT and
pipes every connection to the app's socket. Status lines start with PREFIX so the runner can
read them and keep them out of the app's logs.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import sys
import time

PREFIX = "[agent-harness-relay]"
RELAY_PORT = int(os.environ.get("AGENT_HARNESS_RELAY_PORT", "65080"))
WANTED = int(os.environ.get("PORT", "0") or 0)
# Docker's embedded DNS server listens on 127.0.0.11 (random TCP port) on user-defined networks.
IGNORED_ADDRS = {"127.0.0.11"}
# The app's private database servers listen in the same namespace before the app does.
SERVICE_PORTS = {
    int(p) for p in os.environ.get("AGENT_HARNESS_SERVICE_PORTS", "").split(",") if p.isdigit()
}


def _say(msg: str) -> None:
    print(f"{PREFIX} {msg}", file=sys.stderr, flush=True)


def _listeners() -> list[tuple[str, int]]:
    """(address, port) of every TCP socket in LISTEN state in this network namespace."""
    found: list[tuple[str, int]] = []
    for name, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            with open(name) as fh:
                lines = fh.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 4 or fields[3] != "0A":
                continue
            hex_addr, hex_port = fields[1].split(":")
            raw = bytes.fromhex(hex_addr)
            # The kernel prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            addr = str(ipaddress.ip_address(raw)) if width == 16 else socket.inet_ntoa(raw)
            port = int(hex_port, 16)
            if port != RELAY_PORT and port not in SERVICE_PORTS and addr not in IGNORED_ADDRS:
                found.append((addr, port))
    return found


def _target(listeners: list[tuple[str, int]]) -> tuple[str, int]:
    ports = sorted({p for _, p in listeners})
    port = WANTED if WANTED in ports else ports[0]
    addrs = [a for a, p in listeners if p == port]
    for addr in addrs:
        if addr in ("0.0.0.0", "::") or addr.startswith("127."):
            return ("127.0.0.1", port)
    if "::1" in addrs:
        return ("::1", port)
    addr = addrs[0]
    return (addr[7:] if addr.startswith("::ffff:") else addr, port)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


async def _serve(target: tuple[str, int]) -> None:
    async def handle(c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        try:
            a_reader, a_writer = await asyncio.open_connection(*target)
        except OSError:
            c_writer.close()
            return
        await asyncio.gather(_pipe(c_reader, a_writer), _pipe(a_reader, c_writer))
        for w in (a_writer, c_writer):
            w.close()

    server = await asyncio.start_server(handle, "0.0.0.0", RELAY_PORT, reuse_address=True)
    _say(f"forwarding 0.0.0.0:{RELAY_PORT} -> {target[0]}:{target[1]}")
    async with server:
        await server.serve_forever()


def main() -> None:
    # The app gets a short head start before another port is taken as "the" one.
    first_seen: float | None = None
    while True:
        listeners = _listeners()
        if listeners:
            first_seen = first_seen or time.monotonic()
            if WANTED in {p for _, p in listeners} or time.monotonic() - first_seen > 0.5:
                break
        time.sleep(0.05)
    asyncio.run(_serve(_target(listeners)))


if __name__ == "__main__":
    main()
