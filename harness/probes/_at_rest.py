"""Secrets at rest: a distinctive secret written through the app must not be stored as sent.

The probe writes a record whose secret-looking field (an API key, a token, a card number...) holds
a fresh canary, and whose name field holds a second, harmless canary that marks the row. It then
reads every database the harness can read (SQLite files, and a snapshot of the app's PostgreSQL
or MariaDB servers) and the app's JSON stores. The row found by its name is the control: only when
it is found can the secret column be judged. The secret verbatim, or as a fast unsalted hash, is a
fail; a transformed value in the row is a pass.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import Any

from harness.probes._context import ProbeContext, probe, title_field
from harness.probes._lookup import search_storage, stored_forms
from harness.scorecard import CheckResult

SECRET_FIELD = re.compile(
    r"^(api_?key|apikey|api_?secret|secret(_?key)?|client_?secret|access_?token|refresh_?token|"
    r"token|auth_?token|private_?key|ssn|social_?security(_number)?|card_?number|credit_?card|"
    r"cc_?number|iban|account_?number|webhook_?secret|signing_?secret|passphrase)$",
    re.I,
)


# a password kept for the user (a vault, stored service credentials) off the sign-in routes
_KEPT_PASSWORD = re.compile(
    r"^(password|passwd|pwd|pin|service_?password|account_?password)$", re.I
)
# names that carry a secret inside a longer name: github_token, stripeSecret, api_token, accessKey
_NAMED_SECRET = re.compile(
    r"(^|_)(token|secret|api_?key|access_?key|private_?key|passphrase)$"
    r"|^(token|secret|api_?key)_",
)
_NOT_SECRET = re.compile(r"(_type|_id|_ids|_count|_name|_url|_at|_expires?|_length)$|^csrf")


def _snake(name: str) -> str:
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower().replace("-", "_")
    return "" if _NOT_SECRET.search(snake) else snake


# the generic value field of a route that stores secrets: POST /secrets {"name", "value"}
_SECRET_ROUTE = re.compile(r"secret|credential|vault|api[-_]?key|token|password", re.I)
_VALUE_FIELD = re.compile(r"^(value|data|content|secret_?value)$", re.I)


def _secret_fields(ctx: ProbeContext, path: str, fields: list[str]) -> list[str]:
    auth = {op.path for op in ctx.auth_routes()}
    for ep in (ctx.api.auth.registration, ctx.api.auth.login):
        if ep is not None:
            auth.add(ep.path)
    if path in auth:  # a sign-in stores no secret of its own (a password is judged elsewhere)
        return []
    out = [
        f
        for f in fields
        if SECRET_FIELD.match(f) or _KEPT_PASSWORD.match(f) or _NAMED_SECRET.search(_snake(f))
    ]
    if _SECRET_ROUTE.search(path):
        out += [f for f in fields if _VALUE_FIELD.match(f)]
    return list(dict.fromkeys(out))


def _fields(schema: dict[str, Any] | None, example: dict[str, Any]) -> list[str]:
    props = (schema or {}).get("properties") or {}
    names = [*props, *example]
    return list(dict.fromkeys(n for n in names if isinstance(n, str)))


@probe(
    "live.secrets-at-rest",
    requirement="data.encryption-at-rest",
    title="a secret written through the app is not stored as sent, nor as a fast hash",
    phase="late",
)
async def secrets_at_rest(ctx: ProbeContext) -> CheckResult:
    """Fails: a canary secret written through a route that takes a secret-named field is found
    in a readable database verbatim, base64/hex encoded or as an md5/sha1/sha256 hash.

    Passes: the row found by its marker holds a transformed value. When the row cannot be
    found: not checkable."""
    targets: list[tuple[str, str, dict[str, Any]]] = []  # (path, field, example body)
    known_bodies = 0
    for op in ctx.api.operations:
        if op.method not in ("POST", "PUT", "PATCH") or op.path_params:
            continue
        example = dict(op.body_example or {})
        fields = _fields(op.body_schema, example)
        known_bodies += bool(fields)
        targets += [(op.path, name, example) for name in _secret_fields(ctx, op.path, fields)]
    if not targets:
        if known_bodies:
            return ctx.not_applicable(
                f"none of the {known_bodies} write routes with known fields takes a field named "
                "like a secret (API key, token, card number...)"
            )
        return ctx.not_checkable(
            "no write route with known body fields: nothing to put a secret in"
        )
    user = ctx.session.a_if_signed_in
    hits, clean, unseen = [], [], []
    for path, field, example in targets[:3]:
        secret = f"sk_probe_{secrets.token_hex(12)}"
        marker = f"probe-row-{secrets.token_hex(6)}"
        name_field = title_field(example) if example else None
        body = {**example, field: secret}
        if name_field and name_field != field:
            body[name_field] = marker
        resp, ex = await ctx.exchange("POST", path, user=user, json=body, purpose="at-rest")
        if resp is None or not resp.is_success:
            unseen.append(f"POST {path} was refused ({ex.status})")
            continue
        forms = stored_forms(secret)
        found = await asyncio.to_thread(search_storage, ctx.app, {**forms, "marker": marker})
        where = f"POST {path} field {field}"
        leaked = [f for f in found if f.label != "marker"]
        if leaked:
            how = "as sent" if leaked[0].label == "as sent" else f"as {leaked[0].label} of it"
            hits.append(ctx.evidence(ex, f"{where}: stored {how} in {leaked[0].where}"))
        elif any(f.label == "marker" for f in found):
            clean.append(ctx.evidence(ex, f"{where}: the row was found, the secret transformed"))
        else:
            unseen.append(f"{where}: the written row was not found in any readable database")
    if hits:
        return ctx.failed(
            f"{len(hits)} secret(s) stored in the clear, encoded or as a fast hash", *hits
        )
    if clean:
        note = f"; not judged: {'; '.join(unseen)}" if unseen else ""
        return ctx.passed(f"{len(clean)} secret(s) stored transformed{note}", *clean)
    return ctx.not_checkable(
        "no written secret could be looked up in the app's storage: " + "; ".join(unseen)
    )
