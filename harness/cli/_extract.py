"""``harness extract``: an agent's checklist as a table (people), JSON (machines) or YAML."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click
import yaml

from harness.agent import parse_agent
from harness.checklist import Checklist, checklist_json, extract_checklist
from harness.cli._app import main, reports_errors

_EPILOG = """\b
Examples:
  harness extract backend                      # a bundled agent, by name
  harness extract path/to/agent.md --format json
  harness extract fixtures/agents/*.md --format yaml
  COLUMNS=120 harness extract backend | less   # a wider table when piped
"""


@main.command("extract", epilog=_EPILOG)
@click.argument("agents", nargs=-1, required=True, metavar="AGENT [AGENT2 ...]")
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
    """Extract the checklist of promises from agent definition files (paths or bundled names) and
    map each item to requirement ids, with the agent's own specifics (envelope schema, status
    codes, limits)."""
    from harness import resolve_agent

    checklists = [extract_checklist(parse_agent(resolve_agent(path))) for path in agents]
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

    # the terminal's width (or COLUMNS); piped output a wide fixed one, not rich's 80 columns
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    console = Console(file=sys.stdout, width=wide, highlight=False)
    agent = checklist.agent
    mapped = sum(1 for i in checklist.items if i.requirements)
    console.print(
        f"[bold]{agent.name}[/bold]  {agent.path or ''}  "
        f"{len(checklist.items)} items, {mapped} mapped, "
        f"{len(checklist.requirements)} requirements"
    )
    for diag in agent.diagnostics:
        console.print(f"  [yellow]line {diag.line}: {diag.message}[/yellow]")
    if console.width < _TABLE_WIDTH:
        _print_blocks(checklist, console)
    else:
        _print_rows(checklist, console)
    _print_rest(checklist, console)


_TABLE_WIDTH = 120


def _print_blocks(checklist: Checklist, console) -> None:
    """One block per item for a narrow terminal: the promise's words get the whole width and
    requirement ids are never cut."""
    import textwrap

    from rich.markup import escape

    for item in checklist.items:
        where = f"line {item.line}" if item.line else ""
        head = "  ".join(p for p in (item.id, where) if p)
        if item.section:  # the section is context: shortened to what is left of the line
            room = console.width - len(head) - 2
            section = textwrap.shorten(item.section[-1], max(room, 10), placeholder="…")
            head = f"{head}  {section}"
        console.print(f"[dim]{escape(head)}[/dim]", overflow="fold")
        mark = "[red]✗ don't:[/red] " if item.polarity == "dont" else ""
        console.print(mark + escape(item.text), overflow="fold")
        if item.requirements:
            console.print("  → " + ", ".join(item.requirements), style="cyan", overflow="fold")
        else:
            console.print(f"  [dim]({escape(item.reason or 'maps to no requirement')})[/dim]")
        console.print()


def _print_rows(checklist: Checklist, console) -> None:
    from rich.table import Table

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


def _print_rest(checklist: Checklist, console) -> None:
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
