"""The probe session's setup: check the app answers, sign in users A and B, and give A a few
records (distinct titles, one completed) for the read, list, filter and ownership probes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from harness.apimodel import Account, ApiModel, open_client, record_id, sign_in
from harness.apimodel._json import json_body
from harness.catalogue import CheckSpec
from harness.probes._context import ProbeContext, Record, Session, title_field
from harness.probes._wrong_password import wrong_password_accepted

SETUP = CheckSpec(id="setup", requirement="", kind="live", title="probe session setup")
SEED_TITLES = ("Probe alpha", "Probe bravo", "Probe charlie")


def seed_body(example: dict[str, Any], index: int) -> dict[str, Any]:
    body = dict(example)
    body[title_field(example)] = SEED_TITLES[index % len(SEED_TITLES)]
    for flag in ("completed", "done", "is_completed", "isCompleted"):
        if flag in body:
            body[flag] = index == 1
    return body


async def setup(session: Session) -> None:
    ctx = ProbeContext(session, SETUP)
    api = session.api
    first = api.health_path or (api.resource.collection_path if api.resource else "/")
    resp, ex = await ctx.exchange("GET", first, purpose="liveness")
    if resp is None:
        session.setup_error = f"the app does not answer GET {first}: {ex.error}"
        session.setup_evidence.append(ctx.evidence(ex, "first request"))
        return
    auth = api.auth
    if auth.login is None and auth.registration is None:
        session.setup_error = "no sign-in flow was found (no register/login route)"
        session.setup_evidence.append(
            ctx.note(session.setup_error, operations=[op.key for op in api.operations][:40])
        )
    else:
        spare = api.take_account()
        a = spare if spare is not None and spare.signed_in else Account.fresh("a")
        b = Account.fresh("b")
        if a is spare:
            a.label = "a"
            for ex, text in a.transcript:
                session.records.append(Record(SETUP.id, "sign-in", ex, text, _parse(text), None))
            session.notes.append("user A is the account registered while the API model was built")
            await sign_in(api, ctx.send, b)
        elif auth.confirmed:
            await asyncio.gather(sign_in(api, ctx.send, a), sign_in(api, ctx.send, b))
        else:
            await sign_in(api, ctx.send, a)
            await sign_in(api, ctx.send, b)
        session.a, session.b = a, b
        if not a.signed_in:
            session.setup_error = "user A could not register and sign in"
            tail = [r for r in session.records if r.purpose == "sign-in"][-4:]
            session.setup_evidence += [ctx.evidence(r.exchange, "sign-in attempt") for r in tail]
            session.notes.append(session.setup_error)
            return
        # before any probe's failed logins can trip a rate limiter
        await wrong_password_accepted(ctx)
    res = api.resource
    if res is None:
        session.notes.append(
            "no resource collection: probes that need records say not_checkable (or "
            "not_applicable when the app has no data routes at all)"
        )
        return
    user = session.a_if_signed_in
    for i in range(len(SEED_TITLES)):
        body = seed_body(res.create_example, i)
        resp, ex = await ctx.exchange("POST", res.create_path, user=user, json=body, purpose="seed")
        if resp is None or not resp.is_success:
            session.notes.append(f"seeding a {res.name} record failed: {ex.status}")
            session.setup_evidence.append(ctx.evidence(ex, "seeding a record failed"))
            break
        data = json_body(resp)
        rid = record_id(data, res.name.rstrip("s"), res.id_field)
        if rid is None:
            session.notes.append("the create response carries no recognisable id")
            session.setup_evidence.append(ctx.evidence(ex, "create response without id"))
            break
        session.seeds.append({"id": rid, "body": body, "data": data, "exchange": ex})


def _parse(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


@contextlib.asynccontextmanager
async def signed_in_session(app: Any, api: ApiModel) -> AsyncIterator[Session]:
    """A probe session on ``app`` after setup (users A and B signed in, A's records seeded), as
    the probes get it; the client is closed on exit."""
    client = open_client(app)
    session = Session(app=app, api=api, client=client)
    try:
        await setup(session)
        yield session
    finally:
        await client.aclose()


async def account_for(session: Session, label: str) -> Account | None:
    """The signed-in user called ``label``: A or B of the session, or one signed in now."""
    known: dict[str, Account] = session.cache.setdefault("accounts by label", {})
    known.update({acc.label: acc for acc in session.accounts()})
    if label not in known:
        known[label] = Account.fresh(label)
        await sign_in(session.api, ProbeContext(session, SETUP).send, known[label])
    return known[label] if known[label].signed_in else None
