"""The root command group; every subcommand module attaches itself to :data:`main`."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from harness._errors import HarnessError

F = TypeVar("F", bound=Callable[..., Any])


_EPILOG = """\b
Examples:
  harness extract backend                  # a bundled agent's promises
  harness score path/to/repo --agent a.md  # static + live, then the gate
  harness score repo --agent a.md --static -q   # one verdict line
  harness score repo --agent a.md --json | jq .score
  harness report reports/a/repo/scorecard.json --format html --out card.html
  harness gate reports/a/repo/scorecard.json --min-score 0.8

\b
Exit codes:
  0  passed (the gate, or the command did its job)
  1  the gate failed, or `diff --fail-on-regression` found a regression
  2  usage or configuration error (bad flag, missing file, unknown key)
  3  harness error (a fault of the harness itself)
  130 interrupted (Ctrl-C)

\b
Settings: flags > HARNESS_<KEY> variables > [tool.harness] in pyproject.toml
or harness.toml (see `harness score --help`, docs/reports.md).
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EPILOG)
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
