"""The live side of tests.present: each repo's own suite run beside the started app."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness._paths import fixtures_dir
from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.probes._suite import parse_summary
from harness.runner import start_app
from harness.scorecard import CheckResult

SUITES = Path(__file__).parent / "suite_apps"
TASK = fixtures_dir() / "tasks" / "todo-api"


def suite_result(repo: Path, **options: object) -> CheckResult:
    profile = detect_app(repo)
    with start_app(profile) as app:
        api = build_api_model(profile, task_dir=TASK, app=app)
        run = run_probes(
            app, api, requirements={"tests.present"}, options={"live.tests-present": options}
        )
    (result,) = [r for r in run.results if r.check == "live.tests-present"]
    return result


def data(result: CheckResult) -> dict:
    return next(e.data for e in result.evidence if e.data and "exit_code" in e.data)


@pytest.mark.live
@pytest.mark.slow
@pytest.mark.parametrize(
    ("app", "how", "tests"),
    [("todo-fastapi-good", "pytest", 19), ("todo-express-good", "npm test", 11)],
)
def test_a_passing_suite_passes(app: str, how: str, tests: int) -> None:
    result = suite_result(fixtures_dir() / "apps" / app)
    assert result.status.value == "pass", result.message
    d = data(result)
    assert d["exit_code"] == 0 and d["how"].startswith(how)
    assert d["counts"]["tests"] == tests and d["counts"]["passed"] == tests
    assert d["output_tail"] and len(d["output_tail"].splitlines()) <= 60


@pytest.mark.live
@pytest.mark.parametrize(
    ("app", "failing", "how"),
    [
        ("py_suite_fails", "test_add_adds", "unittest"),
        ("node_suite_fails", "total of nothing is zero", "node --test"),
    ],
)
def test_a_failing_suite_fails_and_names_the_test(app: str, failing: str, how: str) -> None:
    result = suite_result(SUITES / app)
    assert result.status.value == "fail", result.message
    assert failing in result.message
    d = data(result)
    assert d["exit_code"] == 1 and d["how"].startswith(how)
    assert any(failing in name for name in d["failing"])
    # the other test reached the running app on its PORT, inside the same sandbox
    assert d["counts"]["tests"] == 2 and d["counts"]["failed"] == 1


@pytest.mark.live
def test_plain_pytest_tests_without_pytest_in_the_deps_still_run() -> None:
    result = suite_result(SUITES / "py_suite_plain")
    assert result.status.value == "pass", result.message
    d = data(result)
    assert "pytest added from" in d["how"] and d["counts"] == {"passed": 2, "tests": 2}


@pytest.mark.live
def test_a_suite_that_hangs_is_an_error_naming_the_deadline() -> None:
    result = suite_result(SUITES / "py_suite_hangs", suite_timeout_s=3)
    assert result.status.value == "error", result.message
    assert "did not finish within 3 s" in result.message
    assert data(result)["timed_out"] is True


@pytest.mark.live
def test_a_repo_without_tests_fails() -> None:
    result = suite_result(fixtures_dir() / "apps" / "todo-flask-bad")
    assert result.status.value == "fail"
    assert "no test suite" in result.message


PYTEST_OUT = """\
..F
=================================== FAILURES ===================================
FAILED tests/test_api.py::test_delete - assert 500 == 204
1 failed, 2 passed, 1 skipped in 0.52s
"""
JEST_OUT = """\
  ● Todos › deletes a todo

    expect(received).toBe(expected)

Tests:       1 failed, 4 passed, 5 total
Time:        1.2 s
"""
MOCHA_OUT = """\
  3 passing (40ms)
  1 failing

  1) Todos API
       rejects an empty title:
     AssertionError: expected 201 to equal 400
"""


@pytest.mark.parametrize(
    ("output", "fmt", "counts", "failing"),
    [
        (
            PYTEST_OUT,
            "pytest",
            {"failed": 1, "passed": 2, "skipped": 1, "tests": 3},
            "tests/test_api.py::test_delete",
        ),
        (JEST_OUT, "jest", {"failed": 1, "passed": 4, "tests": 5}, "Todos › deletes a todo"),
        (MOCHA_OUT, "mocha", {"passed": 3, "failed": 1, "tests": 4}, "Todos API"),
    ],
)
def test_summaries_are_parsed(output: str, fmt: str, counts: dict, failing: str) -> None:
    got = parse_summary(output)
    assert got["format"] == fmt and got["counts"] == counts
    assert failing in got["failing"]


def test_output_without_a_known_summary_has_no_counts() -> None:
    assert parse_summary("Segmentation fault\n") == {"format": "", "counts": {}, "failing": []}
