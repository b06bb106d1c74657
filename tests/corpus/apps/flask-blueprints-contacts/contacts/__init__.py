# File: contacts/__init__.py
"""Application factory."""

from __future__ import annotations

from flask import Flask

from contacts.api import register_blueprints
from contacts.config import Config
from contacts.db import init_db
from contacts.errors import register_error_handlers
from contacts.extensions import cors, limiter
from contacts.logging_setup import configure_logging
from contacts.security_headers import register_security_headers


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    configure_logging(config.log_level)
    app = Flask(__name__)
    app.config.update(config.flask_settings())
    app.json.sort_keys = False
    init_db(app)
    limiter.init_app(app)
    cors.init_app(app, origins=config.cors_origins, supports_credentials=False)
    register_security_headers(app)
    register_error_handlers(app)
    register_blueprints(app)
    return app
