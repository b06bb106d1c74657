"""Where the bundled data lives: checks/ (the catalogue) and fixtures/.

In a checkout they sit at the top of the repo; a wheel carries them inside the package under
``harness/_bundled`` (see pyproject's force-include), so both layouts are looked up here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root(name: str) -> Path:
    """The directory of bundled data ``name`` ("checks" or "fixtures")."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"bundled data directory {name!r} not found next to the harness package; "
        "reinstall the package (pip install agent-promise-harness) or run from a checkout"
    )


def checks_dir() -> Path:
    return data_root("checks")


def fixtures_dir() -> Path:
    return data_root("fixtures")
