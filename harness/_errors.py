"""The exceptions the harness raises on purpose. Each says what to do about it.

The CLI maps them to exit codes: InputError -> 2 (usage or configuration), HarnessError -> 3.
Exit code 1 is reserved for a gate that failed.
"""

from __future__ import annotations


class HarnessError(Exception):
    """The harness could not do its job (an analyzer crashed, an app could not be launched...)."""

    exit_code = 3


class InputError(HarnessError):
    """Bad input from the user: a missing file, a broken policy, an unknown option value."""

    exit_code = 2
