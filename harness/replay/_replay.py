"""Re-send a scorecard's recorded exchanges to a freshly started app: then vs now.

The app is started again from the scored folder, users are signed in afresh, and every recorded
request of the chosen checks is sent again in its recorded order, with the credentials of the
user who sent it then (``Exchange.as_user``) replaced by that user's new ones. Record ids in
paths are sent as recorded: the fresh app seeds the same records in the same order, so most
match, and a 404 where there was a 200 is worth a look rather than a verdict.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from harness._errors import InputError
from harness.replay._curl import TRUNCATED, request_path
from harness.scorecard import Exchange, Scorecard

MAX_EXCHANGES = 300
_HOP = {"host", "content-length", "connection", "transfer-encoding", "cookie"}


class ReplayedExchange(BaseModel):
    """One recorded request sent again."""

    check: str
    requirement: str
    method: str
    path: str = Field(description="Path and query, without the run's host and port.")
    as_user: str | None = None
    then_status: int | None = None
    now_status: int | None = None
    then_excerpt: str = ""
    now_excerpt: str = ""
    now_error: str | None = None
    skipped: str | None = Field(default=None, description="Why it was not sent again.")

    @property
    def changed(self) -> bool:
        return self.skipped is None and self.then_status != self.now_status


class Replay(BaseModel):
    """What ``harness replay`` did."""

    scorecard: str
    repo: str
    base_url: str
    exchanges: list[ReplayedExchange] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def changed(self) -> list[ReplayedExchange]:
        return [x for x in self.exchanges if x.changed]


def recorded(card: Scorecard, only: set[str] | None = None) -> list[tuple[str, str, Exchange]]:
    """(check id, requirement, exchange) of every live check's evidence, in recorded order, once
    each; ``only`` keeps the checks whose id or requirement it names."""
    seen: set[tuple] = set()
    out: list[tuple[str, str, Exchange]] = []
    for rid, verdict in card.requirements.items():
        for result in verdict.checks:
            if result.kind != "live" or (only and not {result.check, rid} & only):
                continue
            for ev in result.evidence:
                x = ev.exchange
                if x is None:
                    continue
                key = (result.check, x.method, x.url, x.request_body, x.as_user)
                if key not in seen:
                    seen.add(key)
                    out.append((result.check, rid, x))
    return out


async def _send_again(session: Any, check: str, rid: str, x: Exchange) -> ReplayedExchange:
    from harness.apimodel import cookie_header, credentials
    from harness.probes import account_for

    row = ReplayedExchange(
        check=check,
        requirement=rid,
        method=x.method,
        path=request_path(x.url),
        as_user=x.as_user,
        then_status=x.status,
        then_excerpt=x.body_excerpt[:200],
    )
    if x.request_body is not None and TRUNCATED.search(x.request_body):
        row.skipped = "its body was recorded in part only"
        return row
    auth_header = session.api.auth.header_name.lower()
    headers = {
        k: v
        for k, v in x.request_headers.items()
        if k.lower() not in _HOP and not (x.as_user and k.lower() == auth_header)
    }
    if x.as_user:
        account = await account_for(session, x.as_user)
        if account is None:
            row.skipped = f"user {x.as_user} could not sign in this time"
            return row
        fresh, cookies = credentials(session.api, account)
        headers.update(fresh)
        headers.update(cookie_header(cookies))
    elif "cookie" in {k.lower() for k in x.request_headers}:
        headers.update({k: v for k, v in x.request_headers.items() if k.lower() == "cookie"})
    body = x.request_body.encode() if x.request_body is not None else None
    url = session.app.base_url.rstrip("/") + row.path
    try:
        resp = await session.client.request(x.method, url, headers=headers, content=body)
    except Exception as exc:  # a refused or dropped connection is the answer
        row.now_error = f"{type(exc).__name__}: {exc}"[:200]
        return row
    row.now_status = resp.status_code
    row.now_excerpt = resp.text[:200]
    return row


def replay(
    card_path: Path,
    *,
    only: set[str] | None = None,
    runner: str | None = None,
    startup_timeout: float | None = None,
    serve_for: float | None = None,
    on_serve: Callable[[str, dict[str, str]], None] | None = None,
    say: Callable[[str], None] = lambda _m: None,
) -> Replay:
    """Start the scored app again and re-send ``card_path``'s recorded exchanges.

    With ``serve_for`` (seconds; ``float("inf")`` until interrupted), the app then stays up behind
    a relay on 127.0.0.1 and ``on_serve(url, variables)`` gets the URL and the fresh users'
    credentials (``TOKEN_A``, ``COOKIE_A``, ...) that the reports' curl lines use."""
    from harness.apimodel import build_api_model, run_sync
    from harness.app import detect_app
    from harness.report import load_scorecard
    from harness.runner import start_app

    card = load_scorecard(card_path)
    repo = Path(card.repo.path)
    if not repo.is_dir():
        raise InputError(f"the scored folder {repo} is gone; replay needs it to start the app")
    chosen = recorded(card, only)
    if only and not chosen:
        raise InputError(f"no recorded live exchange for {', '.join(sorted(only))}")
    result = Replay(scorecard=str(card_path), repo=str(repo), base_url="")
    if len(chosen) > MAX_EXCHANGES:
        result.notes.append(f"{len(chosen)} exchanges recorded; the first {MAX_EXCHANGES} sent")
        chosen = chosen[:MAX_EXCHANGES]
    if chosen and all(x.as_user is None for _, _, x in chosen) and card.run.mode != "static":
        result.notes.append(
            "no exchange names its user (a scorecard written before users were recorded): "
            "credentials are sent as recorded and will likely be refused"
        )
    profile = detect_app(repo)
    task = Path(card.task) if card.task and Path(card.task).is_dir() else None
    wait = {} if startup_timeout is None else {"startup_timeout": startup_timeout}
    say(f"starting {repo} again ({runner or card.run.runner or 'local'})...")
    with start_app(profile, runner=runner or card.run.runner or "local", **wait) as app:
        result.base_url = app.base_url
        api = build_api_model(profile, task_dir=task, app=app)
        say(f"app is up at {app.base_url}; re-sending {len(chosen)} exchanges...")
        run_sync(_replay_all(app, api, chosen, result, serve_for, on_serve))
    return result


async def _replay_all(
    app: Any,
    api: Any,
    chosen: list[tuple[str, str, Exchange]],
    result: Replay,
    serve_for: float | None,
    on_serve: Callable[[str, dict[str, str]], None] | None,
) -> None:
    from harness.apimodel import credentials
    from harness.probes import account_for, signed_in_session
    from harness.replay._relay import relay

    async with signed_in_session(app, api) as session:
        if session.setup_error:
            result.notes.append(f"setup: {session.setup_error}")
        for check, rid, x in chosen:  # in order: a later request may rely on an earlier one
            result.exchanges.append(await _send_again(session, check, rid, x))
        if serve_for is None:
            return
        variables: dict[str, str] = {}
        for label in sorted({x.as_user for _, _, x in chosen if x.as_user} | {"a", "b"}):
            account = await account_for(session, label)
            if account is None:
                continue
            _, cookies = credentials(api, account)
            if account.token:
                variables[f"TOKEN_{label.upper()}"] = account.token
            if cookies:
                variables[f"COOKIE_{label.upper()}"] = "; ".join(
                    f"{k}={v}" for k, v in cookies.items()
                )
        async with relay(getattr(app, "socket_path", None), app.base_url) as url:
            variables = {"APP": url, **variables}
            if on_serve is not None:
                on_serve(url, variables)
            await asyncio.sleep(serve_for if serve_for != float("inf") else 10**9)
