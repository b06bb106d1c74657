# File: contacts/envelope.py
"""The one response shape: success/data/message/timestamp; errors carry a code."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Response, jsonify


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def ok(data: Any, message: str = "OK", status: int = 200, meta: dict | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"success": True, "data": data, "message": message}
    if meta is not None:
        body["meta"] = meta
    body["timestamp"] = now_iso()
    return jsonify(body), status


def error(status: int, code: str, message: str, details: Any = None) -> tuple[Response, int]:
    return (
        jsonify(
            {
                "success": False,
                "error": {"code": code, "message": message, "details": details or {}},
                "timestamp": now_iso(),
            }
        ),
        status,
    )
