"""run_static end to end (real semgrep and bandit subprocesses): requirement selection, agent
params, per-check options, analyzer failures, and the catalogue's consistency."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
import yaml

from harness._paths import checks_dir
from harness.scorecard._model import Status
from harness.static import load_catalogue, run_static, select_checks

CASES = Path(__file__).parent / "cases"


def _repo(tmp_path: Path, *cases: str) -> Path:
    """A repo assembled from corpus cases, outside the checkout."""
    repo = tmp_path / "repo"
    for case in cases:
        shutil.copytree(CASES / case, repo, dirs_exist_ok=True)
    return repo


def _by_check(run):
    return {r.check: r for r in run.results}


def test_flask_app_with_string_built_sql_fails_with_located_findings(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "sql.parameterized.string-built/bad-py")
    run = run_static(repo, requirements={"sql.parameterized"})
    results = _by_check(run)
    assert set(results) == {
        "sql.parameterized.string-built",
        "sql.parameterized.bandit",
        "sql.parameterized.go-string-built",
    }
    assert results["sql.parameterized.go-string-built"].status is Status.not_applicable  # no Go
    assert results["sql.parameterized.string-built"].status is Status.failed
    assert results["sql.parameterized.bandit"].status is Status.failed
    assert run.tools["semgrep"] == "1.182.0" and run.tools["bandit"] == "1.9.4"
    semgrep_hits = [f for f in run.findings if f.tool == "semgrep"]
    assert semgrep_hits and all(f.file == "app.py" and f.line == 11 for f in semgrep_hits)
    assert "SELECT * FROM todos" in semgrep_hits[0].snippet
    assert {"semgrep", "bandit", "own_checks", "total"} <= set(run.timings)
    assert run.files_scanned == 1


def test_clean_express_app_passes_sql_and_says_where(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "sql.parameterized.string-built/good-js")
    run = run_static(repo, requirements={"sql.parameterized"})
    results = _by_check(run)
    assert results["sql.parameterized.string-built"].status is Status.passed
    assert results["sql.parameterized.bandit"].status is Status.not_applicable  # no Python
    notes = " ".join(e.message for e in results["sql.parameterized.string-built"].evidence)
    assert "app.js:" in notes


def test_agent_params_narrow_the_accepted_hash_schemes(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "auth.password-hashing.fast-hash/good-js")  # bcryptjs
    assert (
        _by_check(run_static(repo, requirements={"auth.password-hashing"}))[
            "auth.password-hashing.kdf"
        ].status
        is Status.passed
    )
    run = run_static(
        repo,
        requirements={"auth.password-hashing"},
        params={"auth.password-hashing": {"schemes": ["argon2"]}},
    )
    kdf = _by_check(run)["auth.password-hashing.kdf"]
    assert kdf.status is Status.failed and "argon2" in kdf.message


def test_options_override_a_check_threshold(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "util.py").write_text(
        "def a(x: int) -> int:\n    return x\n\ndef b(x: int) -> int:\n    return x\n\n"
        "def c(x):\n    return x\n"
    )
    default = _by_check(run_static(repo, requirements={"code.typed"}))["code.typed.coverage"]
    assert default.status is Status.passed  # 2 of 3 >= 0.6
    strict = _by_check(
        run_static(
            repo, requirements={"code.typed"}, options={"code.typed.coverage": {"min_ratio": 0.8}}
        )
    )["code.typed.coverage"]
    assert strict.status is Status.failed and "80%" in strict.message


def test_missing_semgrep_makes_its_checks_error_never_pass(tmp_path: Path, monkeypatch) -> None:
    repo = _repo(tmp_path, "sql.parameterized.string-built/good-py")
    monkeypatch.setenv("HARNESS_SEMGREP_BIN", str(tmp_path / "no-such-semgrep"))
    run = run_static(repo, requirements={"sql.parameterized", "secrets.no-hardcoded"})
    results = _by_check(run)
    for check in ("sql.parameterized.string-built", "secrets.no-hardcoded.semgrep"):
        assert results[check].status is Status.error, results[check]
        assert "semgrep" in results[check].message and "not found" in results[check].message
    assert results["sql.parameterized.bandit"].status is Status.passed  # bandit still ran
    assert run.tools["semgrep"] == "error"


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("#!/bin/sh\necho 'not json'\nexit 0\n", "without valid JSON"),
        ("#!/bin/sh\necho boom >&2\nexit 7\n", "exited 7"),
        ("#!/bin/sh\nsleep 30\n", "timed out"),
    ],
    ids=["bad-json", "crash", "hang"],
)
def test_broken_bandit_makes_its_checks_error(
    tmp_path: Path, monkeypatch, script: str, reason: str
) -> None:
    repo = _repo(tmp_path, "secrets.no-hardcoded.bandit/good")
    fake = tmp_path / "bandit"
    fake.write_text(script)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("HARNESS_BANDIT_BIN", str(fake))
    run = run_static(
        repo, requirements={"secrets.no-hardcoded"}, timeout=8 if reason == "timed out" else 120
    )
    bandit_check = _by_check(run)["secrets.no-hardcoded.bandit"]
    assert bandit_check.status is Status.error
    assert reason in bandit_check.message


def test_requirements_none_runs_every_static_check(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "errors.no-leak.semgrep/bad-js")
    run = run_static(repo)
    assert {r.check for r in run.results} == {s.id for s in select_checks(None)}
    assert all(r.kind == "static" and r.message for r in run.results)


def test_catalogue_and_rule_files_agree() -> None:
    catalogue = load_catalogue()
    rules = {}
    for path in (checks_dir() / "semgrep").glob("*.yaml"):
        for rule in yaml.safe_load(path.read_text())["rules"]:
            rules[rule["id"]] = rule
    listed = {r: c.id for c in catalogue.checks.values() if c.tool == "semgrep" for r in c.rules}
    assert set(listed) == set(rules), "static.yaml and checks/semgrep disagree on rule ids"
    for rule_id, rule in rules.items():
        meta = rule["metadata"]
        assert meta["check"] == listed[rule_id], rule_id
        assert meta["requirement"] == catalogue.checks[meta["check"]].requirement, rule_id
        assert rule["message"].strip() and isinstance(meta.get("cwe"), list), rule_id
    requirements = yaml.safe_load((checks_dir() / "requirements.yaml").read_text())
    known = {rid for group in requirements.values() for rid in group}
    assert {s.requirement for s in select_checks(None)} <= known
    static_ids = {
        rid
        for group in requirements.values()
        for rid, f in group.items()
        if f["evidence"] in ("static", "both")
    }
    covered = {s.requirement for s in select_checks(None)}
    assert static_ids <= covered, (
        f"static requirements without a check: {sorted(static_ids - covered)}"
    )


_BROKEN_SEARCH = """import sqlite3

from flask import request

from app import app


@app.route("/search")
def search():
    conn = sqlite3.connect("app.db")
    q = request.args["q"]
    rows = conn.execute(f"SELECT id FROM todos WHERE title LIKE '%{q}%'"
    return {"ids": [r[0] for r in rows]}
"""


def test_no_pass_over_a_file_the_analyzers_could_not_read(tmp_path: Path) -> None:
    """A module with a syntax error on the very line that splices SQL: semgrep parses around
    it, bandit gives up on the file; neither may claim the repo's SQL is parameterized."""
    repo = _repo(tmp_path, "sql.parameterized.string-built/good-py")
    (repo / "search.py").write_text(_BROKEN_SEARCH)
    run = run_static(repo, requirements={"sql.parameterized", "db.query-efficiency"})
    results = _by_check(run)
    for check in ("sql.parameterized.string-built", "sql.parameterized.bandit"):
        assert results[check].status is Status.error, results[check].message
        assert "search.py" in results[check].message
        assert "no pass over files never read" in results[check].message
    # an own check that needed the file's syntax tree does not pass over it either
    own = results["db.query-efficiency.n-plus-one"]
    assert own.status is Status.error and "search.py" in own.message, own.message
    assert any(s.startswith("bandit: search.py") for s in run.skipped), run.skipped
    assert any(s.startswith("semgrep: search.py") for s in run.skipped), run.skipped
    # the same repo without the broken module passes: the error is the unread file's doing
    (repo / "search.py").unlink()
    clean = _by_check(run_static(repo, requirements={"sql.parameterized"}))
    assert clean["sql.parameterized.string-built"].status is Status.passed


def test_analyzer_findings_stand_when_a_fact_is_absent(tmp_path: Path) -> None:
    """make_response(f"<b>{name}</b>") is HTML built from a query value, but none of the html
    fact's patterns match it and the app also uses jsonify: the semgrep finding must still fail
    the check instead of "holds by construction"."""
    repo = _repo(tmp_path, "output.xss-encoding.semgrep/bad-make-response-py")
    results = _by_check(run_static(repo, requirements={"output.xss-encoding"}))
    check = results["output.xss-encoding.semgrep"]
    assert check.status is Status.failed, check.message
    assert any(e.finding and e.finding.line == 14 for e in check.evidence)
