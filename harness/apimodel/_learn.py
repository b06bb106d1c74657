"""Learning the sign-in flow and the create body live, by trying and reading the answers.

Generated apps disagree on field names (``email`` or ``username``, ``name``...), body kinds (JSON,
or OAuth2 form data on ``/token``), where the token comes back and how it is sent. Each step tries
a bounded list of shapes and learns from 400/422 messages (missing, extra or invalid fields).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

import httpx

from harness.apimodel._json import find_refresh_token, find_token, json_body, record_id
from harness.apimodel._model import ApiModel, Endpoint
from harness.apimodel._openapi import NAMED_VALUES

if TYPE_CHECKING:
    from typing_extensions import Unpack

MAX_REGISTER_TRIES = 6
MAX_LOGIN_TRIES = 6
MAX_CREATE_TRIES = 4


class SendOptions(TypedDict, total=False):
    """What one request may carry besides its method and path (each absent: not sent)."""

    json: Any
    data: Any
    headers: dict[str, str] | None
    cookies: dict[str, str] | None


class Send(Protocol):
    """Sends one request to the app; None when it could not be sent (connection error)."""

    def __call__(
        self, method: str, path: str, **options: Unpack[SendOptions]
    ) -> Awaitable[httpx.Response | None]: ...


@dataclass
class Account:
    """A user the harness registered: what it sent and what it got back."""

    label: str
    username: str
    email: str
    password: str
    sent: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    refresh_token: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    user_id: Any = None
    register_status: int | None = None
    login_status: int | None = None
    register_body: Any = None
    login_body: Any = None
    notes: list[str] = field(default_factory=list)
    transcript: list[Any] = field(default_factory=list)  # (Exchange, body text) of its sign-in

    @classmethod
    def fresh(cls, label: str) -> Account:
        tag = secrets.token_hex(4)
        name = f"probe{label.lower()}{tag}"
        return cls(
            label=label,
            username=name,
            email=f"{name}@example.com",
            password=f"Pr0be-{secrets.token_hex(5)}-Xy!",
        )

    @property
    def signed_in(self) -> bool:
        return bool(self.token or self.cookies)

    def secrets(self) -> list[str]:
        """Values that must never show up in logs or responses."""
        return [v for v in (self.password, self.token, self.refresh_token) if v]


def value_for(name: str, account: Account) -> Any:
    """A plausible value for a registration/login field called ``name``."""
    f = name.lower().replace("-", "_")
    if "email" in f or f == "mail":
        return account.email
    if "password" in f or f in ("pass", "pwd", "passwd", "passphrase"):
        return account.password
    if f in (
        "username",
        "user_name",
        "user",
        "login",
        "handle",
        "nickname",
        "name",
        "display_name",
    ):
        return account.username
    if f in ("full_name", "fullname", "first_name", "firstname", "last_name", "lastname"):
        return "Probe"
    if "phone" in f:
        return "+15555550100"
    if f in ("age",):
        return 30
    if f in ("terms", "accept_terms", "agree", "tos"):
        return True
    return "probe"


_FIELD_VOCAB = (
    "username",
    "email",
    "password",
    "password_confirmation",
    "confirm_password",
    "confirmPassword",
    "password2",
    "name",
    "full_name",
    "first_name",
    "last_name",
    "title",
    "description",
)
_REQUIRED_RX = re.compile(
    r"['\"`]?([A-Za-z_][\w]*)['\"`]?\s+(?:is\s+|are\s+)?(?:required|missing|must be provided)",
    re.I,
)
_MISSING_RX = re.compile(
    r"(?:missing|required)(?:\s+fields?)?\s*[:=]?\s*['\"`]([A-Za-z_]\w*)", re.I
)


@dataclass
class Feedback:
    missing: set[str] = field(default_factory=set)
    extra: set[str] = field(default_factory=set)
    invalid: dict[str, str] = field(default_factory=dict)


def feedback(resp: httpx.Response, sent: dict[str, Any]) -> Feedback:
    """What a 400/422 answer says about the fields: missing, not allowed, or invalid."""
    out = Feedback()
    try:
        body: Any = resp.json()
    except ValueError:
        body = None
    entries: list[dict[str, Any]] = []
    if isinstance(body, dict):
        for key in ("detail", "errors", "issues", "error", "details", "message"):
            value = body.get(key)
            if isinstance(value, list):
                entries.extend(e for e in value if isinstance(e, dict))
            elif isinstance(value, dict):
                nested = value.get("details") or value.get("errors") or value.get("fields")
                if isinstance(nested, dict) and isinstance(
                    nested.get("fields") or nested.get("errors"), list | dict
                ):  # {"error": {"details": {"fields": {"email": [...]}}}}
                    nested = nested.get("fields") or nested.get("errors")
                if isinstance(nested, list):
                    entries.extend(e for e in nested if isinstance(e, dict))
                elif isinstance(nested, dict):
                    entries.extend({"field": k, "msg": str(v)} for k, v in nested.items())
    for entry in entries:
        name = _entry_field(entry)
        if not name:
            continue
        kind = str(entry.get("type") or entry.get("code") or "").lower()
        msg = str(entry.get("msg") or entry.get("message") or "").lower()
        if "extra" in kind or "not permitted" in msg or "unrecognized" in kind:
            out.extra.add(name)
        elif name not in sent:
            out.missing.add(name)
        else:
            out.invalid[name] = kind or msg
    if not entries:
        text = resp.text[:2000]
        for word in _FIELD_VOCAB:
            if re.search(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", text, re.I):
                if word in sent:
                    out.invalid[word] = "mentioned"
                else:
                    out.missing.add(word)
        for rx in (_REQUIRED_RX, _MISSING_RX):
            for m in rx.finditer(text):
                name = m.group(1)
                skip = ("field", "fields", "value", "this", "body", "it")
                if name.lower() not in skip and name not in sent:
                    out.missing.add(name)
    return out


def _entry_field(entry: dict[str, Any]) -> str | None:
    for key in ("loc", "path"):
        loc = entry.get(key)
        if isinstance(loc, list):
            names = [str(p) for p in loc if isinstance(p, str) and p not in ("body", "query")]
            if names:
                return names[-1]
        elif isinstance(loc, str) and loc:
            return loc.split(".")[-1]
    for key in ("field", "param", "property", "name", "key"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    return None


async def _post(
    send: Send, ep: Endpoint, body: dict[str, Any], kind: str | None = None
) -> httpx.Response | None:
    how = ep.model_copy(update={"body_kind": kind or ep.body_kind})
    return await send(ep.method, ep.path, **how.request_kwargs(body))


# keys a sign-up body nests its fields under ({"user": {...}}); read from the source they look
# like the only field
_WRAPPERS = ("user", "account", "member", "data", "credentials", "registration", "signup")
_DEFAULT_FIELDS = ["username", "email", "password"]


async def _register_otherwise(
    send: Send, ep: Endpoint, fields: list[str], account: Account
) -> tuple[httpx.Response, list[str]] | None:
    """Try the fields nested (Rails-style) or form-encoded; on success the endpoint keeps that
    shape. (response, fields sent) or None."""
    plans: list[tuple[str, str | None, list[str]]] = []
    if len(fields) == 1 and fields[0].lower() in _WRAPPERS:
        plans.append(("json", fields[0], _DEFAULT_FIELDS))
        fields = _DEFAULT_FIELDS
    plans += [("json", "user", fields), ("form", None, fields)]
    for kind, wrap, names in plans:
        if (kind, wrap) == (ep.body_kind, ep.wrap):
            continue
        body = {f: value_for(f, account) for f in names}
        how = ep.model_copy(update={"body_kind": kind, "wrap": wrap})
        resp = await send(ep.method, ep.path, **how.request_kwargs(body))
        if resp is not None and resp.is_success:
            ep.body_kind, ep.wrap = how.body_kind, wrap
            return resp, names
    return None


async def register(send: Send, api: ApiModel, account: Account) -> httpx.Response | None:
    """Register ``account``; learns the registration fields into ``api.auth.registration``."""
    ep = api.auth.registration
    if ep is None:
        return None
    shapes: list[list[str]] = []
    if ep.fields:
        shapes.append(list(ep.fields))
    shapes += [
        ["username", "email", "password"],
        ["email", "password"],
        ["username", "password"],
        ["name", "email", "password"],
    ]
    fields = shapes.pop(0)
    resp: httpx.Response | None = None
    for _ in range(MAX_REGISTER_TRIES):
        body = {f: value_for(f, account) for f in fields}
        resp = await _post(send, ep, body)
        if resp is None:
            return None
        account.register_status = resp.status_code
        account.register_body = json_body(resp)
        if resp.is_success:
            account.sent = body
            ep.fields = list(fields)
            account.user_id = record_id(account.register_body, "user")
            _collect_token(api, account, resp, step="register")
            return resp
        if resp.status_code == 409:  # someone has the name: a new identity, same shape
            fresh = Account.fresh(account.label)
            account.username, account.email = fresh.username, fresh.email
            continue
        if resp.status_code == 415 and ep.body_kind == "json":
            ep.body_kind = "form"
            continue
        if resp.status_code in (404, 405, 429) or resp.status_code >= 500:
            return resp
        fb = feedback(resp, body)
        new = [f for f in fields if f not in fb.extra] + sorted(fb.missing - set(fields))
        if "username" in fb.invalid:
            account.username = account.username[:12]
        if new != fields and new:
            fields = new
        elif shapes:
            fields = shapes.pop(0)
        else:
            break
    if resp is not None and resp.status_code in (400, 415, 422):
        found = await _register_otherwise(send, ep, list(ep.fields or _DEFAULT_FIELDS), account)
        if found is not None:
            other, names = found
            account.register_status = other.status_code
            account.register_body = json_body(other)
            account.sent = {f: value_for(f, account) for f in names}
            ep.fields = list(names)
            account.user_id = record_id(account.register_body, "user")
            _collect_token(api, account, other, step="register")
            return other
    return resp


async def login(send: Send, api: ApiModel, account: Account) -> httpx.Response | None:
    """Sign ``account`` in; learns the login fields, body kind and token path."""
    ep = api.auth.login
    if ep is None:
        return None
    ident = api.auth.identity_field
    known = [f for f in ep.fields if f]
    plans: list[tuple[list[str], str, str | None]] = []  # (fields, body kind, identity override)
    if known:
        plans.append((known, ep.body_kind, None))
    guesses = [["email", "password"], ["username", "password"]]
    if ident and [ident, "password"] in guesses:
        guesses.remove([ident, "password"])
        guesses.insert(0, [ident, "password"])
    elif "email" in account.sent and "username" not in account.sent:
        pass
    elif "username" in account.sent and "email" not in account.sent:
        guesses.reverse()
    for kind in (ep.body_kind, "form" if ep.body_kind == "json" else "json"):
        plans += [(g, kind, None) for g in guesses]
        plans.append((["username", "password"], kind, account.email))  # OAuth2 form on /token
    seen: set[str] = set()
    resp: httpx.Response | None = None
    tries = 0
    for fields, kind, override in plans:
        key = f"{fields}{kind}{override}"
        if key in seen:
            continue
        seen.add(key)
        tries += 1
        if tries > MAX_LOGIN_TRIES:
            break
        body = {f: value_for(f, account) for f in fields}
        if override:
            body["username"] = override
        resp = await _post(send, ep, body, kind)
        if resp is None:
            return None
        account.login_status = resp.status_code
        account.login_body = json_body(resp)
        if resp.is_success and _collect_token(api, account, resp, step="login"):
            ep.fields, ep.body_kind = list(fields), kind  # type: ignore[assignment]
            api.auth.identity_field = next((f for f in fields if "pass" not in f), None)
            if override:
                account.notes.append("login takes the email in the 'username' form field")
            return resp
        if resp.status_code in (404, 405, 429) or resp.status_code >= 500:
            return resp
        fb = feedback(resp, body)
        if fb.missing - set(fields):
            plans.insert(0, ([*fields, *sorted(fb.missing - set(fields))], kind, override))
    reg = api.auth.registration
    if reg is not None and reg.wrap and not ep.wrap and resp is not None and resp.status_code < 500:
        # the sign-up nested its fields: the sign-in of the same app likely does too
        ep.wrap = reg.wrap
        again = await login(send, api, account)
        if not account.signed_in:
            ep.wrap = None
        return again
    return resp


def _collect_token(api: ApiModel, account: Account, resp: httpx.Response, *, step: str) -> bool:
    """Take the token (or session cookie) from a register/login answer; True when one was found."""
    body = json_body(resp)
    token, path = find_token(body, api.auth.token_paths)
    if resp.cookies:
        account.cookies.update(dict(resp.cookies.items()))
        for name in resp.cookies:
            if name not in api.auth.cookie_names:
                api.auth.cookie_names.append(name)
    if token:
        account.token = token
        account.refresh_token = find_refresh_token(body, api.auth.refresh_token_paths)
        if path and path not in api.auth.token_paths:
            api.auth.token_paths.insert(0, path)
        if api.auth.token_from in ("unknown", "register") or step == "login":
            api.auth.token_from = step  # type: ignore[assignment]
        return True
    if resp.cookies:
        if api.auth.token_from == "unknown":
            api.auth.token_from = "cookie"
        return True
    return False


def credentials(api: ApiModel, account: Account | None) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies) that present ``account`` the way the app expects."""
    if account is None:
        return {}, {}
    auth = api.auth
    headers: dict[str, str] = {}
    if account.token and auth.kind != "cookie":
        value = f"{auth.scheme} {account.token}".strip() if auth.scheme else account.token
        headers[auth.header_name] = value
    cookies = (
        dict(account.cookies) if auth.kind in ("cookie", "unknown") or not account.token else {}
    )
    return headers, cookies


# Ways to present a token, tried in order when the first one is refused.
_SEND_MODES = (
    ("bearer", "Authorization", "Bearer"),
    ("header", "Authorization", "Token"),
    ("header", "Authorization", "JWT"),
    ("header", "Authorization", ""),
    ("header", "x-access-token", ""),
    ("header", "x-auth-token", ""),
)


async def confirm_send_mode(
    send: Send, api: ApiModel, account: Account, protected: str | None
) -> str:
    """Find how the app wants the credentials by calling a protected path; returns a note."""
    auth = api.auth
    if not protected:
        auth.kind = "bearer" if account.token else ("cookie" if account.cookies else "unknown")
        return "no protected path to confirm how credentials are sent; assuming " + auth.kind
    anon = await send("GET", protected)
    if anon is not None and anon.is_success:
        auth.kind = "bearer" if account.token else ("cookie" if account.cookies else "none")
        return f"GET {protected} answers {anon.status_code} without credentials"
    if account.token:
        for kind, header, scheme in _SEND_MODES:
            value = f"{scheme} {account.token}".strip()
            resp = await send("GET", protected, headers={header: value})
            if resp is not None and resp.is_success:
                auth.kind, auth.header_name, auth.scheme = kind, header, scheme  # type: ignore[assignment]
                auth.confirmed = True
                return f"token accepted as '{header}: {scheme + ' ' if scheme else ''}<token>'"
    if account.cookies:
        resp = await send("GET", protected, cookies=account.cookies)
        if resp is not None and resp.is_success:
            auth.kind = "cookie"
            auth.confirmed = True
            return f"session cookie accepted ({', '.join(account.cookies)})"
    auth.kind = "bearer" if account.token else ("cookie" if account.cookies else "unknown")
    return f"no way of sending the credentials was accepted on GET {protected}"


_CHOICES = re.compile(
    r"(?:one of|valid values(?: are)?|allowed values(?: are)?|should be)\s*:?\s*"
    r"(?:\[([^\]\n]{1,200})\]|((?:\\?['\"]?[\w-]+\\?['\"]?(?:,\s*|\s+or\s+)?){1,20}))",
    re.I,
)


def allowed_choice(text: str, name: str) -> str | None:
    """The first allowed value a validation message lists for field ``name``: Joi's
    ``"status" must be one of [active, done]``, marshmallow's ``Must be one of: a, b.``,
    pydantic's ``Input should be 'a' or 'b'``; None when the answer lists none."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        found = _CHOICES.search(text, m.end(), m.end() + 300)
        if found is None:
            continue
        listed = found.group(1) or found.group(2) or ""
        for token in re.split(r",|\s+or\s+|\|", listed):
            value = token.strip().strip("\\").strip("'\" \\")
            if re.fullmatch(r"[\w-]{1,40}", value):
                return value
    return None


async def create_record(
    send: Send, api: ApiModel, account: Account | None, body: dict[str, Any] | None = None
) -> tuple[httpx.Response | None, dict[str, Any]]:
    """Create one record of the main resource, learning missing fields; (response, body sent)."""
    res = api.resource
    if res is None:
        return None, {}
    payload = dict(body if body is not None else res.create_example)
    headers, cookies = credentials(api, account)
    resp: httpx.Response | None = None
    for _ in range(MAX_CREATE_TRIES):
        resp = await send("POST", res.create_path, json=payload, headers=headers, cookies=cookies)
        if resp is None or resp.is_success or resp.status_code not in (400, 422):
            break
        fb = feedback(resp, payload)
        changed = False
        for name in sorted(fb.missing):
            if name not in payload:
                payload[name] = NAMED_VALUES.get(name, "probe")
                changed = True
        for name in fb.extra:
            if payload.pop(name, None) is not None:
                changed = True
        for name in fb.invalid:
            choice = allowed_choice(resp.text, name)
            if choice is not None and payload.get(name) != choice:
                payload[name] = choice
                changed = True
        if not changed:
            break
    if resp is not None and resp.is_success and body is None:
        res.create_example = payload
    return resp, payload
