"""Plain WebSocket and SSE steps of live.ws-auth: the upgrade with missing, forged and valid
tokens (in the handshake or a first message), user B on the socket path that names user A, and
the event stream without credentials."""

from __future__ import annotations

import re
import shlex
from typing import Any

import httpx

from harness.apimodel import Account
from harness.app._model import RealtimeEndpoint
from harness.probes._context import ProbeContext
from harness.probes._realtime_base import WAIT, Outcome, server_name, summarise, talk_evidence
from harness.probes._realtime_creds import (
    Presented,
    a_markers,
    auth_message,
    fill_path,
    present,
    refused_attempts,
    with_query,
)
from harness.probes._sockets import Talk
from harness.scorecard import Exchange


async def ws_connect(
    ctx: ProbeContext, path: str, creds: Presented, label: str, origin: str | None = None
) -> tuple[Talk, str]:
    """Open, say the first message if any, listen, nudge with a ping when silent:
    'answered' (data frames on an open socket), 'silent', 'refused' (handshake refused, or
    only refusal messages), 'closed' (the server closed it), 'error' (no connection)."""
    headers = dict(creds.headers)
    if origin:
        headers["Origin"] = origin
    talk = Talk(ctx.app, with_query(path, creds.query), headers, label)
    if not await talk.open():
        await talk.close()
        return talk, "refused" if talk.status else "error"
    if creds.first:
        await talk.send(creds.first)
    got = await talk.receive(WAIT)
    if not talk.closed and (not got or _refusals(got)):
        await talk.send('{"type":"ping"}')
        got += await talk.receive(WAIT)
    await talk.close()
    if talk.closed:
        return talk, "closed"
    if got and _refusals(got):
        return talk, "refused"
    return talk, "answered" if got else "silent"


_REFUSAL = re.compile(
    r"unauthori[sz]ed|forbidden|not authenticated|authentication (required|failed)|"
    r"invalid token|(token|credentials?) (is )?(missing|required|invalid|expired)|"
    r"login required|access denied|not allowed|\b40[13]\b",
    re.I,
)


def _refusals(frames: list[str]) -> bool:
    """Every frame says the client was refused (an error message before closing, or instead)."""
    return bool(frames) and all(_REFUSAL.search(f) for f in frames)


async def websocket_auth(
    ctx: ProbeContext, ep: RealtimeEndpoint, a: Account, b: Account | None
) -> list[Outcome]:
    path, names_a = fill_path(ep.path, ctx, a)
    where = server_name(ep)
    creds = present(ctx, ep, a)
    ctrl, got = await ws_connect(ctx, path, creds, "user A, valid token")
    by_message = creds.first is not None
    if got not in ("answered", "silent") and not by_message and a.token:
        # servers that read the token from the first message, not the handshake
        creds.first, by_message = auth_message(a.token), True
        ctrl, got = await ws_connect(ctx, path, creds, "user A, token in a first message")
    if got == "closed" and ctrl.received() and not _refusals(ctrl.received()):
        got = "answered"  # served, then closed by the server: still an answer
    if got not in ("answered", "silent"):
        return [
            Outcome(
                "error",
                f"{where}: user A's valid credentials were not accepted on {path} ({got}), so a "
                "refusal of others shows nothing",
                [talk_evidence(ctx, ctrl, "control: user A connects with its token")],
            )
        ]
    out = [
        Outcome(
            "pass", "", [talk_evidence(ctx, ctrl, f"control: user A's token is accepted ({got})")]
        )
    ]
    attempts = refused_attempts(ctx, ep, a, by_message=by_message)
    markers = a_markers(ctx, a)
    bad, good = [], []
    for label, attempt in attempts:
        talk, res = await ws_connect(ctx, path, attempt, label)
        leaked = [m for m in markers if m in "\n".join(talk.received())]
        if res == "answered" or leaked:
            bad.append(f"{label} (received {len(talk.received())} frame(s))")
            out.append(Outcome("fail", "", [talk_evidence(ctx, talk, f"{label}: served")]))
        elif res in ("refused", "closed") or (res == "silent" and got == "answered"):
            good.append(label)
            out.append(Outcome("pass", "", [talk_evidence(ctx, talk, f"{label}: {res}")]))
        else:
            out.append(Outcome("blind", "", [talk_evidence(ctx, talk, f"{label}: {res}")]))
    results = summarise(out, where, bad, good)
    if b is not None and names_a:
        results += await _ws_channel(ctx, ep, path, a, b)
    return results


async def _ws_channel(
    ctx: ProbeContext, ep: RealtimeEndpoint, path: str, a: Account, b: Account
) -> list[Outcome]:
    """User B on the socket path that names user A (its id or record)."""
    where = server_name(ep)
    talk, res = await ws_connect(ctx, path, present(ctx, ep, b), "user B on user A's channel")
    text = "\n".join(talk.received())
    leaked = [m for m in a_markers(ctx, a) if m in text]
    ev = [talk_evidence(ctx, talk, f"user B connects to {path}, user A's channel")]
    if leaked:
        return [
            Outcome(
                "fail",
                f"{where}: user B read user A's channel {path} ({leaked[0]!r} in its frames)",
                ev,
            )
        ]
    if res in ("refused", "closed") or not text:
        return [
            Outcome("pass", f"{where}: user B was not served user A's channel {path} ({res})", ev)
        ]
    return [Outcome("pass", f"{where}: user B on {path} received nothing of user A's data", ev)]


async def _stream(
    ctx: ProbeContext, path: str, headers: dict[str, str], label: str
) -> tuple[Exchange, bytes]:
    """A bounded read of an event stream: status, headers, the first bytes."""
    url = ctx.app.base_url.rstrip("/") + path
    sent = {"Accept": "text/event-stream", **headers}
    parts = [ctx.app.curl_prefix or "curl", "-sS", "-i", "-N", "--max-time", "3", shlex.quote(url)]
    parts += [f"-H {shlex.quote(f'{k}: {v}')}" for k, v in sent.items()]
    ex = Exchange(method="GET", url=url, curl=" ".join(parts), request_headers=sent)
    data = b""
    try:
        async with ctx.session.client.stream("GET", url, headers=sent, timeout=WAIT + 2) as resp:
            ex.status = resp.status_code
            ex.response_headers = {k.lower(): v for k, v in resp.headers.items()}
            try:
                async for chunk in _bounded(resp.aiter_bytes(), WAIT):
                    data += chunk
                    if len(data) > 4096:
                        break
            except httpx.HTTPError:
                pass
    except httpx.HTTPError as exc:
        ex.error = f"{type(exc).__name__}: {exc}"[:300]
    ex.body_excerpt = data[:2048].decode("utf-8", "replace")
    return ex, data


async def _bounded(chunks: Any, seconds: float) -> Any:
    import asyncio

    it = chunks.__aiter__()
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while (left := end - loop.time()) > 0:
        try:
            yield await asyncio.wait_for(it.__anext__(), left)
        except (StopAsyncIteration, TimeoutError):
            return


def _is_stream(ex: Exchange) -> bool:
    return ex.status == 200 and "text/event-stream" in ex.response_headers.get("content-type", "")


async def sse_auth(ctx: ProbeContext, ep: RealtimeEndpoint, a: Account) -> list[Outcome]:
    path, _ = fill_path(ep.path, ctx, a)
    where = server_name(ep)
    creds = present(ctx, ep, a)
    ctrl, _ = await _stream(ctx, with_query(path, creds.query), creds.headers, "user A")
    if not _is_stream(ctrl):
        return [
            Outcome(
                "error",
                f"{where}: user A's stream request was not served as text/event-stream "
                f"(status {ctrl.status})",
                [ctx.evidence(ctrl, "control: user A opens the stream")],
            )
        ]
    anon, data = await _stream(ctx, path, {}, "no credentials")
    ev = [
        ctx.evidence(ctrl, "control: user A's stream is served"),
        ctx.evidence(anon, "no credentials"),
    ]
    if _is_stream(anon):
        return [
            Outcome(
                "fail",
                f"{where} streamed events to a client with no credentials "
                f"({len(data)} bytes in {WAIT:g} s)",
                ev,
            )
        ]
    return [
        Outcome(
            "pass", f"{where} refused the stream without credentials (status {anon.status})", ev
        )
    ]
