"""Reaching the app under test: a client that never mixes users' cookies, and a way to run the
async probing from the synchronous pipeline."""

from __future__ import annotations

import asyncio
import shlex
import threading
from collections.abc import Coroutine
from http.cookiejar import DefaultCookiePolicy
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
BODY_EXCERPT = 2048


class _NoCookies(DefaultCookiePolicy):
    """Keep no cookies in the client: each request carries exactly the cookies of the user it
    acts for (set explicitly), so users A and B never share a session by accident."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False


def open_client(app: Any, **kwargs: Any) -> httpx.AsyncClient:
    """``app.client()`` with a cookie jar that stores nothing."""
    kwargs.setdefault("timeout", httpx.Timeout(10.0, connect=5.0))
    client: httpx.AsyncClient = app.client(**kwargs)
    # set the policy on the client's own jar: assigning ``client.cookies`` copies the cookies
    # into a fresh default jar and would drop the policy
    client.cookies.jar.set_policy(_NoCookies())
    return client


def cookie_header(cookies: dict[str, str] | None) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion, also when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, name="harness-probe-loop")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def curl_line(
    prefix: str, method: str, url: str, headers: dict[str, str], body: bytes | None
) -> str:
    parts = [prefix or "curl", "-sS", "-i", "-X", method, shlex.quote(url)]
    for key, value in headers.items():
        parts += ["-H", shlex.quote(f"{key}: {value}")]
    if body is not None:
        try:
            text = body.decode("utf-8")
            shown = text if len(text) <= BODY_EXCERPT else text[:BODY_EXCERPT]
            parts += ["--data-binary", shlex.quote(shown)]
            if len(text) > BODY_EXCERPT:
                parts.append(f"# body truncated here: {len(text)} characters were sent")
        except UnicodeDecodeError:
            escaped = "".join(f"\\x{b:02x}" for b in body[:BODY_EXCERPT])
            parts += ["--data-binary", f"$'{escaped}'"]
    return " ".join(parts)
