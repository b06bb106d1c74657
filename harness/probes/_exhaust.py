"""Resource exhaustion, live (CWE-400/770/1333): an oversized JSON body, an oversized upload, a
decompression bomb, a catastrophic regular expression and a huge size parameter, each after a
normal request of the same shape was served (the control). Every request is bounded: bodies of a
few MB (at most about 16 MB), bombs small on the wire, strict time budgets, responses read up to a
cap; after a request that may have stalled the app, the probe waits until it answers again.

Filed like the static checks: the body and regex and size probes under ``validation.input``, the
upload and bomb probes under ``validation.upload``, and all of them again under
``robustness.resource-limits``. They run in their own sequential phase ("exhaust") after the
others, so that a stalled worker cannot spoil another probe's verdict; ``robustness.no-crash``
runs after them and sees an app they brought down."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from harness.apimodel import Operation
from harness.app import Hazard
from harness.probes import _payloads as pl
from harness.probes._bounded import MB, Answer, bounded, recover, said
from harness.probes._context import ProbeContext, ProbeSkip, probe
from harness.probes._exhaust_routes import (
    file_field,
    handler_of,
    hazards,
    operation_of,
    route_inputs,
    shape,
)
from harness.scorecard import CheckResult, Evidence

RESOURCE_LIMITS = "robustness.resource-limits"

# ------------------------------------------------------------ one run for both requirements

Outcome = tuple[str, str, list[Evidence]]  # (pass|fail|not_checkable|skip, message, evidence)


async def _once(ctx: ProbeContext, key: str, run: Callable[[], Awaitable[Outcome]]) -> CheckResult:
    """Run a probe body once per session; the twin registered under the other requirement
    reports the same observation rather than sending the payloads again."""
    cache = ctx.session.cache
    if key not in cache:
        try:
            cache[key] = await run()
        except asyncio.CancelledError:  # the probe's time ran out: the twin must not start over
            cache[key] = ("error", "the probe did not finish within its time budget", [])
            raise
    status, message, evidence = cache[key]
    if status == "skip":
        raise ProbeSkip(message, *evidence)
    return {
        "pass": ctx.passed,
        "fail": ctx.failed,
        "not_checkable": ctx.not_checkable,
        "error": ctx.errored,
    }[status](message, *evidence)


def _twin(id: str, requirement: str, title: str, key: str, body: Callable) -> None:
    """Register ``body`` as ``live.<id>`` under ``requirement`` and again under
    robustness.resource-limits."""

    async def run(ctx: ProbeContext) -> CheckResult:
        return await _once(ctx, key, lambda: body(ctx))

    run.__doc__ = body.__doc__  # the reference in docs/probes.md is the body's docstring

    for req, cid in ((requirement, f"live.{id}"), (RESOURCE_LIMITS, f"live.resource-limits.{id}")):
        probe(cid, requirement=req, title=title, phase="exhaust", timeout_s=240)(run)


@dataclass
class _Tally:
    """What the probes that aim at hazardous routes found, route by route: each route fails,
    passes or could not be judged (blind, with the reason)."""

    failed: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    blind: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def reachable(
        self, ctx: ProbeContext, found: list[Hazard], methods: tuple[str, ...] = ()
    ) -> Iterator[tuple[Hazard, Operation]]:
        """Each hazard with the operation that serves it; one the probe cannot send to (no such
        route, path parameters, another method) is noted as blind."""
        for hz in found:
            op = operation_of(ctx, hz)
            if op is None or op.path_params or (methods and op.method not in methods):
                self.blind.append(f"{hz.route}: not served as a route the probe can reach")
                continue
            yield hz, op

    def outcome(self, failed: str, passed: str, nothing: str = "") -> Outcome:
        """fail when any route failed, else pass when any passed, else not checkable with why
        each route could not be judged (``nothing`` when there was none)."""
        if self.failed:
            return "fail", failed, self.evidence
        if self.passed:
            return "pass", passed, self.evidence
        return "not_checkable", "; ".join(self.blind) or nothing, self.evidence


def _control_path(ctx: ProbeContext) -> str:
    res = ctx.api.resource
    return ctx.api.health_path or (res.collection_path if res else "/")


# ---------------------------------------------------------------------- oversized JSON body


def _json_target(ctx: ProbeContext) -> tuple[str, str, dict[str, Any]] | None:
    """(method, path, accepted body) of a route that takes JSON: the main resource's create."""
    res = ctx.api.resource
    create = ctx.api.find("POST", res.create_path) if res is not None else None
    if res is not None and res.create_example and not (create and create.upload):
        return "POST", res.create_path, dict(res.create_example)
    for op in ctx.api.operations:
        json_body = op.body_kind == "json" and op.body_example and not op.upload
        if op.method in ("POST", "PUT") and not op.path_params and json_body:
            return op.method, op.path, dict(op.body_example or {})
    return None


def _inflate(body: dict[str, Any], size: int) -> tuple[dict[str, Any], str] | None:
    strings = [k for k, v in body.items() if isinstance(v, str)]
    if not strings:
        return None
    key = next(
        (k for k in ("title", "name", "text", "content", "description") if k in strings), strings[0]
    )
    return {**body, key: "A" * size}, key


async def _body_size(ctx: ProbeContext) -> Outcome:
    """Fails: a 4 MB JSON body to a write route is taken (2xx) or crashes the app.

    Passes: it is refused (413/400) while a normal-size body of the same shape was served."""
    target = _json_target(ctx)
    if target is None:
        return "skip", "no route takes a JSON body the probe knows how to fill", []
    method, path, example = target
    size = int(float(ctx.options.get("json_oversize_mb", 4)) * MB)
    inflated = _inflate(example, size)
    if inflated is None:
        return "not_checkable", f"{method} {path}: its body has no text field to grow", []
    big, key = inflated
    control = await bounded(ctx, method, path, json=example)
    ev = [ctx.evidence(control.exchange, f"control body: {said(control)}")]
    if not control.ok:
        return (
            "not_checkable",
            f"the control body was not accepted by {method} {path} ({said(control)}): "
            "a refusal of the oversized one would show nothing",
            ev,
        )
    a = await bounded(ctx, method, path, json=big, timeout=30)
    ev.append(ctx.evidence(a.exchange, f"{size // MB} MB in '{key}': {said(a)}"))
    if a.refused:
        return (
            "pass",
            f"a {size // MB} MB JSON body was refused ({a.status}) while the control was accepted",
            ev,
        )
    if a.ok:
        return "fail", f"{method} {path} accepted a {size // MB} MB JSON body: no size limit", ev
    if a.status is None and ctx.app.alive() and await recover(ctx, _control_path(ctx)):
        return (
            "pass",
            f"the connection was closed while the {size // MB} MB body was sent (refused early)",
            ev,
        )
    if a.status is not None and ctx.app.alive() and a.seconds < control.seconds + 2:
        return (
            "not_checkable",
            f"the {size // MB} MB JSON body got a server error at once ({said(a)}): "
            "refused by an error or broken by the size, the status does not say",
            ev,
        )
    return "fail", f"the {size // MB} MB JSON body broke the request: {said(a)}", ev


# ------------------------------------------------------------------------- oversized upload


def _upload_ops(ctx: ProbeContext) -> list[Operation]:
    ops = [
        op for op in ctx.api.upload_routes if op.method in ("POST", "PUT") and not op.path_params
    ]
    known = {(h.method, h.path) for h in hazards(ctx).expand}
    for op in ctx.api.operations:
        if (op.method, shape(op.path)) in known and op not in ops and not op.path_params:
            ops.append(op)
    return ops


def _label_for(ctx: ProbeContext, op: Operation) -> str:
    for hz in hazards(ctx).expand:
        if hz.method == op.method and hz.path == shape(op.path):
            return hz.label
    h = handler_of(ctx, op)
    if h and re.search(r"(?i)image|png|jpe?g|photo|avatar|picture", h.body + op.path):
        return "image"
    return "text"


async def _upload_size(ctx: ProbeContext) -> Outcome:
    """Fails: a 16.5 MB upload is stored (2xx) or crashes the app.

    Passes: it is refused (413/400) while a small upload to the same route was served."""
    ops = _upload_ops(ctx)
    if not ops:
        return "skip", "the app has no upload route without path parameters", []
    size = int(float(ctx.options.get("upload_oversize_mb", 16.5)) * MB)
    ev: list[Evidence] = []
    refused, accepted, unclear = [], [], []
    for op in ops[:2]:
        field_name, label = file_field(ctx, op), _label_for(ctx, op)
        small = pl.control(label)
        c = await bounded(ctx, op.method, op.path, file=(field_name, small, {}))
        ev.append(
            ctx.evidence(c.exchange, f"control {small[0]} ({len(small[1])} bytes): {said(c)}")
        )
        if not c.ok:
            continue
        big = pl.padded(small, size)
        a = await bounded(ctx, op.method, op.path, file=(field_name, big, {}), timeout=60)
        ev.append(ctx.evidence(a.exchange, f"{size / MB:.1f} MB {big[0]}: {said(a)}"))
        if a.refused or (a.status is None and await recover(ctx, _control_path(ctx))):
            refused.append(op.key)
        elif a.ok or not ctx.app.alive():
            accepted.append(op.key)
        else:  # a quick 5xx: refused by an error or broken by the size, the status won't say
            unclear.append(f"{op.key} answered {said(a)}")
    if accepted:
        return (
            "fail",
            f"{', '.join(accepted)} accepted a {size / MB:.1f} MB upload: "
            "no size limit at or below 16 MB",
            ev,
        )
    if refused:
        return (
            "pass",
            f"{size / MB:.1f} MB uploads were refused by {', '.join(refused)} "
            "while small ones were accepted",
            ev,
        )
    if unclear:
        return "not_checkable", f"the oversized upload got a server error: {'; '.join(unclear)}", ev
    return "not_checkable", "no upload route accepted the small control file", ev


_twin(
    "upload-size",
    "validation.upload",
    "an oversized upload (about 16 MB) is refused while a small one is accepted",
    "exhaust.upload-size",
    _upload_size,
)


# --------------------------------------------------------------------- decompression bombs


async def _bombs(ctx: ProbeContext) -> Outcome:
    """Fails: a route that unpacks archives or decodes images expands a bomb small on the wire
    (zip, tar.gz or gzip of about 199 KB that holds 200 MB; a 60 KB PNG of 64 Mpixel): it answers
    with the expansion, takes seconds, or dies.

    Passes: the bomb is refused quickly while a small archive or image was served."""
    found = hazards(ctx).expand
    if not found:
        return "skip", "no handler unpacks an archive or decodes an image", []
    size = int(float(ctx.options.get("bomb_mb", 200)) * MB)
    pixels = int(ctx.options.get("bomb_pixels", 64_000_000))
    t = _Tally()
    for hz, op in t.reachable(ctx, found[:2]):
        field_name = file_field(ctx, op)
        small = pl.control(hz.label)
        c = await bounded(ctx, op.method, op.path, file=(field_name, small, {}))
        t.evidence.append(ctx.evidence(c.exchange, f"control {small[0]}: {said(c)}"))
        if not c.ok:
            t.blind.append(f"{op.key}: the small {small[0]} was not accepted ({said(c)})")
            continue
        # a second or two of compression: off the event loop
        payload = await asyncio.to_thread(pl.bomb, hz.label, size, pixels)
        expands = f"{pixels / 1e6:.0f} Mpixel" if hz.label == "image" else f"{size // MB} MB"
        a = await bounded(ctx, op.method, op.path, file=(field_name, payload, {}), timeout=30)
        told = f"{payload[0]} ({len(payload[1]) // 1024} KB, expands to {expands}): {said(a)}"
        t.evidence.append(ctx.evidence(a.exchange, told))
        alive = ctx.app.alive() and await recover(ctx, _control_path(ctx))
        if a.refused:
            t.passed.append(op.key)
        elif a.ok or not alive or a.status is None:
            why = "processed" if a.ok else "the app stopped answering" if not alive else "no answer"
            t.failed.append(f"{op.key} ({why})")
        elif a.seconds > c.seconds + 2:
            t.failed.append(f"{op.key} (answered {a.status} after {a.seconds:.1f} s of work)")
        else:
            t.blind.append(f"{op.key}: answered {a.status} at once (an error, not a size check)")
    return t.outcome(
        f"a decompression bomb was expanded: {'; '.join(t.failed)}",
        f"decompression bombs were refused by {', '.join(t.passed)} "
        "while small files were accepted",
        "no bomb could be delivered",
    )


_twin(
    "decompression-bomb",
    "validation.upload",
    "a small archive or image that expands a thousandfold is refused before it is expanded",
    "exhaust.decompression-bomb",
    _bombs,
)


# ---------------------------------------------------------------- catastrophic patterns

_EVIL = "(a+)+$"


def _fill(op: Operation, pattern_field: str, pattern: str, subject: str) -> dict[str, Any]:
    """The request for ``op`` with the pattern in its field and the subject in every other
    text input."""
    values: dict[str, Any] = {}
    example = dict(op.body_example or {})
    for name in route_inputs(op):
        values[name] = (
            pattern
            if name == pattern_field
            else (example[name] if not isinstance(example.get(name, ""), str) else subject)
        )
    values.setdefault(pattern_field, pattern)
    return values


async def _send_pattern(
    ctx: ProbeContext, op: Operation, fld: str, pattern: str, subject: str, timeout: float
) -> Answer:
    values = _fill(op, fld, pattern, subject)
    if op.method in ("GET", "DELETE"):
        return await bounded(ctx, op.method, op.path, params=values, timeout=timeout)
    query = {k: v for k, v in values.items() if k in op.query_params}
    body = {k: v for k, v in values.items() if k not in op.query_params}
    if op.body_kind == "form":
        return await bounded(ctx, op.method, op.path, params=query, form=body, timeout=timeout)
    return await bounded(ctx, op.method, op.path, params=query, json=body, timeout=timeout)


async def _store_subject(ctx: ProbeContext, subject: str) -> bool:
    """Store a record whose text is ``subject`` (for searches over stored data)."""
    res = ctx.api.resource
    if res is None or not res.create_example:
        return False
    body = {k: (subject if isinstance(v, str) else v) for k, v in res.create_example.items()}
    a = await bounded(ctx, "POST", res.create_path, json=body)
    return a.ok


async def _redos(ctx: ProbeContext) -> Outcome:
    """Fails: a route that compiles a request value as a pattern stalls past the 2 s budget on
    `(a+)+$` against a growing subject, while the harmless pattern on the same subject answers
    quickly.

    Passes: the pattern is refused or answered within the budget; a slow machine alone never fails
    it (the harmless pattern is the control)."""
    found = [hz for hz in hazards(ctx).regex if hz.label]
    if not found:
        if hazards(ctx).regex:
            return (
                "not_checkable",
                "a handler compiles a request value as a pattern; which field is not known",
                [],
            )
        return "skip", "no handler compiles a request value as a regular expression", []
    budget = float(ctx.options.get("regex_budget_s", 2.0))
    t = _Tally()
    for hz, op in t.reachable(ctx, found[:2]):
        others = [n for n in route_inputs(op) if n != hz.label]
        stored = not others
        if stored and not await _store_subject(ctx, "aaaa!"):
            t.blind.append(f"{op.key}: searches stored data, and no record could be stored")
            continue
        c = await _send_pattern(ctx, op, hz.label, "a", "aaaa!", budget * 2)
        t.evidence.append(ctx.evidence(c.exchange, f"control pattern 'a': {said(c)}"))
        if not c.ok:
            t.blind.append(f"{op.key}: the control pattern was not served ({said(c)})")
            continue
        verdict = None
        for n in (16, 20, 22, 24, 26, 28):
            subject = "a" * n + "!"
            if stored and not await _store_subject(ctx, subject):
                break
            a = await _send_pattern(ctx, op, hz.label, _EVIL, subject, budget)
            t.evidence.append(ctx.evidence(a.exchange, f"{_EVIL!r} on {n} a's and '!': {said(a)}"))
            if a.refused and n == 16:
                verdict = "refused"
                break
            if a.status is None or a.seconds >= budget:
                verdict = f"stalled past the {budget:g} s budget at {n} characters"
                await recover(ctx, _control_path(ctx), wait=90)
                # the benign pattern on the same subject: quick, or the app is merely slow
                again = await _send_pattern(ctx, op, hz.label, "a", subject, budget * 2)
                t.evidence.append(ctx.evidence(again.exchange, f"control 'a' again: {said(again)}"))
                if not again.ok or again.seconds >= budget / 2:
                    verdict = "slow"
                break
        if verdict == "slow":
            t.blind.append(f"{op.key}: the benign pattern was slow too (a loaded app, not ReDoS)")
        elif verdict is None or verdict == "refused":
            t.passed.append(
                f"{op.key} ({verdict or 'answered within the budget up to 28 characters'})"
            )
        else:
            t.failed.append(f"{op.key}: {verdict}")
    return t.outcome(
        f"a crafted pattern stalls the server (ReDoS): {'; '.join(t.failed)}",
        f"catastrophic patterns do not stall {', '.join(t.passed)}; the control was served",
    )


_twin(
    "regex-redos",
    "validation.input",
    "a request value used as a pattern cannot stall the server ((a+)+$ within a 2 s budget)",
    "exhaust.regex-redos",
    _redos,
)


# ------------------------------------------------------------------------ huge size values


async def _send_size(
    ctx: ProbeContext, op: Operation, name: str, value: int, timeout: float
) -> Answer:
    """``name=value`` where the handler reads it: the query (with the small file on an upload
    route, e.g. an image resizer's width), or the JSON body next to the example's other fields."""
    if op.method == "GET" or name in op.query_params:
        upload = op.method != "GET" and op in _upload_ops(ctx)
        file = (file_field(ctx, op), pl.control(_label_for(ctx, op)), {}) if upload else None
        return await bounded(
            ctx, op.method, op.path, params={name: value}, file=file, timeout=timeout
        )
    body = {**(op.body_example or {}), name: value}
    return await bounded(ctx, op.method, op.path, json=body, timeout=timeout)


async def _sizes(ctx: ProbeContext) -> Outcome:
    """Fails: a size value of 1000000 (page size, count, dimensions) in the query, the JSON body or
    beside an upload is taken as is: echoed, used, or the app stalls or dies.

    Passes: it is capped or refused while a small value was served. A list with fewer records
    than the cap cannot show a cap: not checkable."""
    found = hazards(ctx).size
    if not found:
        return "skip", "no numeric request value is used as a size or count", []
    huge = int(ctx.options.get("huge", 1_000_000))
    t = _Tally()
    for hz, op in t.reachable(ctx, found[:3], methods=("GET", "POST", "PUT")):
        c = await _send_size(ctx, op, hz.label, 8, 10.0)
        t.evidence.append(ctx.evidence(c.exchange, f"control {hz.label}=8: {said(c)}"))
        if not c.ok:
            t.blind.append(f"{op.key}: the control {hz.label}=8 was not served ({said(c)})")
            continue
        a = await _send_size(ctx, op, hz.label, huge, 10.0)
        t.evidence.append(ctx.evidence(a.exchange, f"{hz.label}={huge}: {said(a)}"))
        grown = a.ok and a.size >= max(50 * max(c.size, 1), 256 * 1024)
        if a.refused:
            t.passed.append(f"{op.key} refused {hz.label}={huge}")
        elif grown or a.status is None or (a.status >= 500 and a.seconds > c.seconds + 2):
            t.failed.append(f"{op.key}: {hz.label}={huge} answered {said(a)}")
            await recover(ctx, _control_path(ctx))
        else:
            t.blind.append(
                f"{op.key}: {hz.label}={huge} answered {said(a)}, no larger than the control "
                "(a cap, or too little data to tell)"
            )
    return t.outcome(
        f"huge size values are honoured: {'; '.join(t.failed)}",
        f"huge size values are refused: {'; '.join(t.passed)}",
    )


_twin(
    "size-param",
    "validation.input",
    "a huge page size or dimension (1000000) is refused or capped",
    "exhaust.size-param",
    _sizes,
)


# last: the oversized body may be stored, and searches over stored records would read it
_twin(
    "body-size",
    "validation.input",
    "an oversized JSON body (a few MB) is refused while a normal one is accepted",
    "exhaust.body-size",
    _body_size,
)
