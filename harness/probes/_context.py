"""What a live probe gets: the running app, its API model, the agent's specifics for the
requirement, the check's options, and a shared session (signed-in users A and B, records of
user A, every exchange so far). ``exchange`` sends one request and keeps a reproducible record."""

from __future__ import annotations

import asyncio
import json as jsonlib
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from harness.apimodel import (
    AUTH_WORDS,
    Account,
    ApiModel,
    Operation,
    Resource,
    SendOptions,
    canonical,
    cookie_header,
    credentials,
    curl_line,
    record_id,
)
from harness.apimodel._json import json_body
from harness.catalogue import (
    CheckSpec,
    errored,
    failed,
    not_applicable,
    not_checkable,
    passed,
)
from harness.scorecard import CheckResult, Evidence, Exchange

if TYPE_CHECKING:
    from typing_extensions import Unpack

BODY_EXCERPT = 2048
BODY_KEPT = 256 * 1024
_UNSET: Any = object()


_BUSY = re.compile(r"database (table )?is locked|SQLITE_BUSY|database is busy", re.I)
_BUSY_RETRY_DELAYS = (0.2, 0.6)


def title_field(example: dict[str, Any]) -> str:
    """The text field a record is named by (title, name...)."""
    for key in ("title", "name", "text", "content", "description", "body"):
        if isinstance(example.get(key), str):
            return key
    strings = [k for k, v in example.items() if isinstance(v, str)]
    return strings[0] if strings else "title"


class ProbeError(Exception):
    """The probe could not run (no user, no resource, the app stopped answering)."""

    def __init__(self, reason: str, *evidence: Evidence) -> None:
        super().__init__(reason)
        self.evidence = list(evidence)


class ProbeSkip(Exception):
    """The requirement's live side does not apply to this app (no admin route, no upload)."""

    def __init__(self, reason: str, *evidence: Evidence) -> None:
        super().__init__(reason)
        self.evidence = list(evidence)


class ProbeBlind(Exception):
    """Discovery found nothing the probe could exercise although the app shows signs of it
    (auth routes but no sign-in flow learned, routes but no record collection recognised): the
    verdict is ``not_checkable`` with the reason, never ``not_applicable``."""

    def __init__(self, reason: str, *evidence: Evidence) -> None:
        super().__init__(reason)
        self.evidence = list(evidence)


# path words of sign-in routes that the flow learner may not have recognised as one
# (plural words stay out: /tokens or /accounts may be the app's own records)
_AUTH_HINTS = {
    "auth",
    "oauth",
    "oauth2",
    "signin",
    "sign-in",
    "signup",
    "sign-up",
    "session",
    "token",
    "jwt",
    "logout",
}
# routes that serve the framework or the operator, never application data
_INFRA_WORDS = {
    "health",
    "healthz",
    "ready",
    "readyz",
    "livez",
    "ping",
    "status",
    "version",
    "docs",
    "redoc",
    "openapi.json",
    "swagger.json",
    "swagger",
    "metrics",
    "static",
    "favicon.ico",
    "robots.txt",
}


@dataclass
class Record:
    """One exchange with the full (capped) body kept for later scans."""

    check: str
    purpose: str
    exchange: Exchange
    text: str
    data: Any
    response: httpx.Response | None

    @property
    def status(self) -> int | None:
        return self.exchange.status

    @property
    def content_type(self) -> str:
        return self.exchange.response_headers.get("content-type", "")


@dataclass
class Session:
    app: Any
    api: ApiModel
    client: httpx.AsyncClient
    concurrency: int = 6
    a: Account | None = None
    b: Account | None = None
    seeds: list[dict[str, Any]] = field(default_factory=list)  # user A's records: id, body
    records: list[Record] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    setup_evidence: list[Evidence] = field(default_factory=list)
    setup_error: str | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(6))

    @property
    def todo_a(self) -> dict[str, Any] | None:
        return self.seeds[0] if self.seeds else None

    def accounts(self) -> list[Account]:
        return [acc for acc in (self.a, self.b) if acc is not None]

    @property
    def a_if_signed_in(self) -> Account | None:
        """User A when signed in, else None: requests go out anonymously (the app may have no
        sign-in at all)."""
        return self.a if self.a and self.a.signed_in else None

    @property
    def b_if_signed_in(self) -> Account | None:
        """User B when signed in, else None (the checks that compare two users are skipped)."""
        return self.b if self.b and self.b.signed_in else None


class ProbeContext:
    """Passed to every live check function."""

    def __init__(
        self,
        session: Session,
        spec: CheckSpec,
        *,
        params: dict[str, Any] | None = None,
        options: dict[str, Any] | None = None,
        all_params: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.session = session
        self.spec = spec
        self.params = params or {}
        self.options = {**spec.options, **(options or {})}
        self.all_params = all_params or {}
        self.app = session.app
        self.api = session.api

    # ------------------------------------------------------------------ requests

    async def exchange(
        self,
        method: str,
        path: str,
        *,
        user: Account | None = None,
        json: Any = _UNSET,
        data: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        timeout: float = 10.0,
        purpose: str = "",
        record: bool = True,
    ) -> tuple[httpx.Response | None, Exchange]:
        """Send one request to the app and record it; (response or None, Exchange)."""
        user_headers, user_cookies = credentials(self.api, user)
        sent_headers = {**user_headers, **(headers or {})}
        all_cookies = {**user_cookies, **(cookies or {})}
        sent_headers.update(cookie_header(all_cookies))
        body: bytes | None = None
        if json is not _UNSET:
            body = jsonlib.dumps(json).encode()
            sent_headers.setdefault("Content-Type", "application/json")
        elif data is not None:
            body = httpx.QueryParams(data).__str__().encode()
            sent_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif content is not None:
            body = content.encode() if isinstance(content, str) else content
        url = self.app.base_url.rstrip("/") + path
        if params:
            url = str(httpx.URL(url, params=params))
        ex = Exchange(
            method=method.upper(),
            url=url,
            curl=curl_line(self.app.curl_prefix, method.upper(), url, sent_headers, body),
            request_headers=sent_headers,
            request_body=_excerpt_bytes(body),
            as_user=user.label if user is not None else None,
        )
        resp: httpx.Response | None = None
        t0 = time.perf_counter()
        for attempt in range(1 + len(_BUSY_RETRY_DELAYS)):
            async with self.session.gate:
                try:
                    resp = await self.session.client.request(
                        method.upper(), url, headers=sent_headers, content=body, timeout=timeout
                    )
                except httpx.HTTPError as exc:
                    ex.error = f"{type(exc).__name__}: {exc}"[:300]
            # SQLite refuses concurrent writers with "database is locked": that is the probes'
            # own parallel load on a one-file database, not what this request tests; wait, retry
            if resp is None or resp.status_code < 500 or not _BUSY.search(resp.text[:4000]):
                break
            if attempt < len(_BUSY_RETRY_DELAYS):
                self.session.notes.append(
                    f"{method.upper()} {path}: the app's database was busy; retried"
                )
                await asyncio.sleep(_BUSY_RETRY_DELAYS[attempt])
        ex.elapsed_ms = round((time.perf_counter() - t0) * 1000, 2)
        text, parsed = "", None
        if resp is not None:
            ex.status = resp.status_code
            ex.response_headers = {k.lower(): v for k, v in resp.headers.items()}
            text = resp.text[:BODY_KEPT] if resp.content else ""
            ex.body_excerpt = text[:BODY_EXCERPT]
            try:
                parsed = resp.json() if text else None
            except ValueError:
                parsed = None
        self.session.records.append(Record(self.spec.id, purpose, ex, text, parsed, resp))
        return resp, ex

    async def send(
        self, method: str, path: str, **options: Unpack[SendOptions]
    ) -> httpx.Response | None:
        """The plain ``Send`` shape the API model's sign-in learning uses, recorded."""
        json = options.get("json")
        resp, _ = await self.exchange(
            method,
            path,
            json=json if json is not None else _UNSET,
            data=options.get("data"),
            headers=options.get("headers"),
            cookies=options.get("cookies"),
            purpose="sign-in",
        )
        return resp

    # ------------------------------------------------------------------ session helpers

    @property
    def has_sign_in(self) -> bool:
        """Whether the app has a register or login route at all."""
        return self.api.auth.login is not None or self.api.auth.registration is not None

    def actor(self, label: str = "a") -> Account | None:
        """User ``label`` when the app has sign-in, None when it has none (everything is
        public); raises ProbeError when the app has sign-in but the user could not get in."""
        return self.user(label) if self.has_sign_in else None

    def auth_routes(self) -> list[Operation]:
        """Operations that look like sign-in, sign-up or session routes by their path."""
        out = []
        for op in self.api.operations:
            words = {s.lower().replace("_", "-") for s in op.path.split("/") if s}
            if (words & _AUTH_HINTS) or any(w in AUTH_WORDS for w in canonical(op.path)):
                out.append(op)
        return out

    def data_routes(self) -> list[Operation]:
        """Operations that are neither auth, admin nor infrastructure: where records would be."""
        auth = {op.key for op in self.auth_routes()}
        out = []
        for op in self.api.operations:
            words = {s.lower() for s in op.path.split("/") if s}
            if op.key in auth or op.admin or (words and words <= _INFRA_WORDS | {"api", "v1"}):
                continue
            if not words:
                continue  # GET / is a landing page, not a collection
            out.append(op)
        return out

    def nothing_to_probe(self, reason: str, *evidence: Evidence) -> CheckResult:
        """``not_applicable`` when the app has no data routes at all; ``not_checkable`` when it
        has some but discovery found nothing this probe could use in them."""
        served = self.data_routes()
        if served:
            return self.not_checkable(
                f"{reason}; yet the app serves "
                + ", ".join(op.key for op in served[:6])
                + ": discovery found nothing to probe there",
                *evidence,
            )
        return self.not_applicable(reason, *evidence)

    def without_sign_in(self, reason: str, *evidence: Evidence) -> CheckResult:
        """``not_applicable`` for an app with no sign-in at all; ``not_checkable`` when it has
        auth routes from which no sign-in flow was learned."""
        hinted = self.auth_routes()
        if hinted:
            return self.not_checkable(
                f"the app has auth routes ({', '.join(op.key for op in hinted[:5])}) but no "
                "sign-in flow was learned from them",
                *evidence,
            )
        return self.not_applicable(reason, *evidence)

    def user(self, label: str = "a") -> Account:
        acc = self.session.a if label == "a" else self.session.b
        if not self.has_sign_in:
            hinted = self.auth_routes()
            if hinted:
                raise ProbeBlind(
                    "the app has auth routes ("
                    + ", ".join(op.key for op in hinted[:5])
                    + ") but no sign-in flow (register or login) was learned from them: no "
                    "user could be signed in to check this",
                    self.note("auth routes", operations=[op.key for op in hinted][:20]),
                )
            raise ProbeSkip(
                "the app has no sign-in flow (no register or login route, statically or live): "
                "there are no users whose credentials, passwords or records could be checked",
                self.note("operations known", operations=[op.key for op in self.api.operations]),
            )
        login, signup = self.api.auth.login, self.api.auth.registration
        if (acc is None or not acc.signed_in) and signup is None and login is not None:
            # users the app seeds itself: their passwords are not the harness's to know
            raise ProbeBlind(
                f"the app signs users in at {login.method} {login.path} but has no sign-up "
                "route (statically or live): its users are seeded or created elsewhere, so no "
                f"user {label.upper()} could be signed in to check this",
                *self.session.setup_evidence,
            )
        if acc is None or not acc.signed_in:
            raise ProbeError(
                f"could not sign in user {label.upper()}: "
                + (self.session.setup_error or "no sign-in flow found"),
                *self.session.setup_evidence,
            )
        return acc

    def users_seeded(self) -> bool:
        """The app signs users in but has no sign-up, and no user of the harness got in: its
        users are seeded, their passwords not the harness's to know."""
        auth, a = self.api.auth, self.session.a
        return auth.registration is None and auth.login is not None and not (a and a.signed_in)

    def cannot_seed(self, reason: str, *evidence: Evidence) -> Exception:
        """The exception that says records are missing: ``not_checkable`` (ProbeBlind) when no
        user of the harness's own exists or the app refused the harness's create body (a 4xx
        other than 401/403, or a 2xx without an id: a body or shape the harness did not get
        right); ``error`` (ProbeError) when creating crashed or got no answer."""
        evidence = evidence or tuple(self.session.setup_evidence)
        if self.users_seeded():
            login = self.api.auth.login
            where = f"{login.method} {login.path}" if login else "a login"
            return ProbeBlind(
                f"{reason}: the app signs users in at {where} but has no sign-up, so no user of "
                "the harness's own could create records",
                *evidence,
            )
        creates = [r for r in self.session.records if r.purpose in ("seed", "create")]
        last = creates[-1].status if creates else None
        refused = last is not None and 400 <= last < 500 and last not in (401, 403)
        if refused or (last is not None and last < 300):
            return ProbeBlind(
                f"{reason}: the app answered the harness's create request with {last}", *evidence
            )
        return ProbeError(reason, *evidence)

    def resource(self) -> Resource:
        res = self.api.resource
        if res is None:
            served = self.data_routes()
            if served:
                raise ProbeBlind(
                    "no record collection was recognised among the app's routes ("
                    + ", ".join(op.key for op in served[:6])
                    + "): nothing this probe needs could be created or read back",
                    self.note("operations known", operations=[o.key for o in self.api.operations]),
                )
            raise ProbeSkip(
                "the app serves no record collection (no list/create/read routes of one resource, "
                "statically, in an OpenAPI document, or live)",
                self.note("operations known", operations=[op.key for op in self.api.operations]),
            )
        return res

    def records_of_a(self, count: int = 1) -> list[dict[str, Any]]:
        """User A's records (id, body, exchange) from setup, at least ``count`` of them; the
        collection must exist (see ``resource``). Too few: ``cannot_seed`` says why."""
        res = self.resource()
        seeds = self.session.seeds
        if not seeds:
            raise self.cannot_seed(f"no record of user A could be created at {res.create_path}")
        if len(seeds) < count:
            raise self.cannot_seed(
                f"only {len(seeds)} records of user A could be created at {res.create_path}; "
                f"this probe needs {count}"
            )
        return seeds

    def record_of_a(self) -> dict[str, Any]:
        """User A's first record from setup (see ``records_of_a``)."""
        return self.records_of_a(1)[0]

    def item_path(self, rid: Any, res: Resource | None = None) -> str:
        res = res or self.resource()
        template = res.item_path or res.collection_path.rstrip("/") + "/{id}"
        param = res.id_param or "id"
        if "{" + param + "}" not in template:
            return template.rsplit("/", 1)[0] + f"/{rid}"
        return template.replace("{" + param + "}", str(rid))

    def titled(self, title: str) -> dict[str, Any]:
        """The main resource's create body with its name field set to ``title``."""
        example = self.resource().create_example
        return {**example, title_field(example): title}

    async def create(
        self, user: Account | None, body: dict[str, Any] | None = None, purpose: str = "create"
    ) -> tuple[Any, Any, Exchange]:
        """Create a record of the main resource as ``user``; (id, response JSON, exchange)."""
        res = self.resource()
        payload = dict(res.create_example) if body is None else body
        resp, ex = await self.exchange(
            "POST", res.create_path, user=user, json=payload, purpose=purpose
        )
        if resp is None or not resp.is_success:
            raise self.cannot_seed(
                f"could not create a {res.name} record (status {ex.status})",
                self.evidence(ex, "the create request"),
            )
        data = json_body(resp)
        rid = record_id(data, _singular(res.name), res.id_field)
        if rid is None:
            raise ProbeBlind(
                "the create response carries no id the harness recognises: the record cannot "
                "be addressed",
                self.evidence(ex, "the create response"),
            )
        return rid, data, ex

    # ------------------------------------------------------------------ results

    def evidence(self, ex: Exchange, message: str, **data: Any) -> Evidence:
        return Evidence(kind="live", message=message, exchange=ex, data=data or None)

    def note(self, message: str, **data: Any) -> Evidence:
        return Evidence(kind="note", message=message, data=data or None)

    def passed(self, message: str, *evidence: Evidence) -> CheckResult:
        return passed(self.spec, message, *evidence)

    def failed(self, message: str, *evidence: Evidence) -> CheckResult:
        return failed(self.spec, message, *evidence)

    def not_applicable(self, reason: str, *evidence: Evidence) -> CheckResult:
        return not_applicable(self.spec, reason, *evidence)

    def errored(self, reason: str, *evidence: Evidence) -> CheckResult:
        return errored(self.spec, reason, *evidence)

    def not_checkable(self, reason: str, *evidence: Evidence) -> CheckResult:
        return not_checkable(self.spec, reason, *evidence)


def _excerpt_bytes(body: bytes | None) -> str | None:
    if body is None:
        return None
    text = body[:BODY_EXCERPT].decode("utf-8", errors="backslashreplace")
    return text + (f"... [{len(body)} bytes]" if len(body) > BODY_EXCERPT else "")


IDENTITY_FIELDS = ("username", "user_name", "user", "login", "email", "user_id", "userid", "owner")


def identity_value(field: str, account: Account | None) -> Any:
    """``account``'s value for an identity field (username, email, user_id), else None."""
    if account is None:
        return None
    low = field.lower().replace("-", "_")
    if low not in IDENTITY_FIELDS and low not in ("userId".lower(), "ownerid", "owner_id"):
        return None
    if "mail" in low:
        return account.sent.get(field) or account.email
    if low.endswith("id"):
        return account.user_id
    return account.sent.get(field) or account.sent.get("username") or account.username


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def probe(
    id: str,
    *,
    requirement: str,
    title: str,
    phase: str = "main",
    timeout_s: float | None = None,
    options: Any = None,
    **defaults: Any,
) -> Any:
    """Register a live check for ``requirement`` with the requirement's catalogue severity.

    ``phase`` (main, late, perf, burst, logs, final, shutdown) and ``timeout_s`` schedule it;
    ``options`` is its options model (a :class:`~harness.catalogue.CheckOptions`), else one is made
    from the keyword ``defaults`` (probe-specific knobs; ``enabled`` is always there)."""
    from harness.catalogue import check, load_requirements

    severity = load_requirements()[requirement].severity
    return check(
        id,
        requirement=requirement,
        kind="live",
        title=title,
        severity=severity,
        phase=phase,
        timeout_s=timeout_s,
        options=options,
        **defaults,
    )
