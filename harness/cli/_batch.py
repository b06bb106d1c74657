"""`harness generate`, `harness batch`, `harness diff`: prompt regression from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from harness._errors import InputError
from harness.cli._app import main, reports_errors


def engine_options(command: Any) -> Any:
    """--engine, --ray-address and --ray-runtime-env: where generations and scores run."""
    for option in reversed(
        [
            click.option(
                "--engine",
                type=click.Choice(["local", "ray"]),
                default="local",
                show_default=True,
                help="Run here (local) or as tasks on a Ray cluster (ray; needs the ray extra).",
            ),
            click.option(
                "--ray-address",
                help="Ray cluster to use (auto, HOST:PORT, ray://HOST:10001); "
                "default: start Ray here.",
            ),
            click.option(
                "--ray-runtime-env",
                help="Ray runtime environment of the tasks, as JSON, "
                'e.g. {"pip": ["/shared/h.whl"]}.',
            ),
        ]
    ):
        command = option(command)
    return command


def preset_option(command: Any) -> Any:
    """``--preset NAME``: a named command template for an agent CLI, instead of --command."""
    from harness.batch import PRESETS

    names = ", ".join(f"{p.name} ({p.executable})" for p in PRESETS.values())
    return click.option(
        "--preset",
        type=click.Choice(sorted(PRESETS)),
        help=f"Run a known agent CLI instead of --command: {names}. See docs/regression.md.",
    )(command)


def _ray_options(engine: str, address: str | None, runtime_env: str | None) -> Any:
    """The Ray engine's options from the command line; None for the local engine."""
    if engine != "ray":
        if address or runtime_env:
            raise InputError("--ray-address and --ray-runtime-env need --engine ray")
        return None
    from harness.batch import RayOptions

    env = None
    if runtime_env:
        try:
            env = json.loads(runtime_env)
        except ValueError as exc:
            raise InputError(f"--ray-runtime-env is not JSON: {exc}") from exc
        if not isinstance(env, dict):
            raise InputError("--ray-runtime-env must be a JSON object")
    return RayOptions(runtime_env=env)


@main.command(
    epilog="""\b
Examples:
  harness generate --agent backend --task todo-api --out gen/s0 \\
    --command 'my-cli --system {agent} --prompt-file {prompt} --out {out}'
  harness generate --agent a.md --task todo-api --out gen/s1 --sample 1 \\
    --command "sh -c 'cd {out} && my-agent-cli < {prompt}'"
"""
)
@click.option(
    "--agent",
    "agent",
    type=click.Path(path_type=Path),
    help="Agent file or bundled name.",
)
@click.option(
    "--task",
    "task",
    type=click.Path(path_type=Path),
    help="Task dir, prompt file or bundled name.",
)
@click.option("--out", "out", type=click.Path(path_type=Path), help="Output dir.")
@click.option(
    "--command",
    "command",
    help="Command template; placeholders {agent} {agent_name} {prompt} {prompt_text} {out} "
    "{sample} {seed} {task} {python}. Runs without a shell unless it invokes one (sh -c '...').",
)
@preset_option
@click.option(
    "--show-command", is_flag=True, help="Print the command template and exit (with --preset)."
)
@click.option("--sample", default=0, show_default=True, type=int, help="Sample index.")
@click.option("--seed", default=None, type=int, help="Seed (default: the sample index).")
@click.option("--timeout", default=600.0, show_default=True, type=float, help="Seconds per try.")
@click.option("--retries", default=2, show_default=True, type=int, help="Retries after a failure.")
@click.option("--no-cache", is_flag=True, help="Run the command even if a cached output exists.")
@engine_options
@reports_errors
def generate(
    agent: Path | None,
    task: Path | None,
    out: Path | None,
    command: str | None,
    preset: str | None,
    show_command: bool,
    sample: int,
    seed: int | None,
    timeout: float,
    retries: int,
    no_cache: bool,
    engine: str,
    ray_address: str | None,
    ray_runtime_env: str | None,
) -> None:
    """Run an agent through COMMAND to generate a repo for TASK into OUT (cached by content)."""
    from harness import resolve_agent, resolve_task
    from harness.batch import command_from, generate_on_ray
    from harness.batch import generate as run_generate

    command = command_from(command, preset)
    if show_command:
        if command is None:
            raise InputError("--show-command needs --preset (or --command)")
        click.echo(command)
        return
    missing = [f"--{k}" for k, v in (("agent", agent), ("task", task), ("out", out)) if v is None]
    if command is None:
        missing.append("--command or --preset")
    if missing:
        raise InputError(f"missing {', '.join(missing)}")
    kwargs = {
        "command": command,
        "sample": sample,
        "seed": seed,
        "timeout": timeout,
        "retries": retries,
        "cache": not no_cache,
    }
    agent_path, task_path = resolve_agent(agent), resolve_task(task)
    options = _ray_options(engine, ray_address, ray_runtime_env)
    if engine == "ray":
        repo = generate_on_ray(
            agent_path, task_path, out, address=ray_address, options=options, **kwargs
        )  # type: ignore[arg-type]
    else:
        repo = run_generate(agent_path, task_path, out, **kwargs)  # type: ignore[arg-type]
    how = "from cache" if repo.cached else f"in {repo.attempts} attempt(s)"
    click.echo(f"generated {repo.path} {how} ({repo.duration:.1f} s); log: {repo.log}")


@main.command(
    "install-agent",
    epilog="""\b
Examples:
  harness install-agent --for claude-code backend .   # .claude/agents/backend.md
  harness install-agent --for codex my-agent.md repo/  # repo/AGENTS.md
  harness install-agent --for codex my-agent.md repo/ --remove
""",
)
@click.option(
    "--for",
    "target",
    required=True,
    type=click.Choice(["claude-code", "codex", "gemini", "opencode"]),
    help="The agent CLI that will read the file.",
)
@click.argument("agent", type=click.Path(path_type=Path))
@click.argument(
    "folder", required=False, default=".", type=click.Path(path_type=Path, file_okay=False)
)
@click.option("--remove", is_flag=True, help="Remove the installed file if it is unchanged.")
@reports_errors
def install_agent(agent: Path, folder: Path, target: str, remove: bool) -> None:
    """Put AGENT (a file or bundled name) where the agent CLI TARGET reads agent definitions in
    FOLDER, in that CLI's format (the generation presets run this before and after the CLI)."""
    from harness import resolve_agent
    from harness.batch import install_agent as install

    path = install(resolve_agent(agent), folder, target, remove=remove)
    click.echo(f"{'removed' if remove else 'installed'} {path}", err=True)


@main.command(
    epilog="""\b
Examples:
  harness batch spec.yaml                      # writes reports/batches/spec/
  harness batch --agent before.md --agent after.md --task todo-api \\
    --samples 5 --command '...' --out runs/cmp --static
"""
)
@click.argument("spec", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--agent",
    "agents",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Agent file (repeatable).",
)
@click.option(
    "--task", "tasks", multiple=True, type=click.Path(path_type=Path), help="Task dir (repeatable)."
)
@click.option("--samples", type=int, help="Samples per agent and task.")
@click.option("--command", "command", help="Command template (see `harness generate --help`).")
@preset_option
@click.option("--runner", help="Runner for live scoring: local or docker.")
@click.option(
    "--live/--static", "live", default=None, help="Probe the running app, or static only."
)
@click.option("--workers", type=int, help="Parallel samples (default: min(2, CPUs)).")
@click.option(
    "--contract",
    help='Whose promises to score against: "self" (each agent its own), "none" (every '
    "requirement), or an agent file (the same for all; use the base agent for before/after).",
)
@click.option("--seed", type=int, help="First seed; sample i uses seed + i.")
@click.option("--timeout", type=float, help="Seconds per generation attempt.")
@click.option("--retries", type=int, help="Retries of a failed generation.")
@click.option("--no-cache", is_flag=True, help="Do not reuse cached generations.")
@click.option("--fresh", is_flag=True, help="Re-run samples that already have a scorecard.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), help="Batch dir.")
@click.option("--quiet", is_flag=True, help="No progress output.")
@engine_options
@reports_errors
def batch(
    spec: Path | None,
    agents: tuple[Path, ...],
    tasks: tuple[Path, ...],
    samples: int | None,
    command: str | None,
    preset: str | None,
    runner: str | None,
    live: bool | None,
    workers: int | None,
    contract: str | None,
    seed: int | None,
    timeout: float | None,
    retries: int | None,
    no_cache: bool,
    fresh: bool,
    out: Path | None,
    quiet: bool,
    engine: str,
    ray_address: str | None,
    ray_runtime_env: str | None,
) -> None:
    """Generate and score every agent x task x sample (from SPEC, a YAML file, and/or options),
    then write summary.json / summary.md / summary.html into the batch directory."""
    from harness import resolve_agent, resolve_task
    from harness.batch import command_from, load_spec, make_spec, run_batch

    # paths given here are relative to the working directory, not to the spec file; bundled
    # names ("backend", "todo-api") work as they do in `harness score`
    if contract not in (None, "self", "none"):
        contract = str(resolve_agent(contract).resolve())
    overrides = {
        "agents": [str(resolve_agent(a).resolve()) for a in agents] or None,
        "tasks": [str(resolve_task(t).resolve()) for t in tasks] or None,
        "samples": samples,
        "command": command_from(command, preset),
        "runner": runner,
        "live": live,
        "workers": workers,
        "contract": contract,
        "seed": seed,
        "timeout": timeout,
        "retries": retries,
        "cache": False if no_cache else None,
    }
    if spec is not None:
        batch_spec = load_spec(spec, **overrides)
    else:
        missing = [k for k in ("agents", "tasks", "command") if not overrides[k]]
        if missing:
            raise InputError(
                "give a batch spec file, or --agent, --task and --command (or --preset) "
                f"(missing: {', '.join(missing)})"
            )
        batch_spec = make_spec({k: v for k, v in overrides.items() if v is not None})
    if out is None:
        if spec is None:
            raise InputError("give --out DIR: the directory the batch writes into")
        out = Path("reports") / "batches" / spec.stem
    result = run_batch(
        batch_spec,
        out,
        fresh=fresh,
        progress=not quiet,
        engine=engine,
        ray_address=ray_address,
        ray_options=_ray_options(engine, ray_address, ray_runtime_env),
    )
    click.echo(
        f"batch {result.dir}: {result.ran} sample(s) run, {result.reused} reused, "
        f"{result.failed} failed"
    )
    for g in result.summary.groups:
        mean = "–" if g.score.mean is None else f"{g.score.mean:.3f}"
        rate = "–" if g.all_pass.rate is None else f"{100 * g.all_pass.rate:.0f}%"
        click.echo(
            f"  {g.agent} x {g.task}: mean score {mean}, every promise kept in {rate} "
            f"of {g.all_pass.n} judged sample(s), {g.sample_errors} failed"
        )
    click.echo(f"summary: {result.dir / 'summary.md'}")


@main.command(
    epilog="""\b
Examples:
  harness diff runs/before runs/after                    # Markdown on stdout
  harness diff runs/before runs/after --format html --out diff.html
  harness diff base/scorecard.json new/scorecard.json --fail-on-regression
"""
)
@click.argument("base", type=click.Path(path_type=Path, exists=True))
@click.argument("candidate", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), help="Write here.")
@click.option("--alpha", default=0.05, show_default=True, type=float, help="Significance level.")
@click.option(
    "--paired",
    type=click.Choice(["auto", "yes", "no"]),
    default="auto",
    show_default=True,
    help="McNemar on samples paired by index (auto: when indices and seeds match), or Fisher.",
)
@click.option(
    "--correction",
    type=click.Choice(["holm", "none"]),
    default="holm",
    show_default=True,
    help="Adjust p-values for the number of requirements compared.",
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 1 on a significant regression or a broken promise (decided before, error now).",
)
@reports_errors
def diff(
    base: Path,
    candidate: Path,
    fmt: str,
    out: Path | None,
    alpha: float,
    paired: str,
    correction: str,
    fail_on_regression: bool,
) -> None:
    """Compare CANDIDATE with BASE (scorecard files, batch summaries or batch directories):
    per-requirement flips and pass-rate changes with exact tests, regressions first."""
    from harness.batch import diff as run_diff
    from harness.batch import render_diff

    report = run_diff(base, candidate, alpha=alpha, paired=paired, correction=correction)  # type: ignore[arg-type]
    text = render_diff(report, fmt)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
    if report.regressions:
        names = ", ".join(f"{r.task}:{r.requirement}" for r in report.regressions)
        click.echo(f"regression: {names}", err=True)
    if report.broken:
        names = ", ".join(f"{r.task}:{r.requirement}" for r in report.broken)
        click.echo(f"broken (decided before, cannot be decided now): {names}", err=True)
    if report.has_regression and fail_on_regression:
        sys.exit(1)
