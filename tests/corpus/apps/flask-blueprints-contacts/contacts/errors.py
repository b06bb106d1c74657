# File: contacts/errors.py
"""Domain errors and the app-wide handlers: fixed messages, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from flask_limiter.errors import RateLimitExceeded
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from contacts.envelope import error

logger = logging.getLogger("contacts.errors")


class AppError(Exception):
    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    status = 404
    code = "NOT_FOUND"


class Conflict(AppError):
    status = 409
    code = "CONFLICT"


class Unauthorized(AppError):
    status = 401
    code = "UNAUTHORIZED"


_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def app_error(exc: AppError) -> tuple[Response, int]:
        return error(exc.status, exc.code, exc.message)

    @app.errorhandler(ValidationError)
    def invalid(exc: ValidationError) -> tuple[Response, int]:
        return error(400, "VALIDATION_ERROR", "Request validation failed", {"fields": exc.messages})

    @app.errorhandler(RateLimitExceeded)
    def limited(exc: RateLimitExceeded) -> tuple[Response, int]:
        logger.warning("rate limit exceeded", extra={"ctx": {"ip": request.remote_addr, "path": request.path}})
        response, status = error(429, "RATE_LIMITED", "Too many requests, try again later")
        response.headers["Retry-After"] = "60"
        return response, status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        return error(status, _HTTP_CODES.get(status, "HTTP_ERROR"), exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response, int]:
        logger.exception("unhandled error", extra={"ctx": {"path": request.path}})
        return error(500, "INTERNAL_ERROR", "Internal server error")
