# File: tests/conftest.py
"""A fresh database and secret per test session."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("JWT_SECRET", "t" * 40)
os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "test.db")
