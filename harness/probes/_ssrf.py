"""SSRF, live: every input that takes a URL (``url``, ``link``, ``webhook``, ``callback``,
``image_url``, ``target``...) is given the address of a canary HTTP server the harness runs on the
app's own loopback (inside its sandbox), written several ways (127.0.0.1, localhost, [::1], a
decimal and a short IPv4 form). A request arriving at the canary with the tag of that attempt is
the fail. A pass needs every loopback form refused while a public-looking URL (the agent's own
allow-listed host when it names one) was not refused the same way: the route works and refuses
for the right reason. No address outside the sandbox's loopback is ever handed to the app."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from harness.apimodel import Operation
from harness.probes._context import ProbeContext, probe
from harness.scorecard import CheckResult, Evidence, Exchange

URL_FIELD = re.compile(
    r"(?i)^(url|uri|href|link|links?_?url|target|target_?url|callback|callback_?url|webhook|"
    r"webhook_?url|endpoint|feed_?url|image_?url|imageurl|avatar_?url|avatarurl|icon_?url|"
    r"photo_?url|picture_?url|source_?url|sourceurl|src|site|site_?url|website|homepage|"
    r"redirect_?url|notify_?url|remote_?url|page_?url|pageurl|import_?url|fetch_?url|\w+_url|"
    r"\w+Url)$"
)
# path words of routes that fetch what they are given, when the handler's fields are unknown
FETCH_PATH = re.compile(r"(?i)preview|unfurl|fetch|proxy|scrape|crawl|webhook|import|oembed")
REFUSED = {400, 403, 409, 422}
SETTLE_S = 0.6  # an app may fetch after answering: wait this long before the last look
PUBLIC_CONTROLS = ("https://example.com/", "https://www.example.org/")
CONTAINED = {"sandbox", "netns"}  # isolations whose network is the app's own loopback only


@dataclass
class Surface:
    op: Operation
    field: str
    where: str  # json | form | query
    base: dict[str, Any]


@dataclass
class Outcome:
    surface: Surface
    control: tuple[Any, Exchange] | None = None
    tries: list[tuple[str, str, Any, Exchange]] = field(default_factory=list)  # form, tag, resp


def loopback_forms(port: int, tag: str) -> list[tuple[str, str]]:
    """The canary's URL written the ways a filter might miss; all of them mean this loopback."""
    path = f"/ssrf-{tag}"
    return [
        ("127.0.0.1", f"http://127.0.0.1:{port}{path}a"),
        ("localhost", f"http://localhost:{port}{path}b"),
        ("[::1]", f"http://[::1]:{port}{path}c"),
        ("decimal 2130706433", f"http://2130706433:{port}{path}d"),
        ("short 127.1", f"http://127.1:{port}{path}e"),
    ]


def url_surfaces(ctx: ProbeContext) -> list[Surface]:
    """Inputs that take a URL, by field name; routes that fetch by their path get ``url``."""
    out: list[Surface] = []
    for op in ctx.api.operations:
        if op.path_params and op.method == "GET":
            continue
        props = list((op.body_schema or {}).get("properties", {}) or {})
        base = {k: v for k, v in (op.body_example or {}).items() if not URL_FIELD.match(k)}
        for name in props:
            if URL_FIELD.match(name) and op.method != "GET":
                filler = {p: base.get(p, "probe") for p in props if p != name}
                out.append(Surface(op, name, op.body_kind, filler))
        for name in op.query_params:
            if URL_FIELD.match(name):
                out.append(Surface(op, name, "query", {}))
        if not props and op.method != "GET" and FETCH_PATH.search(op.path):
            out.append(Surface(op, "url", op.body_kind, {}))
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in out:
        if (s.op.key, s.field) not in seen:
            seen.add((s.op.key, s.field))
            unique.append(s)
    return unique[:8]


def _path(op: Operation) -> str:
    return re.sub(r"\{[^}]+\}", "1", op.path)


async def _send(ctx: ProbeContext, s: Surface, url: str, purpose: str) -> tuple[Any, Exchange]:
    user = ctx.session.a_if_signed_in
    if s.where == "query":
        return await ctx.exchange(
            s.op.method, _path(s.op), user=user, params={s.field: url}, purpose=purpose
        )
    body = {**s.base, s.field: url}
    if s.where == "form":
        return await ctx.exchange(s.op.method, _path(s.op), user=user, data=body, purpose=purpose)
    return await ctx.exchange(s.op.method, _path(s.op), user=user, json=body, purpose=purpose)


def _controls(ctx: ProbeContext) -> list[str]:
    hosts = [h for h in ctx.params.get("allowed_hosts", []) if isinstance(h, str)]
    return [f"https://{h}/" for h in hosts[:2]] + list(PUBLIC_CONTROLS)


@probe(
    "live.ssrf-canary",
    requirement="injection.ssrf",
    title="URLs sent to the app are not fetched when they point at its own loopback",
    timeout_s=60,
)
async def ssrf_canary(ctx: ProbeContext) -> CheckResult:
    """Fails: an input that takes a URL makes the app fetch the harness's canary on the app's own
    loopback (sent as 127.0.0.1, localhost, [::1], 2130706433 and 127.1, each tagged).

    Passes: no hit, the plain 127.0.0.1 form refused (4xx) and a public control URL (the agent's
    allowed hosts, else example.com) not refused. A URL taken without a hit decides nothing; on the
    host network (no control sent) or without a canary (docker): not checkable."""
    surfaces = url_surfaces(ctx)
    if not surfaces:
        unknown = [
            op.key
            for op in ctx.data_routes()
            if op.method in ("POST", "PUT", "PATCH") and not op.body_schema
        ]
        if unknown:
            return ctx.not_checkable(
                "no input known to take a URL, but the fields of "
                + ", ".join(unknown[:6])
                + " are unknown: a URL could not be placed"
            )
        return ctx.not_applicable(
            "no route takes a URL-like field (url, link, webhook, callback, image_url, target...)",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    canary_of = getattr(ctx.app, "canary", None)
    canary = canary_of() if callable(canary_of) else None
    if canary is None:
        return ctx.not_checkable(
            f"the {getattr(ctx.app, 'runner', 'current')} runner has no canary server on the "
            "app's loopback: a fetch of a URL the app was given cannot be observed",
            ctx.note("URL inputs found", inputs=[f"{s.op.key} {s.field}" for s in surfaces]),
        )
    # a public control URL is fetched for real by an app that can reach the network: only
    # where the app has a network namespace of its own with loopback alone
    contained = getattr(ctx.app, "isolation", "") in CONTAINED
    outcomes: list[Outcome] = []
    for s in surfaces:
        out = Outcome(s)
        for url in _controls(ctx) if contained else []:
            resp, ex = await _send(ctx, s, url, "ssrf control")
            out.control = (resp, ex)
            if resp is not None and resp.status_code not in REFUSED:
                break
        tag = secrets.token_hex(5)
        for form, url in loopback_forms(canary.port, tag):
            resp, ex = await _send(ctx, s, url, "ssrf canary")
            out.tries.append((form, tag, resp, ex))
        outcomes.append(out)
    await asyncio.sleep(SETTLE_S)
    return _judge(ctx, outcomes, canary.hits(), canary.port)


def _hit_for(hits: list[dict[str, str]], tag: str, suffix: str) -> dict[str, str] | None:
    return next((h for h in hits if h.get("path", "").startswith(f"/ssrf-{tag}{suffix}")), None)


def _judge(
    ctx: ProbeContext, outcomes: list[Outcome], hits: list[dict[str, str]], port: int
) -> CheckResult:
    fails: list[Evidence] = []
    passes: list[Evidence] = []
    undecided: list[Evidence] = []
    for out in outcomes:
        s = out.surface
        where = f"{s.op.key} {s.field}"
        hit_any = False
        for i, (form, tag, _resp, ex) in enumerate(out.tries):
            hit = _hit_for(hits, tag, "abcde"[i])
            if hit is not None:
                hit_any = True
                fails.append(
                    ctx.evidence(
                        ex,
                        f"{where}: the app fetched {form} (the canary on its loopback got "
                        f"{hit.get('method')} {hit.get('path')}); it answered {ex.status}",
                        canary_hit=hit,
                    )
                )
        if hit_any:
            continue
        control = out.control
        c_resp, c_ex = control if control else (None, None)
        refused = [t for t in out.tries if t[2] is not None and t[2].status_code in REFUSED]
        main_refused = bool(out.tries) and out.tries[0] in refused
        control_ok = c_resp is not None and c_resp.status_code not in REFUSED
        if main_refused and control_ok and c_ex is not None:
            others = [t[0] for t in out.tries if t not in refused]
            rest = f", the rest answered without a fetch: {', '.join(others)}" if others else ""
            passes.append(
                ctx.evidence(
                    out.tries[0][3],
                    f"{where}: loopback URLs refused ({len(refused)} of {len(out.tries)} forms "
                    f"with 4xx{rest}); "
                    "no request reached the canary",
                )
            )
            passes.append(
                ctx.evidence(
                    c_ex,
                    f"{where}: control, a public URL, was not refused ({c_ex.status}): the route "
                    "reads the field and refuses for the address",
                )
            )
        elif not main_refused:
            first = out.tries[0][3] if out.tries else None
            undecided.append(
                ctx.evidence(
                    first,
                    f"{where}: the loopback URL was answered {first.status} "
                    "but no request reached the canary (the fetch may happen later, "
                    "or not at all)",
                )
                if first is not None
                else ctx.note(f"{where}: nothing sent")
            )
        elif c_ex is None:
            undecided.append(
                ctx.note(
                    f"{where}: loopback URLs refused, but no public control URL was sent (the "
                    "app is not in a network namespace of its own, so it would really fetch it): "
                    "the refusals alone show nothing about the address"
                )
            )
        else:
            undecided.append(
                ctx.evidence(
                    c_ex,
                    f"{where}: the public control URL was refused too ({c_ex.status}): the "
                    "refusals show nothing about the address",
                )
            )
    note = ctx.note(
        "canary",
        port=port,
        hits=len(hits),
        inputs=[f"{o.surface.op.key} {o.surface.field}" for o in outcomes],
    )
    if fails:
        return ctx.failed(
            f"the app fetched loopback URLs it was sent ({len(fails)} canary hits)",
            *fails,
            note,
        )
    if passes:
        return ctx.passed(
            f"loopback URLs refused on {len(passes) // 2} URL input(s) while a public URL was "
            "accepted; no request reached the canary",
            *passes,
            *undecided,
            note,
        )
    return ctx.not_checkable(
        "no URL input could be judged: " + "; ".join(e.message for e in undecided[:3]),
        *undecided,
        note,
    )
