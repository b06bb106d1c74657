# File: contacts/auth.py
"""Bearer-token authentication, installed on whole blueprints with before_request."""

from __future__ import annotations

import logging

import jwt
from flask import g, request

from contacts.errors import Unauthorized

logger = logging.getLogger("contacts.auth")


def require_user() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        raise Unauthorized("Authentication required")
    from contacts.security import decode_access_token

    try:
        claims = decode_access_token(token)
        g.user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError):
        logger.warning("rejected token", extra={"ctx": {"ip": request.remote_addr}})
        raise Unauthorized("Invalid or expired token") from None
