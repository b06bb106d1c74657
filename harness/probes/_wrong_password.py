"""Sign-in with a wrong password: a login that hands out credentials for it protects nothing.

Part of auth.required: forged tokens are refused only if the login itself refuses a wrong
password. One request, the exact shape user A signed in with, the password field changed, sent
during the session setup: later, the rate-limit probe's failed logins may have the login answer
429 to everything.
"""

from __future__ import annotations

import secrets

from harness.apimodel import find_token
from harness.apimodel._json import json_body
from harness.apimodel._learn import value_for
from harness.probes._context import ProbeContext
from harness.scorecard import Evidence

_EMAIL_AS_USERNAME = "login takes the email in the 'username' form field"
_CACHE = "wrong password sign-in"


def _is_password(field: str) -> bool:
    f = field.lower()
    return "pass" in f or f in ("pwd", "passphrase")


async def wrong_password_accepted(ctx: ProbeContext) -> list[Evidence]:
    """Evidence when user A's login with a wrong password issued a token or session cookie;
    empty when it was refused or when there is no learned login to replay (A signed in
    through it with the right password is the control). Sent once per session; the setup
    sends it first."""
    cache = ctx.session.cache
    if _CACHE not in cache:
        cache[_CACHE] = await _replay(ctx)
    return list(cache[_CACHE])


async def _replay(ctx: ProbeContext) -> list[Evidence]:
    login = ctx.api.auth.login
    a = ctx.session.a
    if login is None or a is None or not a.signed_in:
        return []
    if a.login_status is None or not 200 <= a.login_status < 300:
        return []
    fields = [f for f in login.fields if f]
    if not any(_is_password(f) for f in fields):
        return []
    body = {f: value_for(f, a) for f in fields}
    if _EMAIL_AS_USERNAME in a.notes:
        body["username"] = a.email
    wrong = f"Wr0ng-{secrets.token_hex(5)}-Pw!"
    body.update({f: wrong for f in fields if _is_password(f)})
    resp, ex = await ctx.exchange(
        login.method, login.path, purpose="wrong password", **login.request_kwargs(body)
    )
    if resp is None or not resp.is_success:
        return []
    token, _ = find_token(json_body(resp), ctx.api.auth.token_paths)
    if token:
        what = "a token"
    elif not await _cookie_opens(ctx, dict(resp.cookies)):
        return []
    else:
        what = "a session cookie that opens a protected read"
    return [
        ctx.evidence(
            ex,
            f"sign-in as user A with a wrong password answered {resp.status_code} and issued "
            f"{what}; A's own sign-in with the right password is the control",
        )
    ]


async def _cookie_opens(ctx: ProbeContext, cookies: dict[str, str]) -> bool:
    """The cookies serve a read that is refused without them (some stacks set a session cookie
    on every answer, a failed sign-in included)."""
    res = ctx.api.resource
    target = res.collection_path if res is not None else ctx.api.auth.me_path
    if not cookies or target is None:
        return False
    bare, _ = await ctx.exchange("GET", target, purpose="wrong password")
    if bare is None or bare.is_success:
        return False
    got, _ = await ctx.exchange("GET", target, cookies=cookies, purpose="wrong password")
    return got is not None and got.is_success
