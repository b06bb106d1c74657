"""agent-promise-harness: hold a coding agent to its own checklist.

The pipeline, one function per stage::

    parse_agent -> extract_checklist -> (detect_app -> run_static | start_app -> run_probes)
    -> build_scorecard -> render / gate

``rejudge`` runs the last two stages again over a stored scorecard.

``score`` runs it end to end. Subpackages hold each stage's API in their ``__init__``.
Names here load lazily, so that importing one stage does not import them all.
"""

from __future__ import annotations

import importlib
from typing import Any

from harness._errors import HarnessError, InputError

_LAZY = {
    "score": "harness._score",
    "build_scorecard": "harness._score",
    "catalogue_checklist": "harness._score",
    "default_out_dir": "harness._score",
    "resolve_agent": "harness._score",
    "resolve_repo": "harness._score",
    "resolve_task": "harness._score",
    "rejudge": "harness._rejudge",
}

__all__ = ["HarnessError", "InputError", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'harness' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
