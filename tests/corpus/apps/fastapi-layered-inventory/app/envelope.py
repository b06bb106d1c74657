# File: app/envelope.py
"""The one response shape: success/data/message/timestamp, errors with a code."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def ok(data: Any, message: str = "OK", status: int = 200, meta: dict | None = None) -> JSONResponse:
    body: dict[str, Any] = {"success": True, "data": jsonable_encoder(data), "message": message}
    if meta is not None:
        body["meta"] = meta
    body["timestamp"] = now_iso()
    return JSONResponse(body, status_code=status)


def error(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse(
        {
            "success": False,
            "error": {"code": code, "message": message, "details": jsonable_encoder(details or {})},
            "timestamp": now_iso(),
        },
        status_code=status,
    )
