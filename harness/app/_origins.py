"""The browser origins a repo documents for its CORS allow-list (``CORS_ORIGINS=...`` in its
example environment or compose file). An app that reads its allow-list from the environment is
deployed with it set; the runners hand these settings over (nothing secret: a list of URLs) and
the CORS probe asks with these origins first."""

from __future__ import annotations

import re
from pathlib import Path

from harness.app._services import example_environment

_NAME = re.compile(r"CORS|ORIGIN|FRONTEND_URL|CLIENT_URL", re.I)
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?/?$")


def _origins(value: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[,\s;]+", value) if p.strip()]
    if not parts or not all(_ORIGIN.match(p) for p in parts):
        return []  # '*', a regex, a placeholder: nothing to hand over
    return [p.rstrip("/") for p in parts]


def origin_settings(root: Path) -> dict[str, str]:
    """Example-environment variables whose value is a list of browser origins."""
    return {
        name: value
        for name, value in example_environment(root).items()
        if _NAME.search(name) and _origins(value)
    }


def documented_origins(root: Path) -> list[str]:
    """The origins those variables list, in order, without repeats."""
    out: list[str] = []
    for value in origin_settings(root).values():
        out += [o for o in _origins(value) if o not in out]
    return out
