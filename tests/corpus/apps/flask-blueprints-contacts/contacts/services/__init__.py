# File: contacts/services/__init__.py
"""Business rules between the blueprints and the repositories."""
