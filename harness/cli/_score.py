"""`harness score`: score a generated backend against an agent's promises, then gate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from harness.cli._app import main, reports_errors
from harness.cli._config import config_start, find_config, setting
from harness.cli._gate import evaluate_gate, gate_options
from harness.cli._terminal import LiveStatus, gate_lines, make_console, print_summary, verdict_line

_FORMATS = ("json", "md", "html", "junit", "sarif")

_EPILOG = """\b
Examples:
  harness score path/to/repo --agent my-agent.md
  harness score todo-flask-bad --agent backend --static -q
  harness score repo --agent a.md --format html,sarif --min-score 0.8
  harness score repo --agent a.md --json | jq .score
  harness score repo --agent a.md -o - > scorecard.json
  HARNESS_STARTUP_TIMEOUT=180 harness score slow-repo --agent a.md

\b
Settings also come from [tool.harness] in pyproject.toml or a harness.toml
(searched from REPO, then the current folder) and from HARNESS_<KEY>
variables; flags win over variables, variables over the file. See
docs/reports.md, "Configuration".
"""


@main.command("score", epilog=_EPILOG)
@click.argument("repo")
@setting(
    "--agent",
    help="Agent definition (path or bundled name). "
    "Without it the repo is scored against every requirement in the catalogue.",
)
@setting("--task", help="Task folder (openapi.yaml + auth.yaml) or bundled name.")
@setting(
    "--static", "static_only", is_flag=True, help="Source analysis only; do not start the app."
)
@setting("--runner", type=click.Choice(["local", "docker"]), default="local", show_default=True)
@setting(
    "--startup-timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds the app may take to listen once installed [default: 60].",
)
@setting(
    "--repo-dockerfile",
    is_flag=True,
    help="With --runner docker: build from the repo's own Dockerfile, not a framework template.",
)
@setting(
    "--require-isolation",
    is_flag=True,
    help="Refuse to start the app when any part of the sandbox cannot be applied here "
    "(its live checks then say error); without it an incomplete sandbox is a warning.",
)
@setting(
    "-o",
    "--out",
    "out_dir",
    help="Report folder [default: reports/<agent>/<repo>/]; '-' prints the scorecard JSON "
    "on stdout and writes no files.",
)
@setting(
    "--format",
    "formats",
    multiple=True,
    default=("md",),
    help=f"Report formats besides scorecard.json (always written), repeatable or "
    f"comma-separated: {', '.join(_FORMATS)} [default: md].",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the scorecard JSON on stdout; everything else goes to stderr.",
)
@setting(
    "--source-root", help="Folder SARIF paths are relative to [default: the git root of REPO]."
)
@gate_options
@click.option("-q", "--quiet", is_flag=True, help="Print only the verdict line.")
@click.option("-v", "--verbose", count=True, help="Every requirement and the run notes.")
@click.option("--debug", is_flag=True, help="As -vv: also each check, timings, progress lines.")
@setting(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour the output [default: on a terminal, unless NO_COLOR is set].",
)
@click.pass_context
@reports_errors
def score_command(ctx: click.Context, **params: Any) -> None:
    """Score REPO (a generated backend folder or a bundled app name) against the promises of
    --agent; write the reports, print a summary and gate (exit 1 when the gate fails)."""
    from harness import resolve_repo

    config = find_config(*config_start(resolve_repo(params["repo"])))
    _run(ctx, **config.apply(ctx, params))


def _run(
    ctx: click.Context,
    *,
    repo: str,
    agent: str | None,
    task: str | None,
    static_only: bool,
    runner: str,
    startup_timeout: float | None,
    repo_dockerfile: bool,
    require_isolation: bool,
    out_dir: str | None,
    formats: tuple[str, ...],
    as_json: bool,
    source_root: str | None,
    policy: Path | None,
    baseline: Path | None,
    min_score: str | None,
    fail_on: str | None,
    quiet: bool,
    verbose: int,
    debug: bool,
    color: bool | None,
) -> None:
    from harness import default_out_dir, score
    from harness.gate import load_policy
    from harness.report import render, write_reports

    if runner not in ("local", "docker"):
        raise click.BadParameter(f"unknown runner {runner!r}; use local or docker")
    to_stdout = out_dir == "-"
    chosen = _split_formats(formats)
    if (
        to_stdout
        and set(chosen) - {"json", "md"}
        and ctx.get_parameter_source("formats") == click.core.ParameterSource.COMMANDLINE
    ):
        raise click.BadParameter("with --out - only the scorecard JSON is printed; drop --format")
    verbosity = 2 if debug else verbose
    err = make_console(color, stderr=True)
    # stdout carries the scorecard JSON when asked for; then every human line goes to stderr
    out = err if (as_json or to_stdout) else make_console(color)
    # the policy's `checks:` options shape the run itself; its gate rules decide after it
    options = load_policy(policy).checks if policy is not None else None
    with LiveStatus(err, quiet=quiet, lines=verbosity >= 2) as status:
        card = score(
            agent,
            repo,
            task=task,
            live=not static_only,
            runner=runner,
            use_repo_dockerfile=repo_dockerfile,
            require_isolation=require_isolation,
            startup_timeout=startup_timeout,
            formats=(),  # written below, with the gate's decision in them
            options=options,
            progress=status,
        )
    gate = evaluate_gate(
        card, _path(policy), _path(baseline), None if min_score is None else str(min_score), fail_on
    )
    where: Path | None = None
    if not to_stdout:
        agent_name = card.agent.name if card.agent else "catalogue"
        where = Path(out_dir) if out_dir else default_out_dir(agent_name, Path(card.repo.path))
        # scorecard.json always: `report`, `gate` and `baseline` read it whatever else was asked
        wanted = ("json", *(f for f in chosen if f != "json"))
        write_reports(card, where, wanted, gate=gate, source_root=source_root)
    if as_json or to_stdout:
        click.echo(render(card, "json"), nl=False)

    if not quiet:
        print_summary(card, gate, out, verbosity=verbosity)
        sandbox = card.run.sandbox
        if sandbox is not None and sandbox.missing:
            _warn_sandbox(err, sandbox.missing)
        out.print()
        for line, style in gate_lines(gate, out.width, verbosity):
            out.print(line, style=style, soft_wrap=True, markup=False)
        if where is not None:
            kinds = ", ".join(("json", *(f for f in chosen if f != "json")))
            line = f"reports: {where}/ ({kinds})"
            if len(line) > out.width:  # the path alone on its line, never broken inside
                line = f"reports ({kinds}):\n  {where}/"
            out.print(line, soft_wrap=True, markup=False)
    else:
        sandbox = card.run.sandbox
        if sandbox is not None and sandbox.missing:  # said even with -q: the user's machine ran it
            _warn_sandbox(err, sandbox.missing)
    out.print(
        verdict_line(card, gate),
        style="green" if gate.passed else "red",
        markup=False,
        soft_wrap=True,
    )
    if not gate.passed:
        sys.exit(1)


def _warn_sandbox(err, missing: list[str]) -> None:
    err.print(
        "warning: the app ran in an incomplete sandbox: "
        + "; ".join(missing)
        + " (--require-isolation refuses to run it)",
        style="yellow",
        markup=False,
    )


def _path(value: Path | str | None) -> Path | None:
    return None if value is None else Path(value)


def _split_formats(formats: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for spec in formats for f in str(spec).split(",") if f.strip())
    unknown = [f for f in chosen if f not in _FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {unknown[0]!r}; use {', '.join(_FORMATS)}")
    return tuple(dict.fromkeys(chosen))
