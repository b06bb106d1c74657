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


@main.command(
    "rejudge",
    epilog="""\b
Examples:
  harness rejudge reports/backend/repo/scorecard.json --out rejudged/
  harness rejudge scorecard.json --agent after.md --out after/   # another agent file's promises
  harness rejudge scorecard.json --out new/ && harness gate new/scorecard.json --policy p.yaml
""",
)
@click.argument("scorecard", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agent", type=click.Path(path_type=Path), help="Agent file or bundled name "
              "[default: the one the scorecard names].")  # fmt: skip
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder for the re-judged scorecard.json and reports, or - for the JSON on stdout.",
)
@click.option(
    "--format",
    "formats",
    default="json,md",
    show_default=True,
    help="Comma-separated report formats (scorecard.json is always written).",
)
@reports_errors
def rejudge_command(scorecard: Path, agent: Path | None, out: Path, formats: str) -> None:
    """Judge SCORECARD again from the check results it stores (new judging or extraction rules,
    or another agent's promises), without starting or reading the app."""
    from harness import rejudge
    from harness.report import render, write_reports

    card = rejudge(scorecard, agent=agent)
    if str(out) == "-":
        click.echo(render(card, "json"), nl=False)
        return
    wanted = {"json", *(f.strip() for f in formats.split(",") if f.strip())}
    written = write_reports(card, out, sorted(wanted))
    score = "n/a" if card.score is None else f"{card.score:.2f}"
    click.echo(f"re-judged: score {score}; " + ", ".join(str(p) for p in written.values()))
