"""The XSS probe: script payloads reflected through query, path and form/JSON fields, and stored
through every write route, then read back through every page that may render the records."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from harness.apimodel import Operation, record_id
from harness.apimodel._json import json_body
from harness.probes._context import ProbeContext, identity_value, probe
from harness.scorecard import CheckResult, Evidence

MAX_OPERATIONS = 14  # operations whose inputs get payloads
MAX_FIELDS = 4  # fields per operation
MAX_READS = 24  # pages read back after the writes
_GUESSED_IDS = 6  # item pages read by id when the writes answered no id
# paths of the sign-in flow and state-changing GETs: not read as pages, not filled with payloads
_SKIP_WORDS = {"login", "logout", "signin", "signout", "signup", "register", "token", "refresh"}
_DESTRUCTIVE = {"logout", "delete", "remove", "reset", "clear", "drop", "shutdown", "purge"}
_NUMERIC = {"limit", "offset", "page", "per_page", "page_size", "pagesize", "size", "skip", "id"}
# a GET without known query parameters still gets the names search pages read most
_GUESSED_QUERY = ("q", "name")
# values that must differ per request: a second create with the same username is refused
_UNIQUE_HINTS = ("user", "name", "email", "login", "handle", "slug", "key", "code")


def xss_payloads(tag: str) -> tuple[str, ...]:
    """Script payloads carrying ``tag``, so that only this run's payloads are recognised."""
    # no quotes: an app that splices values into SQL would crash on them and show nothing; the
    # second has no slash either, which a path parameter cannot carry past most routers
    return (f"<script>alert(/{tag}/)</script>", f"<img src=x id={tag} onerror=alert(1)>")


def payload_pattern(tag: str) -> re.Pattern[str]:
    """Any of this run's payloads, raw: ``tag`` followed by the request's number."""
    t = re.escape(tag)
    return re.compile(
        rf"<script>alert\(/({t}n\d+)/\)</script>|<img src=x id=({t}n\d+) onerror=alert\(1\)>"
    )


def raw_html(resp: Any, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """This run's payload served unescaped as HTML (or with no type), else None."""
    if resp is None:
        return None
    ctype = resp.headers.get("content-type", "").lower()
    if ctype and "html" not in ctype:
        return None
    return pattern.search(resp.text)


def _words(path: str) -> set[str]:
    return {w.lower() for w in path.replace("-", "/").replace("_", "/").split("/") if w}


def _skipped(op: Operation) -> bool:
    return op.admin or bool(_words(op.path) & (_SKIP_WORDS | {"health"}))


# a multipart write's fields that carry files by their name; they get a tiny PNG
_FILE_HINTS = ("file", "photo", "image", "picture", "avatar", "attachment", "upload", "document")
# the smallest valid PNG: 1x1, transparent
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def _is_file_field(op: Operation, name: str) -> bool:
    return op.upload and any(h in name.lower() for h in _FILE_HINTS)


def _text_fields(op: Operation, user: Any) -> list[str]:
    """The inputs of ``op`` a payload can go into: path and query parameters of a read, string
    body fields (and query parameters) of a write; the signed-in user's identity fields aside."""
    if op.method == "GET":
        names = [*op.path_params, *op.query_params] or list(_GUESSED_QUERY)
        names = [n for n in names if identity_value(n, user) is None]
        return [n for n in names if n.lower() not in _NUMERIC][:MAX_FIELDS]
    body = op.body_example or {}
    names = [
        k
        for k, v in body.items()
        if isinstance(v, str) and identity_value(k, user) is None and not _is_file_field(op, k)
    ]
    names += [q for q in op.query_params if q not in names]
    # the field a page shows first (a name or title) before ids, emails and urls
    names.sort(key=lambda n: any(w in n.lower() for w in ("id", "mail", "url", "password")))
    return names[:MAX_FIELDS]


@dataclass
class Written:
    """A write the app took: what was sent and what it answered."""

    op: Operation
    body: dict[str, Any]
    data: Any
    location: str | None


@dataclass
class Run:
    """What the probe saw: failures, inert answers whose control was served, writes taken."""

    tag: str
    pattern: re.Pattern[str]
    bad: list[Evidence] = field(default_factory=list)
    served: list[Evidence] = field(default_factory=list)
    unserved: list[str] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    counter: int = 0

    def next(self) -> int:
        self.counter += 1
        return self.counter

    def payloads(self) -> tuple[tuple[str, str], ...]:
        """(marker, payload) pairs with markers of their own, so that a hit tells which request
        wrote the payload it shows (reflected by this request, or stored by an earlier one)."""
        out = []
        for make in (0, 1):
            marker = f"{self.tag}n{self.next()}"
            out.append((marker, xss_payloads(marker)[make]))
        return tuple(out)


def _unique(name: str, value: Any, n: int, tag: str) -> Any:
    """A per-request value for fields that name a record (usernames, emails, slugs)."""
    low = name.lower()
    if not isinstance(value, str) or not any(h in low for h in _UNIQUE_HINTS):
        return value
    if "mail" in low:
        return f"{tag}{n}@example.com"
    return f"{tag}{n}"


def _learned_example(ctx: ProbeContext, op: Operation) -> dict[str, Any]:
    """``op``'s example with the values the resource's create was learned to accept (an enum's
    allowed value, a valid email) over the guessed ones: the create itself takes the learned
    body whole, an update of the same resource the values of the fields it shares."""
    example = dict(op.body_example or {})
    res = ctx.api.resource
    if res is None or not res.create_example:
        return example
    if op.method == "POST" and op.path == res.create_path:
        return {**example, **res.create_example}
    if op.path.startswith(res.collection_path.rstrip("/") + "/"):
        example.update({k: v for k, v in res.create_example.items() if k in example})
    return example


def _body(
    op: Operation,
    user: Any,
    target: str | None,
    value: str,
    run: Run,
    example: dict[str, Any] | None = None,
) -> dict[str, Any]:
    n = run.next()
    body: dict[str, Any] = {}
    for k, v in ((op.body_example or {}) if example is None else example).items():
        own = identity_value(k, user)
        body[k] = own if own is not None else _unique(k, v, n, run.tag)
    if target is not None and target in body:
        body[target] = value
    return body


def _listify(body: dict[str, Any], target: str | None) -> dict[str, Any]:
    """Plural-named string fields as lists (``tags``): a shape many create routes insist on."""
    return {
        k: [v] if isinstance(v, str) and k != target and k.lower().endswith("s") else v
        for k, v in body.items()
    }


async def _send(
    ctx: ProbeContext, op: Operation, target: str, value: str, user: Any, run: Run, kind: str
) -> tuple[Any, Any, dict[str, Any]]:
    """``op`` with ``value`` in ``target`` and plausible values everywhere else."""
    path = op.path
    for p in op.path_params:
        path = path.replace("{" + p + "}", quote(value if p == target else "1", safe=""))
    if op.method == "GET":
        query = {q: identity_value(q, user) for q in op.query_params}
        query = {q: v for q, v in query.items() if v is not None}
        if target not in op.path_params:
            query[target] = value
        resp, ex = await ctx.exchange("GET", path, user=user, params=query or None, purpose="xss")
        return resp, ex, {}
    body = _body(op, user, target, value, run, _learned_example(ctx, op))
    if kind == "list":
        body = _listify(body, target)
    query = {q: identity_value(q, user) or "probe" for q in op.query_params}
    if target in query and target not in body:
        query[target] = value
    kw: dict[str, Any] = {"data": body} if kind == "form" else {"json": body}
    if kind == "multipart":
        files = {k: (f"{k}.png", _PNG, "image/png") for k in body if _is_file_field(op, k)}
        text = {k: str(v) for k, v in body.items() if k not in files}
        encoded = httpx.Request("POST", "http://app/", data=text, files=files or None)
        kw = {
            "content": encoded.read(),
            "headers": {"Content-Type": encoded.headers["content-type"]},
        }
    resp, ex = await ctx.exchange(
        op.method, path, user=user, params=query or None, purpose="xss", **kw
    )
    return resp, ex, body


def _taken(resp: Any) -> bool:
    """Served: 2xx, or a redirect after a form post (the usual answer of an HTML form)."""
    return resp is not None and resp.status_code < 400


def _look(
    ctx: ProbeContext, run: Run, resp: Any, ex: Any, label: str, marker: str | None = None
) -> bool:
    hit = raw_html(resp, run.pattern)
    if hit is not None:
        ctype = resp.headers.get("content-type", "") or "no content type"
        found = hit.group(1) or hit.group(2)
        how = "stored" if marker is None else "reflected" if found == marker else "stored earlier"
        run.bad.append(
            ctx.evidence(ex, f"{label}: {hit.group(0)!r} comes back unescaped as {ctype} ({how})")
        )
    return hit is not None


async def _probe_op(
    ctx: ProbeContext, op: Operation, fields: list[str], user: Any, run: Run
) -> None:
    """The first field learns the body shape the write takes; the others follow in parallel."""
    kind = await _probe_input(ctx, op, fields[0], user, run, None)
    await asyncio.gather(*(_probe_input(ctx, op, f, user, run, kind) for f in fields[1:]))


async def _probe_input(
    ctx: ProbeContext, op: Operation, target: str, user: Any, run: Run, shape: str | None
) -> str:
    """A benign control, then each payload in ``target``. Without a known ``shape``, a write
    refused as JSON is tried as a form and with list-shaped plural fields; returns the shape
    whose control was served (else the declared one)."""
    first = "multipart" if op.upload else op.body_kind
    kinds = [shape or first]
    if op.method != "GET" and shape is None:
        kinds += [k for k in ("json", "form", "list") if k != first]
    control = cex = None
    kind = kinds[0]
    for kind in kinds:
        control, cex, _ = await _send(ctx, op, target, f"probe {run.tag} ok", user, run, kind)
        if _taken(control) or op.method == "GET" or control is None:
            break
        if control.status_code not in (400, 405, 415, 422):
            break
    ok = _taken(control)
    if not ok:
        run.unserved.append(f"{op.key} {target}: control {cex.status or cex.error}")
    for marker, payload in run.payloads():
        resp, ex, body = await _send(ctx, op, target, payload, user, run, kind)
        if _look(ctx, run, resp, ex, f"{op.key} {target}", marker):
            continue
        if ok and resp is not None and resp.status_code < 500:
            run.served.append(ctx.evidence(ex, f"{op.key} {target}: {ex.status}, inert"))
        if op.method != "GET" and _taken(resp):
            loc = resp.headers.get("location")
            run.written.append(Written(op, body, json_body(resp), loc))
    return kind if ok else shape or kinds[0]


def _fill(path_params: list[str], w: Written, id_field: str | None) -> dict[str, str] | None:
    """Path parameter values that name the record ``w`` wrote: its id from the answer, or the
    value sent in the field of the same name (``/profiles/{username}``)."""
    rid = record_id(w.data, None, id_field) if w.data is not None else None
    out: dict[str, str] = {}
    for p in path_params:
        low = p.lower()
        # the same name first, then a field that ends with it ({name} from username)
        names = [k for k in w.body if k.lower() == low]
        names += [k for k in w.body if k.lower().endswith(low) and k not in names]
        sent = w.body[names[0]] if names else None
        if isinstance(sent, (str, int)) and not isinstance(sent, bool):
            out[p] = str(sent)
        elif rid is not None:
            out[p] = str(rid)
        else:
            return None
    return out


def _query_from(op: Operation, w: Written | None) -> dict[str, str]:
    """Query parameters of a page filled from a stored record's own values (``?tags=`` with a
    tag the record was created with), so that a filtered page lists it."""
    if w is None:
        return {}
    out: dict[str, str] = {}
    for q in op.query_params:
        for k, v in w.body.items():
            if k.lower().rstrip("s") == q.lower().rstrip("s"):
                first = v[0] if isinstance(v, list) and v else v
                if isinstance(first, (str, int)) and not isinstance(first, bool):
                    out[q] = str(first)
    return out


def _pages(ctx: ProbeContext, run: Run, user: Any) -> list[tuple[str, dict[str, str]]]:
    """(path, query) of every GET that may render what was written: each page without path
    parameters (filtered by a stored record's values where it takes them), each item page
    filled with a written record's id or key, and the pages the writes redirected to."""
    res = ctx.api.resource
    id_field = res.id_field if res is not None else None
    gets = [
        op
        for op in ctx.api.operations
        if op.method == "GET" and not _skipped(op) and not _words(op.path) & _DESTRUCTIVE
    ]
    out: list[tuple[str, dict[str, str]]] = []
    for w in run.written[-6:]:
        if w.location:
            loc = urlsplit(w.location)
            if not loc.netloc or loc.netloc in urlsplit(ctx.app.base_url).netloc:
                out.append((loc.path or "/", {}))
    for op in gets:
        if not op.path_params:
            # the signed-in user's own page (``/get_secret?username=<A>``) or the bare page
            own = {q: str(v) for q in op.query_params if (v := identity_value(q, user)) is not None}
            out.append((op.path, own))
            for w in run.written[-4:]:
                query = _query_from(op, w)
                if query:
                    out.append((op.path, query))
            # a search page: the run's tag is part of every value written, so a substring
            # search for it lists the stored records
            text = [q for q in op.query_params if q.lower() not in _NUMERIC and q not in own]
            if text and run.written:
                out.append((op.path, {text[0]: run.tag}))
            continue
        filled = [v for w in run.written[-6:] if (v := _fill(op.path_params, w, id_field))]
        if not filled and run.written and len(op.path_params) == 1:
            # no id came back (a text or redirect answer): the first ids of a fresh table
            (p,) = op.path_params
            if p.lower() == "id" or p.lower().endswith("id"):
                filled = [{p: str(n)} for n in range(1, _GUESSED_IDS + 1)]
        for values in filled:
            path = op.path
            for p, v in values.items():
                path = path.replace("{" + p + "}", quote(v, safe=""))
            out.append((path, {}))
    seen: set[str] = set()
    unique = []
    for path, query in out:
        key = path + "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))
        if key not in seen:
            seen.add(key)
            unique.append((path, query))
    return unique[:MAX_READS]


@probe(
    "live.xss",
    requirement="output.xss-encoding",
    title="stored and reflected script payloads come back inert (JSON or escaped)",
    # after the main phase: its stored payloads would replace the records that the ownership
    # probes write and read back as user A
    phase="late",
    timeout_s=60.0,  # every input twice, then the read-backs: more requests than most probes
)
async def xss(ctx: ProbeContext) -> CheckResult:
    """Every input the handlers are known to read (path, query, form and JSON fields) gets a
    benign control value first, then the script payloads; every GET that may render what the
    writes stored is read back (lists, item pages with the new record's id or key, filtered
    pages, redirect targets). A pass needs controls that were served: refusals of everything
    (a 401, a broken route) show nothing about output encoding."""
    user = ctx.session.a_if_signed_in
    tag = f"hx{secrets.token_hex(4)}"
    run = Run(tag=tag, pattern=payload_pattern(tag))
    ops = [op for op in ctx.api.operations if not _skipped(op)]
    res = ctx.api.resource
    if res is not None and not any(
        op.method == "POST" and op.path == res.create_path for op in ops
    ):
        ops.append(Operation(method="POST", path=res.create_path, body_example=res.create_example))
    # writes first: the reads after them have records to show
    ops = [op for op in ops if op.method in ("POST", "PUT", "PATCH")] + [
        op for op in ops if op.method == "GET" and not _words(op.path) & _DESTRUCTIVE
    ]
    targets = [(op, f) for op in ops[:MAX_OPERATIONS] for f in _text_fields(op, user)]
    if not targets:
        return ctx.nothing_to_probe(
            "no input to put a script payload into: no route whose path, query parameters or "
            "body fields are known",
            ctx.note("operations known", operations=[op.key for op in ctx.api.operations][:40]),
        )
    by_op: dict[str, tuple[Operation, list[str]]] = {}
    for op, f in targets:
        by_op.setdefault(op.key, (op, []))[1].append(f)
    writes = [t for t in by_op.values() if t[0].method != "GET"]
    reads = [t for t in by_op.values() if t[0].method == "GET"]
    await asyncio.gather(*(_probe_op(ctx, op, fields, user, run) for op, fields in writes))
    await asyncio.gather(*(_probe_op(ctx, op, fields, user, run) for op, fields in reads))
    earned = bool(run.served)

    async def read(path: str, query: dict[str, str]) -> None:
        resp, ex = await ctx.exchange(
            "GET", path, user=user, params=query or None, purpose="xss-read"
        )
        where = f"GET {path}" + (f"?{'&'.join(query)}=" if query else "") + " after the writes"
        inert = not _look(ctx, run, resp, ex, where)
        # a page counts only after some payload was taken in where its control was
        if inert and earned and run.written and resp is not None and resp.is_success:
            run.served.append(ctx.evidence(ex, f"{where}: inert"))

    await asyncio.gather(*(read(p, q) for p, q in _pages(ctx, run, user)))
    if run.bad:
        return ctx.failed("a script payload comes back as executable HTML", *run.bad[:6])
    if not run.served:
        return ctx.errored(
            "no request of the probe's shape was served (controls refused or crashed): whether "
            "payloads would come back escaped is unseen",
            ctx.note("controls not served", targets=run.unserved[:20]),
        )
    msg = (
        f"script payloads in {len(targets)} inputs come back inert (JSON or escaped) where "
        f"benign values of the same shape were served; {len(run.written)} stored payloads "
        "read back"
    )
    if run.unserved:
        msg += f"; {len(run.unserved)} inputs refused their control and are not counted"
    return ctx.passed(msg, *run.served[:5], ctx.note("not counted", targets=run.unserved[:20]))
