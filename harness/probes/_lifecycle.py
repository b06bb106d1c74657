"""After the probes: what the app logged (failed logins recorded, no secrets), whether it is still
up, and last of all how it takes a SIGTERM with requests in flight."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator

import httpx

from harness.apimodel import credentials, open_client
from harness.probes._context import ProbeContext, curl_line, probe
from harness.scorecard import CheckResult, Exchange

# access-log lines written by the server, not by the app: werkzeug, uvicorn, morgan, gunicorn
_ACCESS_LINE = re.compile(
    r"\"(?:GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD) /\S* HTTP/[\d.]+\"\s+\d{3}"
    r"|^\s*(?:GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD) /\S* \d{3}\b"
)
_SECURITY_WORDS = re.compile(
    r"login|log in|sign.?in|auth|credential|password|token|rate.?limit|audit|access|permission",
    re.I,
)
_FAILURE_WORDS = re.compile(
    r"\b(?:fail\w*|invalid|denied|unauthori[sz]ed|forbidden|wrong|incorrect|bad|reject\w*|"
    r"mismatch)\b|limit(?:ed)? (?:hit|exceeded|reached)|too many|blocked|throttl|locked",
    re.I,
)


_TRACE_LINE = re.compile(r'^\s*(?:File "|Traceback|at [\w$.<]|\^+\s*$)')


def _app_lines(logs: str) -> list[str]:
    """Lines the app chose to write: not server access lines, not traceback frames."""
    return [
        ln
        for ln in logs.splitlines()
        if ln.strip() and not _ACCESS_LINE.search(ln) and not _TRACE_LINE.search(ln)
    ]


@probe(
    "live.audit-log",
    requirement="logging.audit",
    title="failed logins and denied requests produce an application log record",
    phase="logs",
)
async def audit_log(ctx: ProbeContext) -> CheckResult:
    """Fails: the failed logins and denied requests of the probe run left no application log
    record (access-log lines alone do not count).

    Passes: application log records of them exist. None happened: error."""
    logs = ctx.app.logs()
    failed = [
        r for r in ctx.session.records if r.status in (400, 401, 403, 429) and r.purpose != "seed"
    ]
    burst = "burst_password" in ctx.session.cache
    if not failed and not burst:
        return ctx.errored("no failed login or denied request happened during the probes")
    if not logs.strip():
        return ctx.failed(
            "the app logged nothing at all during the probe run",
            ctx.note("denied requests sent", count=len(failed) + (1 if burst else 0)),
        )
    lines = [
        ln
        for ln in _app_lines(logs)
        if (_SECURITY_WORDS.search(ln) and _FAILURE_WORDS.search(ln)) or "probe-nobody-" in ln
    ]
    sample = [ctx.evidence(r.exchange, f"denied request ({r.status})") for r in failed[:2]]
    if lines:
        return ctx.passed(
            f"{len(lines)} application log records of failed logins/denials",
            ctx.note("log records", lines=[ln[:300] for ln in lines[:5]]),
            *sample,
        )
    access = [ln for ln in logs.splitlines() if _ACCESS_LINE.search(ln)]
    return ctx.failed(
        "no application log record of the failed logins or denied requests"
        + (" (only the server's access log lines)" if access else ""),
        ctx.note("log tail", tail=logs.splitlines()[-15:]),
        *sample,
    )


@probe(
    "live.log-secrets",
    requirement="logging.no-sensitive",
    title="no probe password, token or secret shows up in the app's log",
    phase="logs",
)
async def log_secrets(ctx: ProbeContext) -> CheckResult:
    """Fails: a probe password, token or secret appears in the app's captured log.

    Passes: none of them appears in a log that has lines; an empty log is an error, not a
    pass."""
    logs = ctx.app.logs()
    secrets_: dict[str, str] = {}
    for acc in ctx.session.accounts():
        secrets_[f"user {acc.label.upper()} password"] = acc.password
        if acc.token:
            secrets_[f"user {acc.label.upper()} token"] = acc.token
        if acc.refresh_token:
            secrets_[f"user {acc.label.upper()} refresh token"] = acc.refresh_token
    if "burst_password" in ctx.session.cache:
        secrets_["failed-login password"] = ctx.session.cache["burst_password"]
    if not secrets_:
        return ctx.errored("no password or token was sent during the probes")
    if not any(line.strip() for line in logs.splitlines()):
        # nothing to search: the app logs elsewhere (a file, a service) or its output was not
        # captured; an empty log shows nothing about what the app would write
        return ctx.errored(
            "the app's captured output has no log line at all after "
            f"{len(ctx.session.records)} requests: there is nothing to search for secrets",
            ctx.note("searched", secrets=list(secrets_), log_lines=0),
        )
    found = []
    for label, value in secrets_.items():
        for line in logs.splitlines():
            if value in line:
                found.append(f"{label}: {line.replace(value, '<' + label + '>')[:300]}")
                break
    if found:
        return ctx.failed(
            f"{len(found)} secret values appear in the log", ctx.note("log lines", lines=found)
        )
    return ctx.passed(
        f"none of {len(secrets_)} probe secrets ({', '.join(secrets_)}) appears in "
        f"{len(logs.splitlines())} log lines",
        ctx.note("searched", secrets=list(secrets_), log_lines=len(logs.splitlines())),
    )


@probe(
    "live.no-crash",
    requirement="robustness.no-crash",
    title="after the probe suite the app is still up and answering",
    phase="final",
)
async def no_crash(ctx: ProbeContext) -> CheckResult:
    """Fails: after the probe suite the app's process is dead, does not answer, or answers 5xx.

    Passes: it still answers."""
    path = ctx.api.health_path or (ctx.api.resource.collection_path if ctx.api.resource else "/")
    if not ctx.app.alive():
        return ctx.failed(
            "the app's process died during the probes",
            ctx.note("log tail", tail=ctx.app.logs().splitlines()[-20:]),
        )
    resp, ex = await ctx.exchange("GET", path, purpose="liveness", timeout=5.0)
    errors = [r for r in ctx.session.records if r.exchange.error]
    if resp is None:
        return ctx.failed(
            f"the process is alive but GET {path} gets no answer ({ex.error})",
            ctx.evidence(ex, "final request"),
        )
    if resp.status_code >= 500:
        return ctx.failed(
            f"GET {path} answers {resp.status_code} after the probes",
            ctx.evidence(ex, "final request"),
        )
    msg = (
        f"still up: GET {path} answers {resp.status_code} after {len(ctx.session.records)} requests"
    )
    if errors:
        msg += f" ({len(errors)} requests on the way got no answer)"
    return ctx.passed(msg, ctx.evidence(ex, "final request"))


@probe(
    "live.graceful-shutdown",
    requirement="lifecycle.graceful-shutdown",
    title="on SIGTERM in-flight requests finish and the process exits cleanly within the bound",
    phase="shutdown",
    timeout_s=40.0,
    bound_s=10.0,
    hold_s=0.5,
)
async def graceful_shutdown(ctx: ProbeContext) -> CheckResult:
    """A request is held in flight (its body only half sent) while SIGTERM arrives; a graceful
    server answers it once the body is complete and then exits, a killed one drops it.

    The exit status is reported but not judged: servers such as uvicorn re-raise the signal
    after a clean shutdown, so 143 does not mean the shutdown was abrupt."""
    bound = float(ctx.options["bound_s"])
    hold = float(ctx.options["hold_s"])
    res = ctx.api.resource
    a = ctx.session.a_if_signed_in
    path = res.collection_path if res is not None else (ctx.api.health_path or "/")
    payload = {**(res.create_example if res else {}), "title": "in flight at SIGTERM"}
    full = json.dumps(payload).encode()
    half = len(full) // 2
    release = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield full[:half]
        await release.wait()
        yield full[half:]

    user_headers, _ = credentials(ctx.api, a)
    headers = {
        **user_headers,
        "Content-Type": "application/json",
        "Content-Length": str(len(full)),
        "Connection": "close",  # no idle keep-alive socket to hold up a server.close()
    }
    url = ctx.app.base_url.rstrip("/") + path
    ex = Exchange(
        method="POST",
        url=url,
        curl=curl_line(ctx.app.curl_prefix, "POST", url, headers, full),
        request_headers=headers,
        request_body=full.decode(),
    )

    own = open_client(ctx.app)

    async def send() -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            resp = await own.post(url, content=body(), headers=headers, timeout=bound + hold + 5)
        except httpx.HTTPError as exc:
            ex.error = f"{type(exc).__name__}: {exc}"[:300]
            resp = None
        ex.elapsed_ms = round((time.perf_counter() - t0) * 1000, 2)
        if resp is not None:
            ex.status = resp.status_code
            ex.response_headers = {k.lower(): v for k, v in resp.headers.items()}
            ex.body_excerpt = resp.text[:2048]
        return resp

    await ctx.session.client.aclose()  # idle keep-alive sockets would delay a graceful close
    inflight = asyncio.create_task(send())
    await asyncio.sleep(0.3)  # the server has the headers and half the body
    stopping = asyncio.create_task(asyncio.to_thread(ctx.app.stop_gracefully, bound))
    await asyncio.sleep(hold)
    release.set()
    resp = await inflight
    await own.aclose()
    outcome = await stopping
    info = ctx.note("SIGTERM outcome", **{k: v for k, v in outcome.items() if k != "log_tail"})
    ev = ctx.evidence(ex, f"request held in flight across SIGTERM: {ex.status or ex.error}")
    if not outcome.get("exited"):
        return ctx.failed(f"the process did not exit within {bound:g} s of SIGTERM", info, ev)
    if resp is None:
        return ctx.failed(
            "the request in flight at SIGTERM was dropped: the process died without finishing it",
            info,
            ev,
        )
    return ctx.passed(
        f"the in-flight request was answered ({resp.status_code}) and the process exited "
        f"{outcome.get('seconds', '?')} s after SIGTERM (exit status {outcome.get('exit_code')})",
        info,
        ev,
    )
