# File: contacts/repositories/__init__.py
"""Data access with bound parameters only."""
