# File: contacts/api/health.py
from __future__ import annotations

from flask import Blueprint, Response

from contacts.envelope import ok

health_bp = Blueprint("health", __name__)


@health_bp.get("/health")
def health() -> tuple[Response, int]:
    return ok({"status": "ok"})
