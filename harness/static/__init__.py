"""Static verification: semgrep and bandit as real subprocesses with our rules, plus our own
checks over the syntax tree and the repo layout, all registered in harness.catalogue.

Importing this package registers every static check.
"""

from harness.static import (  # noqa: F401
    _api_checks,
    _auth_checks,
    _code_checks,
    _exhaust_checks,
    _login_bypass,
    _repo_checks,
)
from harness.static._catalogue import load_catalogue, register_data_checks
from harness.static._declare import (
    requires,
    requires_database,
    requires_fact,
    requires_handlers,
    requires_routes,
    requires_web,
    static_check,
)
from harness.static._model import Location, SourceFile, StaticContext, StaticRun
from harness.static._run import build_context, judge, run_static, select_checks

register_data_checks()

__all__ = [
    "Location",
    "SourceFile",
    "StaticContext",
    "StaticRun",
    "build_context",
    "judge",
    "load_catalogue",
    "requires",
    "requires_database",
    "requires_fact",
    "requires_handlers",
    "requires_routes",
    "requires_web",
    "run_static",
    "select_checks",
    "static_check",
]
