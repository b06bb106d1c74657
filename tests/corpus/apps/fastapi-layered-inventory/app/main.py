# File: app/main.py
"""Application factory: middleware, limiter, error handlers, routers under /api/v1."""

from __future__ import annotations

import os

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from slowapi.middleware import SlowAPIMiddleware

from app.config import get_settings
from app.envelope import ok
from app.errors import register_error_handlers
from app.limiter import limiter
from app.logging_config import configure_logging
from app.middleware import SecurityHeadersMiddleware
from app.migrations import migrate_up
from app.routers import auth, items, users


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level)
    migrate_up()
    app = FastAPI(title="Inventory API", version="1.0.0", debug=False)
    app.state.limiter = limiter
    register_error_handlers(app)
    app.add_middleware(SlowAPIMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.add_middleware(SecurityHeadersMiddleware)

    api = APIRouter(prefix="/api/v1")
    api.include_router(auth.router)
    api.include_router(users.router)
    api.include_router(items.router)
    app.include_router(api)

    @app.get("/health", include_in_schema=False)
    def health() -> JSONResponse:
        return ok({"status": "ok"})

    return app


app = create_app()

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), server_header=False)
