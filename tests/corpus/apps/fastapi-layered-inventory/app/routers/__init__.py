# File: app/routers/__init__.py
"""HTTP routers, mounted under /api/v1 by app.main."""
