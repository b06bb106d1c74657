# File: app/errors.py
"""Domain errors and the application-wide exception handlers."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from slowapi.errors import RateLimitExceeded
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.envelope import error

logger = logging.getLogger("inventory.errors")


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


def register_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> JSONResponse:
        return error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e["loc"][1:]), "message": e["msg"]}
            for e in exc.errors()
        ]
        return error(422, "VALIDATION_ERROR", "Request validation failed", {"fields": details})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
        response = error(exc.status_code, codes.get(exc.status_code, "HTTP_ERROR"), str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RateLimitExceeded)
    async def limited(request: Request, exc: RateLimitExceeded) -> JSONResponse:
        client = request.client.host if request.client else "-"
        logger.warning("rate limit exceeded", extra={"ctx": {"ip": client, "path": request.url.path}})
        response = error(429, "RATE_LIMITED", "Too many requests, try again later")
        response.headers["Retry-After"] = "60"
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", extra={"ctx": {"path": request.url.path}})
        return error(500, "INTERNAL_ERROR", "Internal server error")
