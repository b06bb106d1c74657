"""`harness policy init`, `harness baseline update`, `harness gate`: files in, exit codes out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli import main
from harness.gate import Policy, load_baseline, load_policy
from harness.scorecard import Scorecard


@pytest.fixture
def scorecard_file(card: Scorecard, tmp_path: Path) -> Path:
    path = tmp_path / "scorecard.json"
    path.write_text(card.model_dump_json(indent=2), encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_policy_init_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "ci" / "policy.yaml"
    first = _run("policy", "init", path)
    assert first.exit_code == 0, first.output
    assert load_policy(path) == Policy()
    path.write_text("fail_on: low\n", encoding="utf-8")
    again = _run("policy", "init", path)
    assert again.exit_code == 2 and "--force" in again.output
    assert path.read_text(encoding="utf-8") == "fail_on: low\n"
    forced = _run("policy", "init", path, "--force")
    assert forced.exit_code == 0 and "sql.parameterized" in path.read_text(encoding="utf-8")


def test_gate_exit_codes(scorecard_file: Path, tmp_path: Path) -> None:
    failed = _run("gate", scorecard_file)
    assert failed.exit_code == 1, failed.output
    assert "gate FAILED (5 reasons)" in failed.output and "FAIL sql.parameterized" in failed.output

    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "errors: warn\nrequirements:\n  sql.parameterized: WARN\n  auth.required: WARN\n"
        "  output.xss-encoding: WARN\n  secrets.no-hardcoded: WARN\n",
        encoding="utf-8",
    )
    passed = _run("gate", scorecard_file, "--policy", policy)
    assert passed.exit_code == 0, passed.output
    assert passed.output.startswith("gate passed")

    floor = _run("gate", scorecard_file, "--policy", policy, "--min-score", "50%")
    assert floor.exit_code == 1 and "below min_score 0.50" in floor.output

    as_json = _run("gate", scorecard_file, "--policy", policy, "--fail-on", "low", "--json")
    decision = json.loads(as_json.output)
    assert as_json.exit_code == 1 and decision["passed"] is False
    assert any(r.startswith("api.pagination") for r in decision["reasons"])


def test_gate_usage_errors_exit_2(scorecard_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("requirements:\n  sql.injection: FAIL\n", encoding="utf-8")
    result = _run("gate", scorecard_file, "--policy", bad)
    assert result.exit_code == 2 and "bad.yaml:2: unknown requirement id" in result.output
    assert _run("gate", tmp_path / "missing.json").exit_code == 2
    assert _run("gate", scorecard_file, "--min-score", "2").exit_code == 2
    assert _run("gate", scorecard_file, "--fail-on", "critical").exit_code == 2
    assert _run("gate", scorecard_file, "--baseline", tmp_path / "nope.json").exit_code == 2


def test_baseline_update_then_gate(scorecard_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    update = _run("baseline", "update", scorecard_file, "--baseline", path)
    assert update.exit_code == 0, update.output
    assert "known failure(s)" in update.output
    assert load_baseline(path).entries
    md = tmp_path / "comment.md"
    result = _run("gate", scorecard_file, "--baseline", path, "--md", md)
    # only the error remains: the harness could not check rate limiting
    assert result.exit_code == 1 and "FAIL ratelimit" in result.output
    assert "known failure(s) let through by the baseline" in result.output
    assert "**Gate failed**" in md.read_text(encoding="utf-8")
