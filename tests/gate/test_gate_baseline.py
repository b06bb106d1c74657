"""Baselines: known failures by fingerprint and count, not by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_cards import SQL_SNIPPET, check_results, findings, sample_card

from harness._errors import InputError
from harness.gate import Policy, evaluate, load_baseline, route_of, update_baseline
from harness.scorecard import CheckResult, Evidence, Finding, Scorecard

LENIENT_ERRORS = Policy(errors="warn")


def _later_run(
    *, shift: int = 0, extra: list[Finding] = (), live_path: tuple[str, str] | None = None
) -> Scorecard:
    """The sample as a later run would see it: lines moved, findings added, routes renamed."""
    found = [f.model_copy(update={"line": f.line + shift}) for f in findings()] + list(extra)
    by_key = {(f.check, f.file, f.line - shift): f for f in found}
    results: list[CheckResult] = []
    for result in check_results():
        evidence = []
        for ev in result.evidence:
            if ev.finding is not None:
                key = (ev.finding.check, ev.finding.file, ev.finding.line)
                ev = ev.model_copy(update={"finding": by_key[key]})
            if ev.exchange is not None and live_path and live_path[0] in ev.exchange.url:
                url = ev.exchange.url.replace(*live_path)
                ev = ev.model_copy(update={"exchange": ev.exchange.model_copy(update={"url": url})})
            evidence.append(ev)
        if result.check == "sql-fstring":
            evidence += [Evidence(kind="static", message=f.message, finding=f) for f in extra]
        results.append(result.model_copy(update={"evidence": evidence}))
    return sample_card(results=results, found=found)


def test_route_keys_ignore_ids_and_queries() -> None:
    assert route_of("get", "http://127.0.0.1:5000/todos/17?x=1") == "GET /todos/{id}"
    uuid = "3f2b8c1e-9a7d-4e2b-8c1f-0a9b8c7d6e5f"
    assert route_of("DELETE", f"http://h/api/v1/todos/{uuid}") == "DELETE /api/v1/todos/{id}"
    assert route_of("GET", "http://h/") == "GET /"


def test_baselined_failures_do_not_fail_the_gate(card: Scorecard, tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    written = update_baseline(card, path)
    assert written.entries[findings()[0].fingerprint].count == 2  # the duplicated snippet
    baseline = load_baseline(path)
    assert baseline == written
    result = evaluate(card, policy=LENIENT_ERRORS, baseline=baseline)
    assert result.passed, result.reasons
    assert len(result.baselined) == sum(e.count for e in baseline.entries.values())
    # errors are not baselined: a check that could not run still fails under the default
    assert [r.split(" ")[0] for r in evaluate(card, baseline=baseline).reasons] == ["ratelimit"]


def test_moved_lines_and_other_row_ids_are_still_known(card: Scorecard, tmp_path: Path) -> None:
    baseline = update_baseline(card, tmp_path / "b.json")
    later = _later_run(shift=7, live_path=("/todos/17", "/todos/923"))
    assert later.findings[0].line == 48
    assert evaluate(later, policy=LENIENT_ERRORS, baseline=baseline).passed


def test_a_new_copy_of_a_known_finding_is_new(card: Scorecard, tmp_path: Path) -> None:
    baseline = update_baseline(card, tmp_path / "b.json")
    copy = findings()[0].model_copy(update={"line": 120})
    assert copy.fingerprint == findings()[0].fingerprint
    later = _later_run(extra=[copy])
    result = evaluate(later, policy=LENIENT_ERRORS, baseline=baseline)
    assert not result.passed
    assert len(result.reasons) == 1
    reason = result.reasons[0]
    assert reason.startswith("sql.parameterized") and "1 new failure(s)" in reason
    assert "app.py:120" in reason and "app.py:41" not in reason


def test_a_new_failing_route_is_new(card: Scorecard, tmp_path: Path) -> None:
    baseline = update_baseline(card, tmp_path / "b.json")
    later = _later_run(live_path=("/todos/17", "/admin/users"))
    result = evaluate(later, policy=LENIENT_ERRORS, baseline=baseline)
    assert not result.passed
    assert "GET /admin/users" in result.reasons[0] and "GET /todos:" not in result.reasons[0]


def test_a_new_finding_elsewhere_is_new(card: Scorecard, tmp_path: Path) -> None:
    baseline = update_baseline(card, tmp_path / "b.json")
    other = Finding(
        requirement="sql.parameterized",
        check="sql-fstring",
        tool="semgrep",
        severity="high",
        file="users.py",
        line=9,
        snippet=SQL_SNIPPET,
        message="SQL built with an f-string reaches execute()",
    )
    result = evaluate(_later_run(extra=[other]), policy=LENIENT_ERRORS, baseline=baseline)
    assert "users.py:9" in result.reasons[0]


def test_bad_baselines(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="harness baseline update"):
        load_baseline(tmp_path / "none.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"entries": {\n  "x": [}', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json:2: baseline is not valid JSON"):
        load_baseline(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"version": 1, "entries": {"x": {"kind": "??"}}}))
    with pytest.raises(InputError, match=r"entries\.x"):
        load_baseline(wrong)
