"""The judging rules: check results -> requirement verdict -> item verdict -> scores."""

from __future__ import annotations

import pytest

from harness.catalogue import load_requirements
from harness.scorecard import (
    CheckResult,
    ItemVerdict,
    RequirementVerdict,
    Severity,
    Status,
    Verdict,
    combine_item,
    coverage,
    judge_requirement,
    overall_score,
)


def result(status: str, severity: str = "medium", check: str = "c") -> CheckResult:
    return CheckResult(
        check=check,
        requirement="sql.parameterized",
        kind="static",
        status=Status(status),
        severity=Severity(severity),
        message=f"{check} {status}",
    )


REQ = load_requirements()["sql.parameterized"]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["pass", "pass"], Verdict.passed),
        (["pass", "fail"], Verdict.partial),
        (["fail"], Verdict.failed),
        (["pass", "error"], Verdict.error),
        (["fail", "error"], Verdict.failed),
        (["not_applicable", "not_applicable"], Verdict.not_applicable),
        (["not_applicable", "pass"], Verdict.passed),
    ],
)
def test_requirement_verdict_from_check_statuses(statuses: list[str], expected: Verdict) -> None:
    results = [result(s, check=f"c{i}") for i, s in enumerate(statuses)]
    assert judge_requirement(REQ, results).verdict == expected


def test_a_high_severity_failure_fails_even_when_other_checks_pass() -> None:
    verdict = judge_requirement(REQ, [result("pass", check="a"), result("fail", "high", "b")])
    assert verdict.verdict == Verdict.failed
    assert verdict.score == pytest.approx(2 / 5)  # medium pass 2 / (2 + high fail 3)


def test_no_results_is_not_checkable_with_the_reason() -> None:
    verdict = judge_requirement(REQ, [], missing_reason="live-only requirement")
    assert verdict.verdict == Verdict.not_checkable
    assert verdict.reason == "live-only requirement"
    assert verdict.score is None


def test_an_error_never_becomes_a_pass() -> None:
    verdict = judge_requirement(REQ, [result("error")])
    assert verdict.verdict == Verdict.error
    assert verdict.score is None
    assert "could not check" in (verdict.reason or "")


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([Verdict.passed, Verdict.passed], Verdict.passed),
        ([Verdict.passed, Verdict.failed], Verdict.partial),
        ([Verdict.failed, Verdict.failed], Verdict.failed),
        ([Verdict.passed, Verdict.error], Verdict.error),
        ([Verdict.not_applicable, Verdict.not_checkable], Verdict.not_applicable),
        ([Verdict.not_checkable], Verdict.not_checkable),
        ([Verdict.failed, Verdict.not_checkable], Verdict.failed),
    ],
)
def test_item_verdict_combines_requirement_verdicts(
    verdicts: list[Verdict], expected: Verdict
) -> None:
    assert combine_item(verdicts) == expected


def test_overall_score_is_severity_weighted() -> None:
    reqs = {
        "a": RequirementVerdict(verdict=Verdict.passed, score=1.0, severity=Severity.high),
        "b": RequirementVerdict(verdict=Verdict.failed, score=0.0, severity=Severity.low),
        "c": RequirementVerdict(verdict=Verdict.error, score=None, severity=Severity.high),
    }
    assert overall_score(reqs) == pytest.approx(3 / 4)


def test_coverage_counts_decided_items() -> None:
    """Only pass, partial and fail decide a promise; not_applicable decides nothing about it
    (a discovery that found nothing must not raise coverage)."""
    items = [
        ItemVerdict(id=f"i{n}", text="t", verdict=v)
        for n, v in enumerate(
            [
                Verdict.passed,
                Verdict.not_checkable,
                Verdict.error,
                Verdict.not_applicable,
                Verdict.partial,
                Verdict.failed,
            ]
        )
    ]
    assert coverage(items) == 0.5


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["not_checkable"], Verdict.not_checkable),
        (["not_checkable", "not_applicable"], Verdict.not_checkable),
        (["not_checkable", "pass"], Verdict.passed),
        (["not_checkable", "fail"], Verdict.failed),
        (["not_checkable", "error"], Verdict.error),
    ],
)
def test_a_check_that_could_not_exercise_the_behaviour_is_never_not_applicable(
    statuses: list[str], expected: Verdict
) -> None:
    results = [result(s, check=f"c{i}") for i, s in enumerate(statuses)]
    verdict = judge_requirement(REQ, results)
    assert verdict.verdict == expected
    if expected == Verdict.not_checkable:
        assert verdict.reason and verdict.reason.startswith("not checkable: c0: c0 not_checkable")
        assert verdict.score is None
