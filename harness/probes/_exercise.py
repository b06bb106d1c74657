"""Requests a response-shape check sends itself when the session saw too little to judge.

The envelope and error-format checks read what every other probe saw. On an app whose record
collection was not recognised (a forum, a converter, a service with one write route) the other
probes send little, so these checks exercise the app's own routes: a read of every data route
without path parameters, a write of each with its known example body, and for errors a malformed
body and an unknown id on those routes. What comes back is judged like everything else.
"""

from __future__ import annotations

import secrets
from typing import Any

from harness.probes._context import ProbeContext, title_field

_MAX_ROUTES = 8
_WRITES = ("POST", "PUT", "PATCH")


def _body(op: Any) -> dict[str, Any]:
    example = dict(op.body_example or {})
    if example:
        return example
    return {"title": f"probe {secrets.token_hex(3)}", "name": "probe", "content": "probe"}


async def exercise_routes(ctx: ProbeContext) -> int:
    """Read and write the app's data routes as user A (when signed in); the number sent."""
    user = ctx.session.a_if_signed_in
    sent = 0
    for op in ctx.data_routes()[: _MAX_ROUTES * 2]:
        if op.path_params or sent >= _MAX_ROUTES:
            continue
        if op.method == "GET":
            await ctx.exchange("GET", op.path, user=user, purpose="shape")
        elif op.method in _WRITES:
            body = _body(op)
            if op.body_kind == "form":
                await ctx.exchange(op.method, op.path, user=user, data=body, purpose="shape")
            else:
                await ctx.exchange(op.method, op.path, user=user, json=body, purpose="shape")
        else:
            continue
        sent += 1
    return sent


async def provoke_on_routes(ctx: ProbeContext) -> int:
    """Client mistakes on the app's own data routes: a malformed JSON body on each write route,
    an unknown id on each item route; the number sent."""
    user = ctx.session.a_if_signed_in
    sent = 0
    for op in ctx.data_routes()[: _MAX_ROUTES * 2]:
        if sent >= _MAX_ROUTES:
            break
        if op.method in _WRITES and not op.path_params:
            await ctx.exchange(
                op.method,
                op.path,
                user=user,
                content='{"' + title_field(_body(op)) + '": ',
                headers={"Content-Type": "application/json"},
                purpose="client-mistake",
            )
        elif op.method == "GET" and len(op.path_params) == 1:
            path = op.path.replace("{" + op.path_params[0] + "}", "987654321")
            await ctx.exchange("GET", path, user=user, purpose="client-mistake")
        else:
            continue
        sent += 1
    return sent


__all__ = ["exercise_routes", "provoke_on_routes"]
