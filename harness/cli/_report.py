"""`harness report`: render a stored scorecard.json in another format."""

from __future__ import annotations

from pathlib import Path

import click

from harness.cli._app import main, reports_errors

_CHOICES = ("html", "junit", "sarif", "md", "markdown", "json")


@main.command(
    "report",
    epilog="""\b
Examples:
  harness report reports/backend/repo/scorecard.json  # HTML, stdout
  harness report scorecard.json --format sarif --out card.sarif
  harness report scorecard.json --format md | gh pr comment 12 -F -
""",
)
@click.argument("scorecard", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_CHOICES, case_sensitive=False),
    default="html",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE instead of standard output.",
)
@click.option(
    "--source-root",
    default=None,
    help="Folder SARIF paths are relative to [default: the git root of the scored repo].",
)
@reports_errors
def report_command(scorecard: Path, fmt: str, out: Path | None, source_root: str | None) -> None:
    """Render SCORECARD (a scorecard.json) as html, junit, sarif, md or json."""
    from harness.report import load_scorecard, render

    text = render(load_scorecard(scorecard), fmt, source_root=source_root)
    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)
