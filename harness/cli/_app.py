"""The root command group; every subcommand module attaches itself to :data:`main`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from harness._errors import HarnessError

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="agent-promise-harness", prog_name="harness")
def main() -> None:
    """Hold a coding agent to its own checklist: extract its promises, verify them against the
    backend it generated (static analysis and live HTTP probes), and score them with evidence."""


def reports_errors(func: F) -> F:
    """Turn harness exceptions into one-line messages and the documented exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HarnessError as exc:
            click.echo(f"harness: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("harness: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
