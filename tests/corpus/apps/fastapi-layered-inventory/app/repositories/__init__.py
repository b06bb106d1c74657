# File: app/repositories/__init__.py
"""Data access, one repository per aggregate."""
