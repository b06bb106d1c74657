"""The catalogue: the requirement vocabulary and the one registry of checks that verify it."""

from harness.catalogue._options import CheckOptions, check_options, options_model
from harness.catalogue._registry import (
    CheckSpec,
    check,
    errored,
    failed,
    get_check,
    not_applicable,
    not_checkable,
    note,
    passed,
    register,
    registered_checks,
)
from harness.catalogue._requirements import Requirement, load_requirements

__all__ = [
    "CheckOptions",
    "CheckSpec",
    "Requirement",
    "check",
    "check_options",
    "errored",
    "failed",
    "get_check",
    "load_requirements",
    "not_applicable",
    "not_checkable",
    "note",
    "options_model",
    "passed",
    "register",
    "registered_checks",
]
