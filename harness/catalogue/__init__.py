"""The catalogue: the requirement vocabulary and the one registry of checks that verify it."""

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
    "CheckSpec",
    "Requirement",
    "check",
    "errored",
    "failed",
    "get_check",
    "load_requirements",
    "not_applicable",
    "not_checkable",
    "note",
    "passed",
    "register",
    "registered_checks",
]
