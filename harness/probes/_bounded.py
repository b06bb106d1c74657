"""One bounded exchange for the resource-exhaustion probes: the answer read up to a cap, a
timeout, and a record that keeps the head of a multi-megabyte payload and its size; and the wait
until a stalled app answers again."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx

from harness.apimodel import cookie_header, credentials, curl_line
from harness.probes._context import ProbeContext
from harness.probes._exhaust_routes import RAW
from harness.scorecard import Exchange

MB = 1024 * 1024


@dataclass
class Answer:
    """One bounded exchange: status (None when no answer), bytes read (up to the cap), whether
    the cap was reached, seconds, and the reproducible record."""

    status: int | None
    size: int
    capped: bool
    seconds: float
    exchange: Exchange

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def refused(self) -> bool:
        return self.status is not None and 400 <= self.status < 500


async def bounded(
    ctx: ProbeContext,
    method: str,
    path: str,
    *,
    params: dict[str, Any] | None = None,
    json: Any = None,
    form: dict[str, Any] | None = None,
    file: tuple[str, tuple[str, bytes, str], dict[str, Any]] | None = None,
    timeout: float = 10.0,
    cap: int = 4 * MB,
) -> Answer:
    """Send one request, read at most ``cap`` bytes of the answer, give up after ``timeout``."""
    user = ctx.session.a_if_signed_in
    headers, cookies = credentials(ctx.api, user)
    headers = {**headers, **cookie_header(cookies)}
    body: bytes | None = None
    if file is not None and file[0] == RAW:  # the file is the whole body
        _, (_, body, ctype), _ = file
        headers["Content-Type"] = ctype
    elif file is not None:
        name, payload, extra = file
        req = httpx.Request(method, "http://x/", files={name: payload}, data=extra or None)
        body = req.read()
        headers["Content-Type"] = req.headers["content-type"]
    elif json is not None:
        import json as jsonlib

        body = jsonlib.dumps(json).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        body = str(httpx.QueryParams(form)).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    url = ctx.app.base_url.rstrip("/") + path
    if params:
        url = str(httpx.URL(url, params=params))
    # payloads run to megabytes: the record keeps their head and says how much was sent
    shown = body[:512] if body is not None else None
    big = body is not None and len(body) > 512
    ex = Exchange(
        method=method,
        url=url[:2000],
        curl=curl_line(ctx.app.curl_prefix, method, url[:2000], headers, shown)
        + (f"  # {len(body)} bytes sent" if big and body is not None else ""),
        request_headers=headers,
        request_body=None
        if shown is None
        else shown.decode("utf-8", "backslashreplace")
        + (f"... [{len(body)} bytes]" if big and body is not None else ""),
    )
    size, capped, head, status = 0, False, b"", None
    t0 = time.perf_counter()
    try:
        async with ctx.session.client.stream(
            method, url, headers=headers, content=body, timeout=timeout
        ) as resp:
            status = resp.status_code
            ex.status = status
            ex.response_headers = {k.lower(): v for k, v in resp.headers.items()}
            deadline = t0 + timeout
            async for chunk in resp.aiter_raw():
                if len(head) < 2048:
                    head += chunk[: 2048 - len(head)]
                size += len(chunk)
                if size >= cap or time.perf_counter() > deadline:
                    capped = True
                    break
    except httpx.HTTPError as exc:
        ex.error = f"{type(exc).__name__}: {exc}"[:300]
    seconds = time.perf_counter() - t0
    ex.elapsed_ms = round(seconds * 1000, 2)
    ex.body_excerpt = head.decode("utf-8", "backslashreplace")[:2048]
    return Answer(status, size, capped, seconds, ex)


async def recover(ctx: ProbeContext, path: str, wait: float = 60.0) -> bool:
    """Wait until the app answers ``path`` again (a stalled worker finishes); False if never."""
    end = time.perf_counter() + wait
    while time.perf_counter() < end:
        if not ctx.app.alive():
            return False
        try:
            resp = await ctx.session.client.get(ctx.app.base_url.rstrip("/") + path, timeout=5)
            if resp.status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        await _sleep(0.5)
    return False


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def said(a: Answer) -> str:
    if a.status is None:
        return f"no answer ({a.exchange.error or 'timed out'}) after {a.seconds:.1f} s"
    more = "+" if a.capped else ""
    return f"{a.status}, {a.size}{more} bytes in {a.seconds:.2f} s"
