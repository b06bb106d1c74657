"""Crashes on start, as a generated app with a missing setting would."""

import os

raise RuntimeError("SETTINGS_MODULE is not configured: " + os.environ.get("NOPE", "unset"))
