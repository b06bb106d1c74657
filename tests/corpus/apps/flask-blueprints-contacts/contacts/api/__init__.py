# File: contacts/api/__init__.py
"""Blueprints, registered under /api/v1."""

from __future__ import annotations

from flask import Flask

from contacts.api.auth import auth_bp
from contacts.api.contacts import contacts_bp
from contacts.api.health import health_bp

API_PREFIX = "/api/v1"


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp, url_prefix=f"{API_PREFIX}/auth")
    app.register_blueprint(contacts_bp, url_prefix=f"{API_PREFIX}/contacts")
