"""``harness extract``: an agent's checklist as a table (people), JSON (machines) or YAML."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
import yaml

from harness.agent import parse_agent
from harness.checklist import Checklist, checklist_json, extract_checklist
from harness.cli._app import main, reports_errors


@main.command("extract")
@click.argument("agents", nargs=-1, required=True, metavar="AGENT.md [AGENT2.md ...]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "yaml"]),
    default="table",
    show_default=True,
    help="table for reading; json is the stable contract (docs/checklist.md); yaml mirrors json.",
)
@reports_errors
def extract(agents: tuple[str, ...], fmt: str) -> None:
    """Extract the checklist of promises from agent definition files and map each item to
    requirement ids, with the agent's own specifics (envelope schema, status codes, limits)."""
    checklists = [extract_checklist(parse_agent(path)) for path in agents]
    if fmt == "table":
        for checklist in checklists:
            _print_table(checklist)
        return
    documents: Any = [checklist_json(c) for c in checklists]
    if len(documents) == 1:
        documents = documents[0]
    if fmt == "json":
        click.echo(json.dumps(documents, indent=2, ensure_ascii=False))
    else:
        click.echo(yaml.safe_dump(documents, sort_keys=False, allow_unicode=True, width=100))


def _print_table(checklist: Checklist) -> None:
    from rich.console import Console
    from rich.table import Table

    # piped output gets a wide fixed width instead of rich's 80-column default
    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)
    agent = checklist.agent
    mapped = sum(1 for i in checklist.items if i.requirements)
    console.print(
        f"[bold]{agent.name}[/bold]  {agent.path or ''}  "
        f"{len(checklist.items)} items, {mapped} mapped, "
        f"{len(checklist.requirements)} requirements"
    )
    for diag in agent.diagnostics:
        console.print(f"  [yellow]line {diag.line}: {diag.message}[/yellow]")
    table = Table(show_lines=False, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("section", max_width=28, overflow="ellipsis", no_wrap=True)
    table.add_column("item", max_width=60)
    table.add_column("requirements / reason", max_width=40)
    for item in checklist.items:
        mark = "[red]✗[/red] " if item.polarity == "dont" else ""
        target = (
            ", ".join(item.requirements) if item.requirements else f"[dim]({item.reason})[/dim]"
        )
        table.add_row(
            item.id,
            str(item.line or ""),
            item.section[-1] if item.section else "",
            mark + item.text,
            target,
        )
    console.print(table)
    skipped = [s for s in checklist.sections if not s.promises]
    if skipped:
        console.print("[bold]Not read as promises[/bold]")
        for s in skipped:
            weak = f" (would map: {', '.join(s.weak_requirements)})" if s.weak_requirements else ""
            console.print(f"  line {s.line}: {' > '.join(s.section)}: {s.reason}{weak}")
    with_params = {rid: use.params for rid, use in checklist.requirements.items() if use.params}
    if with_params:
        console.print("[bold]Agent's own specifics[/bold]")
        for rid, params in with_params.items():
            summary = {k: v for k, v in params.items() if k not in ("schema", "examples")}
            console.print(f"  {rid}: {json.dumps(summary, ensure_ascii=False)[:300]}")
    console.print()
