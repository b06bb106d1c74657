"""The policy's `checks:` section: typed options per check or requirement, validated strictly
and passed to the run by `harness score --policy`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness._errors import InputError
from harness._score import load_checks
from harness.catalogue import check_options, get_check, registered_checks
from harness.gate import parse_policy

ROOT = Path(__file__).resolve().parents[2]


def test_valid_options_are_kept_and_typed_by_the_check() -> None:
    policy = parse_policy(
        "checks:\n  code.typed.coverage: {min_ratio: 0.8}\n  live.latency:\n    requests: 10\n"
    )
    assert policy.checks == {
        "code.typed.coverage": {"min_ratio": 0.8},
        "live.latency": {"requests": 10},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "checks:\n  code.typed.coverage: {min_ratoi: 0.8}\n",
            "<policy>:2: code.typed.coverage: unknown option 'min_ratoi'; "
            "it takes enabled, min_ratio",
        ),
        (
            "checks:\n  no.such.check: {x: 1}\n",
            "<policy>:2: no check or requirement 'no.such.check' takes options",
        ),
        (
            "checks:\n  code.typed.coverage: {min_ratio: high}\n",
            "code.typed.coverage.min_ratio: 'high'",
        ),
        ("checks:\n  live.graceful-shutdown: {enabled: maybe}\n", "live.graceful-shutdown.enabled"),
    ],
)
def test_a_mistyped_option_is_an_error_naming_its_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_policy(text)
    assert message in str(err.value)


def test_a_requirement_id_reaches_each_of_its_checks_that_has_the_option() -> None:
    load_checks()
    out = check_options(registered_checks(), {"perf.latency": {"requests": 12}})
    assert out == {"live.latency": {"requests": 12}}


def test_scheduling_is_explicit_not_an_option() -> None:
    load_checks()
    burst = get_check("live.rate-limit")
    assert (burst.phase, burst.timeout_s) == ("burst", 30.0)
    assert "phase" not in burst.options and "timeout_s" not in burst.options
    assert set(burst.options_model.model_fields) == {
        "enabled",
        "requests",
        "seconds",
        "concurrency",
    }


def test_score_applies_the_policy_options(tmp_path: Path) -> None:
    agent = tmp_path / "agent.md"
    agent.write_text("---\nname: typed\n---\n\n- Use type hints on every function.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def verdict(*extra: str) -> tuple[int, str]:
        out = tmp_path / f"out{len(extra)}"
        done = subprocess.run(
            [sys.executable, "-m", "harness", "score", "bare-flask-single", "--agent", str(agent),
             "--static", "--out", str(out), "-q", *extra],
            capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        if done.returncode == 2:
            return 2, done.stderr
        card = json.loads((out / "scorecard.json").read_text())
        return done.returncode, card["requirements"]["code.typed"]["verdict"]

    assert verdict()[1] == "fail"  # the bare app has no hints: below the default 0.6
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("checks:\n  code.typed.coverage:\n    min_ratio: 0.0\n")
    assert verdict("--policy", str(lenient))[1] == "pass"
    typo = tmp_path / "typo.yaml"
    typo.write_text("checks:\n  code.typed.coverage:\n    minratio: 0.0\n")
    code, message = verdict("--policy", str(typo))
    assert code == 2 and "unknown option 'minratio'" in message
