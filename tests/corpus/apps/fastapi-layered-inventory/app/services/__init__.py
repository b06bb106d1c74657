# File: app/services/__init__.py
"""Business rules between the routers and the repositories."""
