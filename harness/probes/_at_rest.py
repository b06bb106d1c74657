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
import base64
import hashlib
import re
import secrets
from typing import Any

from harness.probes._context import ProbeContext, probe, title_field
from harness.probes._storage import find_rows, json_store_records
from harness.scorecard import CheckResult

SECRET_FIELD = re.compile(
    r"^(api_?key|apikey|api_?secret|secret(_?key)?|client_?secret|access_?token|refresh_?token|"
    r"token|auth_?token|private_?key|ssn|social_?security(_number)?|card_?number|credit_?card|"
    r"cc_?number|iban|account_?number|webhook_?secret|signing_?secret|passphrase)$",
    re.I,
)


def _fields(schema: dict[str, Any] | None, example: dict[str, Any]) -> list[str]:
    props = (schema or {}).get("properties") or {}
    names = [*props, *example]
    return list(dict.fromkeys(n for n in names if isinstance(n, str)))


def _fast_hashes(value: str) -> dict[str, str]:
    """The value as a fast unsalted hash, or merely encoded: both are as good as in the clear."""
    raw = value.encode()
    out = {name: hashlib.new(name, raw).hexdigest() for name in ("md5", "sha1", "sha256")}
    out["base64"] = base64.b64encode(raw).decode()
    out["hex"] = raw.hex()
    return out


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
        for name in fields:
            if SECRET_FIELD.match(name):
                targets.append((op.path, name, example))
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
        hashes = _fast_hashes(secret)
        needles = [secret, *hashes.values(), marker]
        rows = await asyncio.to_thread(find_rows, ctx.app, needles)
        docs = await asyncio.to_thread(json_store_records, ctx.app, [secret, marker])
        where = f"POST {path} field {field}"
        stored = [
            (f"{p} table {t}", dict(zip(cols, vals, strict=False))) for p, t, cols, vals in rows
        ]
        stored += [(p, obj) for p, obj in docs]
        verbatim = [w for w, row in stored if secret in map(str, row.values())]
        hashed = [
            (w, name)
            for w, row in stored
            for name, digest in hashes.items()
            if digest in map(str, row.values())
        ]
        if verbatim:
            hits.append(ctx.evidence(ex, f"{where}: stored as sent in {verbatim[0]}"))
        elif hashed:
            hits.append(
                ctx.evidence(ex, f"{where}: stored as {hashed[0][1]} of it in {hashed[0][0]}")
            )
        elif any(marker in map(str, row.values()) for _, row in stored):
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
