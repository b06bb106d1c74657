"""`harness replay`: start a scored app again, re-send what the probes sent, print then vs now."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from harness.cli._app import main, reports_errors


@main.command(
    "replay",
    epilog="""\b
Examples:
  harness replay reports/backend/repo/scorecard.json
  harness replay scorecard.json --check auth.authorization     # one requirement or check id
  harness replay scorecard.json --serve --serve-for 600 > app.env &
  source app.env     # APP, TOKEN_A, TOKEN_B: the report's curl lines now run
""",
)
@click.argument("scorecard", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--check", "checks", multiple=True, help="Check id or requirement id to replay (repeatable)."
)
@click.option("--runner", help="local or docker [default: the scorecard's].")
@click.option("--startup-timeout", type=float, help="Seconds the app gets to listen.")
@click.option(
    "--serve",
    is_flag=True,
    help="Afterwards keep the app up on 127.0.0.1 and print the variables the reports' curl "
    "lines use (APP, TOKEN_A, COOKIE_A, ...), until Ctrl-C.",
)
@click.option("--serve-for", type=float, help="With --serve: stop after this many seconds.")
@click.option("--json", "as_json", is_flag=True, help="The replay as JSON on stdout.")
@reports_errors
def replay_command(
    scorecard: Path,
    checks: tuple[str, ...],
    runner: str | None,
    startup_timeout: float | None,
    serve: bool,
    serve_for: float | None,
    as_json: bool,
) -> None:
    """Start the app SCORECARD was written for, re-send the recorded exchanges of its live checks
    with freshly signed-in users, and print each status then and now."""
    from harness.replay import replay

    def on_serve(url: str, variables: dict[str, str]) -> None:
        for key, value in variables.items():
            click.echo(f"export {key}={shlex.quote(value)}")
        click.echo(f"# the app is up at {url}; Ctrl-C stops it", err=True)

    result = replay(
        scorecard,
        only=set(checks) or None,
        runner=runner,
        startup_timeout=startup_timeout,
        serve_for=(serve_for or float("inf")) if serve else None,
        on_serve=on_serve,
        say=lambda m: click.echo(m, err=True),
    )
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    out = click.echo if not serve else (lambda m: click.echo(m, err=True))
    for note in result.notes:
        out(f"note: {note}")
    for x in result.exchanges:
        now = x.skipped or x.now_error or str(x.now_status)
        mark = "changed" if x.changed else ("skipped" if x.skipped else "same")
        who = f" as {x.as_user}" if x.as_user else ""
        path = x.path if len(x.path) <= 48 else x.path[:45] + "..."
        out(f"{mark:7} {x.check}: {x.method} {path}{who}  then {x.then_status}  now {now}")
    skipped = sum(1 for x in result.exchanges if x.skipped)
    out(
        f"{len(result.exchanges)} exchanges re-sent to {result.base_url}: "
        f"{len(result.changed)} changed, {skipped} skipped"
    )
