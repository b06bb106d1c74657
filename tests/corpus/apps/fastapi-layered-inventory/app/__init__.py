# File: app/__init__.py
"""Inventory API package."""
