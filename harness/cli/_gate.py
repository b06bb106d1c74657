"""`harness gate`, `harness policy init`, `harness baseline update`: the CI gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.cli._app import main, reports_errors
from harness.cli._config import setting, with_options

DEFAULT_POLICY = Path("harness-policy.yaml")
DEFAULT_BASELINE = Path("harness-baseline.json")
_PATH = click.Path(dir_okay=False, path_type=Path)
_POLICY_INIT_EXAMPLES = """\b
Examples:
  harness policy init                     # writes harness-policy.yaml
  harness policy init ci/policy.yaml --force
"""
_BASELINE_UPDATE_EXAMPLES = """\b
Examples:
  harness baseline update reports/backend/repo/scorecard.json
  harness baseline update scorecard.json --baseline ci/baseline.json
"""


@main.group("policy")
def policy_group() -> None:
    """Gate policies: what may fail, what only warns."""


@policy_group.command("init", epilog=_POLICY_INIT_EXAMPLES)
@click.argument("path", type=_PATH, default=DEFAULT_POLICY)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@reports_errors
def policy_init(path: Path, force: bool) -> None:
    """Write a commented policy listing every requirement with its default action."""
    from harness import InputError
    from harness.gate import policy_template

    if path.exists() and not force:
        raise InputError(f"{path} exists; pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(policy_template(), encoding="utf-8")
    click.echo(f"wrote {path}")


@main.group("baseline")
def baseline_group() -> None:
    """Baselines: failures accepted for now, so that only new ones fail the gate."""


@baseline_group.command("update", epilog=_BASELINE_UPDATE_EXAMPLES)
@click.argument("scorecard", type=_PATH)
@click.option(
    "--baseline",
    "path",
    type=_PATH,
    default=DEFAULT_BASELINE,
    show_default=True,
    help="Baseline file to (re)write.",
)
@reports_errors
def baseline_update(scorecard: Path, path: Path) -> None:
    """Record every failure in SCORECARD as known (replacing the previous baseline)."""
    from harness.gate import update_baseline
    from harness.report import load_scorecard

    baseline = update_baseline(load_scorecard(scorecard), path)
    total = sum(entry.count for entry in baseline.entries.values())
    click.echo(
        f"wrote {path}: {total} known failure(s) under {len(baseline.entries)} fingerprint(s)"
    )


# The gate's inputs, shared by `harness gate` and `harness score`.
gate_options = with_options(
    setting("--policy", type=_PATH, help="Policy YAML (`harness policy init` writes one)."),
    setting(
        "--baseline",
        type=_PATH,
        help="Baseline JSON of known failures (`harness baseline update` writes one).",
    ),
    setting("--min-score", help="Fail below this overall score (0..1 or 70%)."),
    setting(
        "--fail-on",
        type=click.Choice(["high", "medium", "low"], case_sensitive=False),
        help="Fail on failed requirements of this severity or above.",
    ),
)


def evaluate_gate(
    card, policy: Path | None, baseline: Path | None, min_score: str | None, fail_on: str | None
):
    """Load the gate's inputs and decide (harness.gate.evaluate)."""
    from harness.gate import evaluate, load_baseline, load_policy, parse_score

    return evaluate(
        card,
        policy=load_policy(policy) if policy else None,
        min_score=parse_score(min_score, "--min-score") if min_score is not None else None,
        fail_on=fail_on.lower() if fail_on else None,
        baseline=load_baseline(baseline) if baseline else None,
    )


@main.command(
    "gate",
    epilog="""\b
Examples:
  harness gate reports/backend/repo/scorecard.json --fail-on high
  harness gate scorecard.json --policy policy.yaml --baseline known.json
  harness gate scorecard.json --min-score 70% --md comment.md --json

\b
Exit codes: 0 passed, 1 gate failed, 2 bad input. --policy, --baseline,
--min-score and --fail-on also come from HARNESS_<KEY> variables and the
[tool.harness] settings of the current folder.
""",
)
@click.argument("scorecard", type=_PATH)
@gate_options
@click.option("--json", "as_json", is_flag=True, help="Print the decision as JSON.")
@click.option(
    "--md",
    "md_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a Markdown report with the decision (e.g. for a PR comment).",
)
@click.pass_context
@reports_errors
def gate_command(
    ctx: click.Context,
    scorecard: Path,
    policy: Path | None,
    baseline: Path | None,
    min_score: str | None,
    fail_on: str | None,
    as_json: bool,
    md_out: Path | None,
) -> None:
    """Decide whether SCORECARD passes: exit 0 pass, 1 gate failed, 2 bad input."""
    from harness.cli._config import find_config
    from harness.report import load_scorecard, render

    given = {"policy": policy, "baseline": baseline, "min_score": min_score, "fail_on": fail_on}
    settings = find_config(Path.cwd()).apply(ctx, given)
    policy, baseline = _as_path(settings["policy"]), _as_path(settings["baseline"])
    min_score, fail_on = settings["min_score"], settings["fail_on"]
    card = load_scorecard(scorecard)
    result = evaluate_gate(card, policy, baseline, min_score, fail_on)
    if md_out is not None:
        md_out.parent.mkdir(parents=True, exist_ok=True)
        md_out.write_text(render(card, "md", gate=result), encoding="utf-8")
    click.echo(result.model_dump_json(indent=2) if as_json else result.summary())
    sys.exit(result.exit_code)


def _as_path(value: Path | str | None) -> Path | None:
    return None if value is None else Path(value)
