"""`harness checks`: the catalogue of checks, by requirement."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from harness.cli._app import main, reports_errors


@main.command(
    "checks",
    epilog="""\b
Examples:
  harness checks                                # every check, as a table
  harness checks --requirement sql.parameterized
  harness checks --kind live --format json
  harness checks --docs probes    # docs/probes.md, from the registry
""",
)
@click.option("--requirement", default=None, help="Only the checks of this requirement id.")
@click.option("--kind", type=click.Choice(["static", "live"]), default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--docs",
    type=click.Choice(["static", "probes"]),
    default=None,
    help="Print the generated reference (docs/static-checks.md, docs/probes.md) instead.",
)
@click.option(
    "--write-docs", is_flag=True, help="Rewrite the generated blocks of those docs (a checkout)."
)
@reports_errors
def checks_command(
    requirement: str | None, kind: str | None, fmt: str, docs: str | None, write_docs: bool
) -> None:
    """List the registered checks: id, requirement, kind, tool, languages, severity."""
    from harness import InputError
    from harness._score import load_checks
    from harness.catalogue import load_requirements, registered_checks

    if docs or write_docs:
        from harness._docs import reference, update_docs

        if write_docs:
            for path in update_docs():
                click.echo(f"wrote {path}", err=True)
        if docs:
            click.echo(reference(docs), nl=False)
        return
    load_checks()
    if requirement and requirement not in load_requirements():
        raise InputError(f"unknown requirement id {requirement!r}; see checks/requirements.yaml")
    specs = sorted(
        registered_checks(kind=kind, requirement=requirement),  # type: ignore[arg-type]
        key=lambda s: (s.requirement, s.kind, s.id),
    )
    rows = [
        {
            "id": s.id,
            "requirement": s.requirement,
            "kind": s.kind,
            "tool": s.tool,
            "languages": list(s.languages),
            "severity": s.severity.value,
            "title": s.title,
        }
        for s in specs
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} checks")
    for column in ("requirement", "id", "kind", "tool", "languages", "severity"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["requirement"],
            r["id"],
            r["kind"],
            r["tool"],
            ",".join(r["languages"]) or "any",
            r["severity"],
        )
    Console().print(table)
