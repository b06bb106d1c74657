"""The command line: a thin shell over the Python API. Each module here adds its commands."""

from __future__ import annotations

import importlib

from harness.cli._app import main

# One module per command family; importing a module attaches its commands to `main`.
_COMMAND_MODULES = (
    "_extract",
    "_score",
    "_report",
    "_replay",
    "_view",
    "_gate",
    "_batch",
    "_catalogue",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"harness.cli.{_name}")

__all__ = ["main"]
