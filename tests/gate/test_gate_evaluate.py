"""The gate decision over realistic scorecards."""

from __future__ import annotations

from report_cards import sample_card

from harness.gate import Policy, RequirementPolicy, evaluate, parse_policy
from harness.scorecard import Scorecard, Status


def _named(reasons: list[str]) -> set[str]:
    return {r.split(" ", 1)[0].rstrip(":") for r in reasons}


def test_default_fails_on_high_severity_failures_and_errors(card: Scorecard) -> None:
    result = evaluate(card)
    assert not result.passed and result.exit_code == 1
    assert _named(result.reasons) == {
        "sql.parameterized",
        "auth.required",
        "output.xss-encoding",
        "secrets.no-hardcoded",
        "ratelimit",  # error: could not be checked
    }
    assert _named(result.warnings) == {
        "http.security-headers",
        "errors.no-leak",
        "api.pagination",
        "logging.present",
    }
    sql = next(r for r in result.reasons if r.startswith("sql.parameterized"))
    assert "app.py:41" in sql and "db/queries.py:12" in sql and "3 failure(s)" in sql
    auth = next(r for r in result.reasons if r.startswith("auth.required"))
    assert "GET /todos" in auth and "GET /todos/{id}" in auth
    assert "could not check" in next(r for r in result.reasons if r.startswith("ratelimit"))


def test_fail_on_medium_turns_medium_warnings_into_failures(card: Scorecard) -> None:
    result = evaluate(card, fail_on="medium")
    assert {"http.security-headers", "errors.no-leak"} <= _named(result.reasons)
    assert _named(result.warnings) == {"api.pagination", "logging.present"}


def test_min_score(card: Scorecard) -> None:
    assert card.score is not None and 0.3 < card.score < 0.4
    lenient = Policy(
        errors="warn",
        requirements={rid: RequirementPolicy(action="WARN") for rid in card.requirements},
    )
    assert evaluate(card, policy=lenient).passed
    assert evaluate(card, policy=lenient, min_score=0.3).passed
    failed = evaluate(card, policy=lenient, min_score=0.5)
    assert not failed.passed and failed.reasons == ["score: 0.33 is below min_score 0.50"]


def test_no_score_cannot_meet_a_floor(card: Scorecard) -> None:
    blank = card.model_copy(update={"score": None})
    result = evaluate(blank, policy=Policy(errors="warn"), min_score=0.1, fail_on="low")
    assert any(r.startswith("score: no requirement could be decided") for r in result.reasons)


def test_ignore_warn_and_errors_warn(card: Scorecard) -> None:
    policy = parse_policy(
        "errors: warn\nrequirements:\n"
        "  sql.parameterized: WARN\n  auth.required: IGNORE\n"
        "  output.xss-encoding: IGNORE\n  secrets.no-hardcoded: WARN\n"
    )
    result = evaluate(card, policy=policy)
    assert result.passed, result.reasons
    assert "auth.required" not in _named(result.warnings)
    assert {"sql.parameterized", "ratelimit", "secrets.no-hardcoded"} <= _named(result.warnings)


def test_errors_fail_even_where_a_failure_would_only_warn(card: Scorecard) -> None:
    policy = parse_policy("requirements:\n  ratelimit: WARN\n")
    assert "ratelimit" in _named(evaluate(card, policy=policy).reasons)
    ignored = parse_policy("requirements:\n  ratelimit: IGNORE\n")
    assert "ratelimit" not in _named(evaluate(card, policy=ignored).reasons)


def test_requirement_min_score_tolerates_a_partly_kept_promise(card: Scorecard) -> None:
    assert card.requirements["sql.parameterized"].score == 0.5
    tolerant = parse_policy("requirements:\n  sql.parameterized: {action: FAIL, min_score: 0.5}\n")
    result = evaluate(card, policy=tolerant)
    assert "sql.parameterized" not in _named(result.reasons)
    assert any("reaches its min_score 0.50" in w for w in result.warnings)
    strict = parse_policy("requirements:\n  sql.parameterized: {min_score: 0.6}\n")
    assert "sql.parameterized" in _named(evaluate(card, policy=strict).reasons)


def test_a_clean_scorecard_passes() -> None:
    from report_cards import check_results

    clean = [
        r.model_copy(update={"status": Status.passed, "evidence": []})
        if r.status in (Status.failed, Status.error)
        else r
        for r in check_results()
    ]
    card = sample_card(results=clean, found=[])
    assert card.score == 1.0
    result = evaluate(card, min_score=0.95, fail_on="low")
    assert result.passed and result.reasons == [] and result.warnings == []
    assert "gate passed" in result.summary()
