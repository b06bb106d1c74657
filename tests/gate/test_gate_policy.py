"""Policies: the template, and strict validation that names the offending line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness._errors import InputError
from harness.catalogue import load_requirements
from harness.gate import Policy, load_policy, parse_policy, policy_template
from harness.scorecard import Severity


def test_template_lists_every_requirement_with_its_default() -> None:
    text = policy_template()
    requirements = load_requirements()
    for rid, req in requirements.items():
        expected = "FAIL" if req.severity == Severity.high else "WARN"
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(f"# {rid}:"))
        assert line.split()[2] == expected, line
    # as written, the template is the default policy...
    assert parse_policy(text, "template") == Policy()
    # ...and every listed default, uncommented, is accepted and changes nothing
    uncommented = "\n".join(
        ln.replace("  # ", "  ", 1).split(" # ")[0] if ln.startswith("  # ") and ":" in ln else ln
        for ln in text.splitlines()
        if not ln.startswith("  # ---")
    )
    policy = parse_policy(uncommented, "uncommented")
    assert set(policy.requirements) == set(requirements)
    for rid, req in requirements.items():
        assert policy.action_for(rid, req.severity) == Policy().action_for(rid, req.severity)
    assert yaml.safe_load(uncommented)["fail_on"] == "high"


def test_full_policy(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: 1\nmin_score: 70%\nfail_on: Medium\nerrors: warn\nrequirements:\n"
        "  sql.parameterized: fail\n"
        "  api.health: IGNORE\n"
        "  errors.no-leak: {action: FAIL, min_score: 0.5}\n"
        "  http.cors:\n    min_score: 0.25\n",
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.min_score == pytest.approx(0.7)
    assert policy.fail_on == Severity.medium and policy.errors == "warn"
    assert policy.action_for("sql.parameterized", Severity.low) == "FAIL"
    assert policy.action_for("api.health", Severity.low) == "IGNORE"
    assert policy.action_for("http.cors", Severity.medium) == "FAIL"  # from fail_on
    assert policy.action_for("api.pagination", Severity.low) == "WARN"
    assert policy.min_score_for("errors.no-leak") == 0.5
    assert policy.min_score_for("http.cors") == 0.25


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "requirements:\n  sql.parameterised: FAIL\n",
            r":2: unknown requirement id "
            r"'sql.parameterised' \(did you mean 'sql.parameterized'\?\)",
        ),
        ("requirements:\n  api.health: BLOCK\n", r":2: api.health: 'BLOCK' is not an action"),
        ("requirements:\n  api.health: {action: WARN, floor: 1}\n", r":2: api.health: unknown key"),
        ("min_score: 1.5\n", r":1: score 1.5 is out of range"),
        ("min_score: lots\n", r":1: 'lots' is not a score"),
        ("fail_on: critical\n", r":1: 'critical' is not a severity"),
        ("errors: ignore\n", r":1: errors must be fail or warn"),
        ("version: 2\n", r":1: policy version 2 is not 1"),
        ("fail_on: high\nmin_scor: 0.5\n", r":2: unknown policy key 'min_scor' \(did you mean"),
        ("fail_on: high\nfail_on: low\n", r":2: 'fail_on' appears twice"),
        ("requirements:\n  - sql.parameterized\n", r":2: requirements must be a mapping"),
        ("min_score: [1]\n", r":1: min_score must be a single value"),
        ("requirements:\n  api.health: FAIL\n   bad: [\n", r":3: policy is not valid YAML"),
        ("- just\n- a list\n", r":1: the policy must be a mapping"),
    ],
)
def test_bad_policies_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_policy(path)
    assert str(info.value).startswith(str(path))


def test_missing_and_empty_policy(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="harness policy init"):
        load_policy(tmp_path / "absent.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert load_policy(empty) == Policy()
