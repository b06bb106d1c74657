"""Error probes: provoked errors must not leak internals, bad input must be refused with 400/422,
status codes must mean what they say, and errors (and all responses) must keep one format."""

from __future__ import annotations

import secrets
from typing import Any

import jsonschema

from harness.apimodel import record_id
from harness.apimodel._json import json_body
from harness.probes._context import ProbeBlind, ProbeContext, ProbeError, Record, probe
from harness.probes._exercise import exercise_routes, provoke_on_routes
from harness.probes._preconditions import requires_resource
from harness.probes._session import title_field
from harness.probes._signals import leak
from harness.scorecard import CheckResult, Evidence, Exchange

_INFRA_PATHS = ("openapi", "swagger", "/docs", "redoc", "/metrics", "api-docs")


def _missing_id(ctx: ProbeContext) -> str:
    seed = ctx.session.todo_a
    if seed is not None and not str(seed["id"]).isdigit():
        return "000000000000000000000000"
    return "987654321"


async def _provoke(ctx: ProbeContext) -> list[tuple[str, Any, Exchange]]:
    """Requests that a robust API answers with a clean 4xx: (label, response, exchange)."""
    out: list[tuple[str, Any, Exchange]] = []
    res = ctx.api.resource
    a = ctx.session.a_if_signed_in

    async def send(label: str, method: str, path: str, **kw: Any) -> None:
        resp, ex = await ctx.exchange(method, path, purpose="client-mistake", **kw)
        out.append((label, resp, ex))

    await send("unknown route", "GET", f"/harness-no-such-route-{secrets.token_hex(3)}")
    if res is not None:
        json_h = {"Content-Type": "application/json"}
        await send(
            "malformed JSON",
            "POST",
            res.create_path,
            user=a,
            content='{"title": ',
            headers=json_h,
        )
        await send(
            "invalid UTF-8",
            "POST",
            res.create_path,
            user=a,
            content=b'{"title": "\xff\xfe\xfa"}',
            headers=json_h,
        )
        wrong = {
            k: ([1, 2] if isinstance(v, str) else "not-a-number")
            for k, v in res.create_example.items()
        } or {"title": [1, 2]}
        await send("wrong types", "POST", res.create_path, user=a, json=wrong)
        await send("JSON array body", "POST", res.create_path, user=a, json=[1, 2, 3])
        await send("unknown id", "GET", ctx.item_path(_missing_id(ctx), res), user=a)
        await send("huge id", "GET", ctx.item_path("9" * 40, res), user=a)
        await send("non-numeric id", "GET", ctx.item_path("abc%27%22", res), user=a)
        await send("negative limit", "GET", res.collection_path, user=a, params={"limit": "-1"})
        await send("huge offset", "GET", res.collection_path, user=a, params={"offset": "9" * 30})
    login = ctx.api.auth.login
    if login is not None:
        await send(
            "malformed login JSON",
            login.method,
            login.path,
            content="{not json",
            headers={"Content-Type": "application/json"},
        )
    return out


@probe(
    "live.errors-no-leak",
    requirement="errors.no-leak",
    title="provoked errors return clean bodies: no traceback, SQL, paths or exception text",
    phase="late",
)
async def errors_no_leak(ctx: ProbeContext) -> CheckResult:
    """Fails: a provoked error (malformed JSON, bad ids, wrong types, unknown routes) answers
    with a traceback, SQL, a file path or exception text.

    Passes: the provoked errors that were answered came back without internals; none
    answered: error."""
    provoked = await _provoke(ctx)
    own = {id(ex) for _, _, ex in provoked}
    leaks: list[Evidence] = []
    clean: list[Evidence] = []
    for label, resp, ex in provoked:
        if resp is None:
            continue
        found = leak(resp.text[:50000])
        if found:
            leaks.append(ctx.evidence(ex, f"{label}: {found}"))
        else:
            clean.append(ctx.evidence(ex, f"{label}: {resp.status_code}, clean"))
    # errors the other probes provoked (payloads in the inputs the handlers read) count too:
    # the earlier phases are over, so every one of them is in the session's records
    for rec in list(ctx.session.records):
        if id(rec.exchange) in own or not rec.status or rec.status < 400 or rec.status == 429:
            continue
        found = leak(rec.text[:50000])
        if found:
            leaks.append(ctx.evidence(rec.exchange, f"{rec.purpose or 'request'}: {found}"))
    if not leaks and not clean:
        raise ProbeError("the app answered none of the provoked errors")
    if leaks:
        return ctx.failed(f"{len(leaks)} error responses expose internals", *leaks[:6])
    return ctx.passed(f"{len(clean)} provoked errors came back without internals", *clean[:6])


@probe(
    "live.input-validation",
    requirement="validation.input",
    title="missing fields, wrong types, oversize strings and malformed JSON get 400/422",
)
@requires_resource
async def input_validation(ctx: ProbeContext) -> CheckResult:
    """A pass needs the positive control (a valid create body was accepted: the seeds) and at
    least one invalid field value refused; a refused malformed-JSON body alone shows only that
    the framework parses JSON."""
    res = ctx.resource()
    a = ctx.actor("a")
    if not ctx.session.seeds:
        raise ctx.cannot_seed(
            f"a valid {res.name} create body was not accepted (seeding records failed): "
            "refusals of invalid bodies would show nothing about validation"
        )
    example = res.create_example
    known, required, declared = _read_fields(ctx)
    size = int(ctx.options.get("oversize_chars", 100_000))
    # (label, request, field, invalid value): only fields the app is known to read are
    # perturbed; a learned example may carry defaults the handler never looks at
    cases: list[tuple[str, dict[str, Any], str | None, Any]] = [
        (
            "malformed JSON",
            {"content": '{"' + title_field(example) + '": "x",'},
            None,
            None,
        ),
    ]
    skipped: list[str] = []
    named = {k: v for k, v in example.items() if k in known}
    inferred = not known and bool(example)
    if inferred:
        # the handler's fields are unknown (read through a helper, say): perturb the fields of
        # the body the app accepted for the seeds; an invalid value counts against the app only
        # when read back stored, and a pass needs one of them refused
        named = dict(example)
        skipped.append(
            "which body fields the create handler reads is not known (no contract, OpenAPI "
            f"schema or readable handler): perturbed the accepted create body's {sorted(named)}"
        )
    if named:
        tfield = title_field(named)
        cases += [
            ("missing fields", {"json": {}}, None, None),
            ("wrong type for " + tfield, {"json": {**example, tfield: 12345}}, tfield, 12345),
            ("oversize " + tfield, {"json": {**example, tfield: "A" * size}}, tfield, "A" * size),
            ("null " + tfield, {"json": {**example, tfield: None}}, tfield, None),
        ]
        for key, value in named.items():
            if isinstance(value, bool):
                cases.append(
                    (f"non-boolean {key}", {"json": {**example, key: "notabool"}}, key, "notabool")
                )
                break
    else:
        tfield = None
        skipped.append(
            "which body fields the create handler reads is not known (no contract, OpenAPI "
            "schema or readable handler): only malformed JSON was sent"
        )
    accepted: list[Evidence] = []
    crashed: list[Evidence] = []
    refused: list[Evidence] = []
    tolerated: list[Evidence] = []
    field_refused = 0  # invalid field values (not malformed JSON) that were refused
    for label, kw, field, value in cases:
        if "content" in kw:
            kw = {**kw, "headers": {"Content-Type": "application/json"}}
        resp, ex = await ctx.exchange(
            "POST", res.create_path, user=a, purpose="client-mistake", **kw
        )
        if resp is None:
            crashed.append(ctx.evidence(ex, f"{label}: no answer"))
        elif resp.status_code >= 500:
            crashed.append(ctx.evidence(ex, f"{label}: server error {resp.status_code}"))
        elif not resp.is_success:
            refused.append(ctx.evidence(ex, f"{label}: {resp.status_code}"))
            if field is not None or label == "missing fields":
                field_refused += 1
        else:
            why = await _kept_invalid(
                ctx, res, a, resp, label, field, value, required, declared, stored_only=inferred
            )
            if why:
                accepted.append(
                    ctx.evidence(ex, f"{label}: accepted with {resp.status_code}, {why}")
                )
            else:
                tolerated.append(
                    ctx.evidence(
                        ex,
                        f"{label}: {resp.status_code}, but the invalid value is not seen stored "
                        "or used",
                    )
                )
    reg = ctx.api.auth.registration
    if reg is not None:
        resp, ex = await ctx.exchange(
            reg.method, reg.path, json={"password": "x"}, purpose="client-mistake"
        )
        if resp is not None and resp.is_success:
            accepted.append(ctx.evidence(ex, "registration without identity: accepted"))
        elif resp is None or resp.status_code >= 500:
            crashed.append(ctx.evidence(ex, f"registration without identity: {ex.status}"))
        else:
            refused.append(ctx.evidence(ex, f"registration without identity: {resp.status_code}"))
    notes = [ctx.note(s) for s in skipped]
    if accepted or crashed:
        parts = []
        if accepted:
            parts.append(f"{len(accepted)} invalid inputs accepted")
        if crashed:
            parts.append(f"{len(crashed)} crashed the handler")
        return ctx.failed("; ".join(parts), *(accepted + crashed)[:8], *notes)
    if not field_refused:
        return ctx.not_checkable(
            "no invalid field value was refused"
            + (
                f" ({len(tolerated)} answered 2xx without the invalid value being seen stored)"
                if tolerated
                else ""
            )
            + ": a refused malformed-JSON body alone shows only that JSON is parsed, not that "
            "input is validated",
            *refused[:4],
            *tolerated[:3],
            *notes,
        )
    odd = [e.message for e in refused if not any(f": {c}" in e.message for c in (400, 413, 422))]
    msg = f"all {len(refused)} invalid inputs that reach a read field were refused"
    if tolerated:
        msg = (
            f"{len(refused)} invalid inputs refused; {len(tolerated)} answered 2xx without the "
            "invalid value being stored or used"
        )
    if odd:
        msg += f" (some not with 400/413/422: {'; '.join(odd)})"
    return ctx.passed(msg, *refused[:6], *tolerated[:3], *notes)


def _read_fields(ctx: ProbeContext) -> tuple[set[str], set[str], bool]:
    """(fields the create handler reads or the contract declares, those required, whether the
    requirement comes from a contract/OpenAPI schema rather than the handler's source)."""
    res = ctx.resource()
    op = ctx.api.find("POST", res.create_path)
    schema = res.create_schema or (op.body_schema if op else None)
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return set(), set(), False
    props = set(schema["properties"])
    required = {f for f in schema.get("required") or [] if f in props}
    declared = op is not None and op.origin in ("task", "openapi")
    return props, required, declared


async def _kept_invalid(
    ctx: ProbeContext,
    res: Any,
    user: Any,
    resp: Any,
    label: str,
    field: str | None,
    value: Any,
    required: set[str],
    declared: bool,
    stored_only: bool = False,
) -> str | None:
    """Why a 2xx to an invalid request shows the app used it, or None when nothing shows it:
    the invalid value comes back in the record (as created or read back; only read back with
    ``stored_only``, where an echo of the request proves nothing), or a record was created
    without a field the app requires."""
    data = json_body(resp)
    rid = record_id(data, res.name.rstrip("s"), res.id_field)
    records = [] if stored_only else [data]
    if rid is not None:
        got, _ = await ctx.exchange(
            "GET", ctx.item_path(rid, res), user=user, purpose="client-mistake"
        )
        if got is not None and got.is_success:
            records.append(json_body(got))
    if label == "missing fields":
        if rid is None or not required:
            return None
        if declared:
            return f"a record was created without the required {sorted(required)}"
        tfield = title_field({f: "" for f in required})
        if tfield in required and any(_holds(r, tfield, (None, "")) for r in records):
            return f"a record was stored with no {tfield}"
        return None
    if field is None:
        return None
    if value is None and not (declared and field in required):
        return None
    if any(_holds(r, field, (value,)) for r in records):
        shown = "null" if value is None else repr(value)[:40]
        return f"the record holds {field}={shown}"
    return None


def _holds(data: Any, field: str, values: tuple[Any, ...], depth: int = 0) -> bool:
    """Whether a JSON body carries ``field`` with one of ``values`` (a missing field counts as
    None), in the record itself or one level of envelope."""
    if depth > 2 or not isinstance(data, dict):
        return False
    if field in data or (None in values and "id" in data):
        got = data.get(field)
        if any(got == v and type(got) is type(v) for v in values):
            return True
    return any(_holds(v, field, values, depth + 1) for v in data.values() if isinstance(v, dict))


@probe(
    "live.error-handler",
    requirement="errors.handler",
    title="errors, including framework 404/405 and crashes, come back in the JSON error format",
    phase="late",
)
async def error_handler(ctx: ProbeContext) -> CheckResult:
    """Fails: a provoked error, framework 404/405 or crash included, answers with HTML or plain
    text instead of the JSON error format.

    Passes: every provoked error came back as JSON."""
    provoked = await _provoke(ctx)
    res = ctx.api.resource
    if res is not None:
        resp, ex = await ctx.exchange("PATCH", res.collection_path, purpose="client-mistake")
        provoked.append(("wrong method", resp, ex))
    bad: list[Evidence] = []
    ok: list[Evidence] = []
    for label, resp, ex in provoked:
        if resp is None or resp.status_code < 400:
            continue
        ctype = resp.headers.get("content-type", "")
        if "json" not in ctype:
            bad.append(ctx.evidence(ex, f"{label}: {resp.status_code} as {ctype or 'no type'}"))
        elif leak(resp.text[:50000]):
            bad.append(ctx.evidence(ex, f"{label}: {resp.status_code} leaks internals"))
        else:
            ok.append(ctx.evidence(ex, f"{label}: {resp.status_code} JSON"))
    for rec in ctx.session.records:
        crashed = bool(rec.status and rec.status >= 500) and rec.check != ctx.spec.id
        if crashed and ("json" not in rec.content_type or leak(rec.text[:50000])):
            bad.append(ctx.evidence(rec.exchange, f"server error {rec.status} not in JSON form"))
    if bad:
        return ctx.failed(f"{len(bad)} error responses bypass a JSON error handler", *bad[:6])
    if not ok:
        if not any(resp is not None and resp.status_code >= 400 for _, resp, _ in provoked):
            raise ProbeBlind(
                f"the app answered all {len(provoked)} provoked mistakes (unknown route, "
                "malformed body, unknown id) with success: there is no error response to judge",
                *(ctx.evidence(ex, f"{label}: {ex.status}") for label, _, ex in provoked[:4]),
            )
        raise ProbeError("no error response could be provoked")
    return ctx.passed(f"{len(ok)} provoked errors came back as clean JSON", *ok[:6])


# ---------------------------------------------------------------- error format and envelope


def _message_key(body: dict[str, Any]) -> str | None:
    for key in ("message", "detail", "error_message", "msg", "error", "errors", "title"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return key
        if isinstance(value, dict):
            inner = _message_key(value)
            if inner:
                return f"{key}.{inner}"
        if isinstance(value, list) and key in ("errors", "detail") and value:
            return key
    return None


def _code_key(body: dict[str, Any]) -> str | None:
    for key in ("code", "error_code", "errorCode", "type", "status_code", "statusCode", "status"):
        value = body.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
            return key
    for key in ("error", "errors"):
        value = body.get(key)
        if isinstance(value, dict):
            inner = _code_key(value)
            if inner:
                return f"{key}.{inner}"
        if key == "error" and isinstance(value, str) and value.isupper() and " " not in value:
            return key  # "error": "NOT_FOUND" is a code
    return None


def _api_record(rec: Record) -> bool:
    """Responses of the API itself: not docs, not metrics, not CORS preflights (those are the
    browser protocol's, often answered by middleware before the app)."""
    if rec.purpose == "cors" or rec.exchange.method == "OPTIONS":
        return False
    path = rec.exchange.url.lower()
    return not any(p in path for p in _INFRA_PATHS)


def _schema(ctx: ProbeContext) -> dict[str, Any] | None:
    schema = ctx.params.get("schema")
    return schema if isinstance(schema, dict) and schema else None


def _validate(schema: dict[str, Any], body: Any) -> str | None:
    try:
        jsonschema.validate(body, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        return f"{where}: {exc.message[:200]}"
    except jsonschema.SchemaError as exc:
        raise ProbeError(f"the agent's schema is not a valid JSON schema: {exc.message}") from exc
    return None


@probe(
    "live.error-format",
    requirement="api.error-format",
    title="4xx/5xx bodies are JSON with one stable code + message shape",
    phase="late",
)
async def error_format(ctx: ProbeContext) -> CheckResult:
    """Fails: 4xx/5xx bodies seen during the probes are not JSON or do not share one code +
    message shape (the agent's error schema when given).

    Passes: every error response follows the shape."""
    provoked = await _provoke(ctx)
    own = {id(ex) for _, _, ex in provoked}

    def errors() -> list[Record]:
        return [
            r
            for r in ctx.session.records
            if r.status
            and r.status >= 400
            and r.status != 429
            and _api_record(r)
            and (r.check == ctx.spec.id or id(r.exchange) in own or r.purpose != "sign-in")
        ]

    records = errors()
    if not records and await provoke_on_routes(ctx):
        records = errors()
    if not records:
        tried = [r for r in ctx.session.records if r.check == ctx.spec.id]
        raise ProbeBlind(
            f"none of the {len(tried)} provoked client mistakes (unknown route, malformed body, "
            "unknown id) was answered with an error status: there is no error body to judge",
            *(ctx.evidence(r.exchange, f"answered {r.status}") for r in tried[:4]),
        )
    schema = _schema(ctx)
    bad: list[Evidence] = []
    shapes: dict[tuple[str | None, str | None], list[Record]] = {}
    for rec in records[:200]:
        if not isinstance(rec.data, dict):
            bad.append(
                ctx.evidence(
                    rec.exchange,
                    f"{rec.status} body is not a JSON object ({rec.content_type or 'no type'})",
                )
            )
            continue
        if schema is not None:
            problem = _validate(schema, rec.data)
            if problem:
                bad.append(
                    ctx.evidence(
                        rec.exchange, f"{rec.status} off the agent's error schema: {problem}"
                    )
                )
            continue
        shape = (_code_key(rec.data), _message_key(rec.data))
        shapes.setdefault(shape, []).append(rec)
    if schema is None:
        for (code, message), recs in shapes.items():
            if code is None or message is None:
                missing = " and ".join(
                    x for x, k in (("code", code), ("message", message)) if k is None
                )
                bad.append(
                    ctx.evidence(
                        recs[0].exchange,
                        f"{recs[0].status} error without a {missing} ({len(recs)} like it)",
                    )
                )
        if len(shapes) > 1:
            summary = {f"code={c} message={m}": len(v) for (c, m), v in shapes.items()}
            bad.append(ctx.note("error bodies come in several shapes", shapes=summary))
    if bad:
        return ctx.failed(f"{len(bad)} problems in {len(records)} error responses", *bad[:8])
    sample = [ctx.evidence(r.exchange, f"{r.status} error body") for r in records[:4]]
    how = "the agent's error schema" if schema else f"one shape {next(iter(shapes))}"
    return ctx.passed(f"all {len(records)} error responses follow {how}", *sample)


_ENVELOPE_KEYS = ("data", "success", "status", "result", "ok", "payload", "meta")


@probe(
    "live.envelope",
    requirement="api.envelope",
    title="every JSON response follows one envelope (the agent's schema when given)",
    phase="late",
)
async def envelope(ctx: ProbeContext) -> CheckResult:
    """Fails: successful JSON responses share no envelope, or do not validate against the
    agent's envelope schema.

    Passes: every JSON response seen follows the envelope."""

    def json_records() -> list[Record]:
        return [
            r
            for r in ctx.session.records
            if r.status
            and r.status != 429
            and r.data is not None
            and _api_record(r)
            and "json" in r.content_type
        ]

    records = json_records()
    if not any(r.status < 400 for r in records) and await exercise_routes(ctx):
        records = json_records()
    if not records:
        kinds = sorted({r.content_type or "no type" for r in ctx.session.records if r.status})
        raise ProbeBlind(
            f"the app answered none of {len(ctx.session.records)} requests with JSON "
            f"({', '.join(kinds[:5]) or 'no answers'}): there is no JSON response to judge"
        )
    schema = _schema(ctx)
    if schema is not None:
        bad = []
        for rec in records[:300]:
            problem = _validate(schema, rec.data)
            if problem:
                bad.append(ctx.evidence(rec.exchange, f"{rec.status} off the envelope: {problem}"))
        if bad:
            return ctx.failed(
                f"{len(bad)} of {len(records)} JSON responses are off the agent's envelope",
                *bad[:8],
            )
        return ctx.passed(
            f"all {len(records)} JSON responses validate against the agent's envelope",
            *(ctx.evidence(r.exchange, "sample") for r in records[:3]),
        )
    success = [r for r in records if r.status < 400]
    if not success:
        raise ProbeBlind(
            f"the app's {len(records)} JSON answers are all errors: no successful response "
            "shows its envelope",
            *(ctx.evidence(r.exchange, f"{r.status}") for r in records[:3]),
        )
    common: set[str] | None = None
    lists = [r for r in success if not isinstance(r.data, dict)]
    for rec in success:
        if isinstance(rec.data, dict):
            keys = set(rec.data) & set(_ENVELOPE_KEYS)
            common = keys if common is None else common & keys
    if lists or not common:
        odd = (
            lists[:2]
            or [
                r
                for r in success
                if isinstance(r.data, dict) and not (set(r.data) & set(_ENVELOPE_KEYS))
            ][:2]
        )
        shapes = sorted({_shape(r) for r in success})[:8]
        return ctx.failed(
            "successful responses share no envelope: " + "; ".join(shapes),
            *(ctx.evidence(r.exchange, "off the common shape") for r in odd),
        )
    return ctx.passed(
        f"all {len(success)} successful JSON responses share the envelope key(s) {sorted(common)}",
        *(ctx.evidence(r.exchange, "sample") for r in success[:3]),
    )


def _shape(rec: Record) -> str:
    path = rec.exchange.url.split("?")[0].split("/", 3)[-1]
    if isinstance(rec.data, dict):
        return f"{rec.exchange.method} /{path}: {{{', '.join(sorted(rec.data)[:5])}}}"
    return f"{rec.exchange.method} /{path}: {type(rec.data).__name__}"


# ---------------------------------------------------------------- status codes


def _error_body_on_success(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if data.get("success") is False or data.get("ok") is False:
        return True
    if str(data.get("status", "")).lower() in ("error", "fail", "failed"):
        return True
    return bool(data.get("error")) and not any(k in data for k in ("data", "id"))


def _wrong_method_codes(listed: set[int]) -> set[int]:
    """405, or also 404 when the agent lists the codes it uses and 405 is not one of them:
    Express, Koa and others answer an unrouted method with their 404, and such an agent did not
    promise the distinction."""
    return {404, 405} if listed and 405 not in listed and 404 in listed else {405}


@probe(
    "live.status-codes",
    requirement="http.status-codes",
    title="create 201, read 200, missing 404, invalid 400/422, no auth 401, admin 403, "
    "unknown route 404, wrong method 405; no 200-with-error, no 5xx for client mistakes",
    phase="late",
)
@requires_resource
async def status_codes(ctx: ProbeContext) -> CheckResult:
    """Fails: any of: create not 201, read not 200, missing record not 404, invalid body not
    400/422, no auth not 401, admin route for a user not 403, unknown route not 404, wrong
    method not 405 (404 too when the agent lists its codes without 405), a 200 carrying an
    error, a 5xx for a client mistake.

    Passes: every case that could be provoked answers as listed."""
    res = ctx.resource()
    session = ctx.session
    # what earlier phases recorded, and later this probe's own requests: the late probes running
    # beside it would make the verdict depend on which of their answers arrived first
    earlier = len(session.records)
    a = session.a_if_signed_in
    listed = {int(c) for c in ctx.params.get("codes") or [] if str(c).isdigit()}

    def expect(default: set[int]) -> set[int]:
        # the requirement's own expectations; the agent's list does not narrow them (an agent
        # listing 400 is not contradicted by a 422 for a schema violation) but codes it lists
        # that were probed for and never seen are reported with the result
        return default

    checks: list[tuple[str, set[int], int | None, Exchange]] = []

    async def probe_one(label: str, default: set[int], method: str, path: str, **kw: Any) -> Any:
        resp, ex = await ctx.exchange(method, path, purpose=kw.pop("purpose", "status"), **kw)
        checks.append((label, expect(default), ex.status, ex))
        return resp

    body = dict(res.create_example)
    created = await probe_one("create", {201}, "POST", res.create_path, user=a, json=body)
    rid = None
    if created is not None and created.is_success:
        from harness.apimodel import record_id

        try:
            rid = record_id(created.json(), res.name.rstrip("s"), res.id_field)
        except ValueError:
            rid = None
    if rid is None and session.todo_a:
        rid = session.todo_a["id"]
    if rid is not None:
        await probe_one("read", {200}, "GET", ctx.item_path(rid), user=a)
    await probe_one("list", {200}, "GET", res.collection_path, user=a)
    await probe_one(
        "missing id",
        {404},
        "GET",
        ctx.item_path(_missing_id(ctx)),
        user=a,
        purpose="client-mistake",
    )
    await probe_one(
        "invalid body",
        {400, 422},
        "POST",
        res.create_path,
        user=a,
        json={},
        purpose="client-mistake",
    )
    if a is not None:
        await probe_one(
            "unauthenticated", {401}, "GET", res.collection_path, purpose="client-mistake"
        )
    for op in ctx.api.admin_routes[:1]:
        if not op.path_params and a is not None:
            await probe_one("non-admin on admin route", {403}, op.method, op.path, user=a)
    await probe_one(
        "unknown route",
        {404},
        "GET",
        f"/harness-no-such-route-{secrets.token_hex(3)}",
        purpose="client-mistake",
    )
    wrong = next((m for m in ("DELETE", "PATCH", "PUT") if m not in res.collection_methods), None)
    if wrong:
        await probe_one(
            "wrong method",
            _wrong_method_codes(listed),
            wrong,
            res.collection_path,
            user=a,
            purpose="client-mistake",
        )
    # with seeded users only, the harness's anonymous writes meet the app's 401/403: that is
    # the app guarding its writes, not a wrong status for the case probed
    guarded = (401, 403) if a is None and ctx.users_seeded() else ()
    mismatches = [
        ctx.evidence(ex, f"{label}: expected {'/'.join(map(str, sorted(exp)))}, got {got}")
        for label, exp, got, ex in checks
        if got not in exp and got not in guarded
    ]
    judged = session.records[:earlier] + [
        r for r in session.records[earlier:] if r.check == ctx.spec.id
    ]
    for rec in judged:
        if rec.status == 200 and _error_body_on_success(rec.data):
            mismatches.append(ctx.evidence(rec.exchange, "200 with an error body"))
        elif rec.status and rec.status >= 500 and rec.purpose == "client-mistake":
            mismatches.append(ctx.evidence(rec.exchange, f"{rec.status} for a client mistake"))
    seen = {got for _, _, got, _ in checks} | {r.status for r in judged if r.status}
    probed = {c for _, exp, _, _ in checks for c in exp}
    unseen = sorted(c for c in listed & probed if c not in seen)
    extra = [ctx.note(f"codes the agent lists, probed for but never seen: {unseen}")]
    extra = extra if unseen else []
    if mismatches:
        return ctx.failed(f"{len(mismatches)} status code mismatches", *mismatches[:10], *extra)
    return ctx.passed(
        "; ".join(f"{label} {got}" for label, _, got, _ in checks),
        *extra,
        *(ctx.evidence(ex, label) for label, _, _, ex in checks[:6]),
    )
