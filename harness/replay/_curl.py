"""Curl lines a person can run after the scored app is gone.

The stored ``Exchange.curl`` is exactly what was sent: through the run's unix socket, with the
run's tokens. Reports show this form instead: the host is ``$APP`` and a signed-in user's
credentials are ``$TOKEN_A`` / ``$COOKIE_A``, which ``harness replay SCORECARD --serve`` prints
for a freshly started copy of the app."""

from __future__ import annotations

import re
import shlex
from urllib.parse import urlsplit

from harness.scorecard import Exchange

_CREDENTIAL_HEADERS = {"authorization", "x-access-token", "x-auth-token", "token"}
# the marker harness.probes puts after a request body recorded in part only
TRUNCATED = re.compile(r"\.\.\. \[(\d+) bytes\]$")


def request_path(url: str) -> str:
    """The path and query of a recorded URL, without the run's host and port."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _dq(text: str) -> str:
    """``text`` inside double quotes, with only the ``$VARIABLE`` references left live."""
    escaped = re.sub(r'(["\\`])', r"\\\1", text)
    # a literal $ stays literal; the harness's own $APP/$TOKEN_X/$COOKIE_X references expand
    escaped = re.sub(r"\$(?!(APP|TOKEN_[A-Z0-9]+|COOKIE_[A-Z0-9]+)\b)", r"\\$", escaped)
    return f'"{escaped}"'


def portable_curl(x: Exchange) -> str:
    """``x`` as a curl line against ``$APP`` with the sender's credentials as variables."""
    out = ["curl", "-sS", "-i", "-X", x.method, _dq(f"$APP{request_path(x.url)}")]
    who = (x.as_user or "").upper()
    for key, value in x.request_headers.items():
        name = key.lower()
        if who and name in _CREDENTIAL_HEADERS:
            scheme = value.split(" ", 1)[0] + " " if " " in value.strip() else ""
            out += ["-H", _dq(f"{key}: {scheme}$TOKEN_{who}")]
        elif who and name == "cookie":
            out += ["-H", _dq(f"{key}: $COOKIE_{who}")]
        else:
            out += ["-H", shlex.quote(f"{key}: {value}")]
    if x.request_body is not None:
        body, cut = x.request_body, TRUNCATED.search(x.request_body)
        if cut:
            body = body[: cut.start()]
        out += ["--data-binary", shlex.quote(body)]
        if cut:
            out.append(f"# body cut here: {cut.group(1)} bytes were sent")
    return " ".join(out)
