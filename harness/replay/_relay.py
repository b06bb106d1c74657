"""A TCP port on 127.0.0.1 that forwards to the app, for people and their curl.

The sandboxed app listens inside its own network namespace and is reached over a unix socket;
``harness replay --serve`` opens this relay so that ``curl "$APP/..."`` works from a shell."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


@contextlib.asynccontextmanager
async def relay(socket_path: Path | None, base_url: str) -> AsyncIterator[str]:
    """Yield an ``http://127.0.0.1:PORT`` URL that reaches the app behind ``socket_path`` (or
    ``base_url`` itself when the app is on the host network)."""
    if socket_path is None:
        yield base_url.rstrip("/")
        return
    target = urlsplit(base_url)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(str(socket_path))
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}{target.path.rstrip('/')}"
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)
