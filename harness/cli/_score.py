"""`harness score`: score a generated backend against an agent's promises, then gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from harness.cli._app import main, reports_errors
from harness.cli._gate import evaluate_gate, gate_options
from harness.scorecard import Scorecard, Verdict

_FORMATS = ("json", "md", "html", "junit", "sarif")
_STYLE = {
    Verdict.passed: "green",
    Verdict.failed: "red",
    Verdict.partial: "yellow",
    Verdict.error: "magenta",
    Verdict.not_applicable: "dim",
    Verdict.not_checkable: "dim",
}


@main.command("score")
@click.argument("repo")
@click.option(
    "--agent",
    "agent",
    default=None,
    help="Agent definition (path or bundled name). "
    "Without it the repo is scored against every requirement in the catalogue.",
)
@click.option(
    "--task", default=None, help="Task folder (openapi.yaml + auth.yaml) or bundled name."
)
@click.option(
    "--static", "static_only", is_flag=True, help="Source analysis only; do not start the app."
)
@click.option(
    "--runner", type=click.Choice(["local", "docker"]), default="local", show_default=True
)
@click.option(
    "--repo-dockerfile",
    is_flag=True,
    help="With --runner docker: build from the repo's own Dockerfile, not a framework template.",
)
@click.option(
    "--require-isolation",
    is_flag=True,
    help="Refuse to start the app when any part of the sandbox cannot be applied here "
    "(its live checks then say error); without it an incomplete sandbox is a warning.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Report folder [default: reports/<agent>/<repo>/].",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    default=("json", "md"),
    show_default=True,
    help=f"Report formats, repeatable or comma-separated: {', '.join(_FORMATS)}.",
)
@gate_options
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
@reports_errors
def score_command(
    repo: str,
    agent: str | None,
    task: str | None,
    static_only: bool,
    runner: str,
    repo_dockerfile: bool,
    require_isolation: bool,
    out_dir: Path | None,
    formats: tuple[str, ...],
    policy: Path | None,
    baseline: Path | None,
    min_score: str | None,
    fail_on: str | None,
    quiet: bool,
) -> None:
    """Score REPO (a generated backend) against the promises of --agent."""
    from harness import score

    chosen = _split_formats(formats)
    err = Console(stderr=True)
    progress = None if quiet else (lambda msg: err.print(f"[dim]·[/dim] {msg}", highlight=False))
    card = score(
        agent,
        repo,
        task=task,
        live=not static_only,
        runner=runner,
        use_repo_dockerfile=repo_dockerfile,
        require_isolation=require_isolation,
        out_dir=out_dir,
        formats=chosen,
        progress=progress,
    )
    print_summary(card, Console())
    sandbox = card.run.sandbox
    if sandbox is not None and sandbox.missing:  # said even with -q: the user's machine ran it
        err.print(
            "[yellow]warning:[/yellow] the app ran in an incomplete sandbox: "
            + "; ".join(sandbox.missing)
            + " (--require-isolation refuses to run it)",
            highlight=False,
            soft_wrap=True,
        )
    gate = evaluate_gate(card, policy, baseline, min_score, fail_on)
    for reason in gate.reasons:
        # one line each here; the reports hold every failure with its evidence
        err.print(f"[red]gate:[/red] {_one_line(reason)}", highlight=False, soft_wrap=True)
    if chosen:
        from harness import default_out_dir

        agent_name = card.agent.name if card.agent else "catalogue"
        where = out_dir or default_out_dir(agent_name, Path(card.repo.path))
        click.echo(f"reports: {where}/ ({', '.join(chosen)})")
    if not gate.passed:
        sys.exit(1)


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _split_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(f.strip() for spec in formats for f in spec.split(",") if f.strip())
    unknown = [f for f in chosen if f not in _FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {unknown[0]!r}; use {', '.join(_FORMATS)}")
    return chosen


def print_summary(card: Scorecard, console: Console) -> None:
    """The per-requirement table people read after a score."""
    table = Table(title=f"{card.agent.name if card.agent else '-'}  ×  {Path(card.repo.path).name}")
    table.add_column("requirement")
    table.add_column("verdict")
    table.add_column("score", justify="right")
    table.add_column("why", overflow="fold", max_width=70)
    for rid, req in sorted(card.requirements.items()):
        style = _STYLE.get(req.verdict, "")
        shown = "-" if req.score is None else f"{req.score:.2f}"
        table.add_row(
            rid, f"[{style}]{req.verdict.value}[/{style}]", shown, (req.reason or "")[:200]
        )
    console.print(table)
    total = "-" if card.score is None else f"{card.score:.2f}"
    counts = ", ".join(f"{k} {v}" for k, v in card.counts.items() if v)
    console.print(
        f"score {total}   coverage {card.coverage:.0%}   items: {counts}", highlight=False
    )
