# File: contacts/api/auth.py
"""Sign-up, sign-in and token refresh."""

from __future__ import annotations

from flask import Blueprint, Response, request

from contacts.envelope import ok
from contacts.extensions import limiter
from contacts.schemas import LoginSchema, RefreshSchema, RegisterSchema
from contacts.services import auth_service

auth_bp = Blueprint("auth", __name__)


def _json() -> dict:
    return request.get_json(silent=False) or {}


@auth_bp.post("/register")
@limiter.limit("20 per minute")
def register() -> tuple[Response, int]:
    data = RegisterSchema().load(_json())
    user = auth_service.register(data["email"], data["password"])
    return ok(user, "Account created", 201)


@auth_bp.post("/login")
@limiter.limit("10 per minute")
def login() -> tuple[Response, int]:
    data = LoginSchema().load(_json())
    return ok(auth_service.login(data["email"], data["password"], request.remote_addr), "Signed in")


@auth_bp.post("/refresh")
@limiter.limit("30 per minute")
def refresh() -> tuple[Response, int]:
    data = RefreshSchema().load(_json())
    return ok(auth_service.refresh(data["refresh_token"]), "Token refreshed")
