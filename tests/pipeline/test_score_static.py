"""The whole pipeline in static mode: every fixture app against the five agents gives the verdicts
its expected.yaml states, through extraction, the real analyzers and the judge."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml

from harness import build_scorecard, score
from harness._paths import fixtures_dir
from harness.agent import parse_agent
from harness.app import detect_app
from harness.checklist import extract_checklist
from harness.scorecard import RunInfo, Status, Verdict
from harness.static import run_static

ROOT = Path(__file__).resolve().parents[2]
AGENTS = sorted((fixtures_dir() / "agents").glob("*.md"))
APPS = sorted(p.parent for p in (fixtures_dir() / "apps").glob("*/expected.yaml"))


def expected(app: Path, section: str) -> dict[str, str]:
    data = yaml.safe_load((app / "expected.yaml").read_text())
    return data.get(section) or {}


@cache
def static_run(app: Path):
    profile = detect_app(app)
    return profile, run_static(app, profile)


@pytest.mark.parametrize("app", APPS, ids=lambda p: p.name)
@pytest.mark.parametrize("agent", AGENTS, ids=lambda p: p.stem)
def test_fixture_app_against_agent_gives_expected_static_verdicts(app: Path, agent: Path) -> None:
    profile, run = static_run(app)
    checklist = extract_checklist(parse_agent(agent))
    info = RunInfo(started_at="", duration_s=0.0)
    card = build_scorecard(checklist, profile, run.results, findings=run.findings, info=info)
    want = expected(app, "static")
    checked = 0
    for rid, verdict in card.requirements.items():
        if rid not in want:
            continue
        got = verdict.verdict.value
        # a requirement partially failing still breaks the promise the fixture planted
        if want[rid] == "fail":
            assert got in ("fail", "partial"), f"{rid}: expected fail, got {got}: {verdict.reason}"
        else:
            assert got == want[rid], f"{rid}: expected {want[rid]}, got {got}: {verdict.reason}"
        checked += 1
    assert checked >= 5, f"{agent.stem} promises too few of {app.name}'s expected requirements"


def test_static_score_writes_a_scorecard_that_follows_the_schema(tmp_path: Path) -> None:
    card = score("backend", "todo-flask-bad", live=False, out_dir=tmp_path, formats=("json", "md"))
    data = json.loads((tmp_path / "scorecard.json").read_text())
    schema = json.loads((ROOT / "schemas" / "scorecard-v1.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["schema_version"] == 1
    assert (tmp_path / "scorecard.md").read_text().strip()

    sql = card.requirements["sql.parameterized"]
    assert sql.verdict == Verdict.failed
    located = [e.finding for e in sql.evidence if e.finding]
    assert located and all(f.file and f.line > 0 and f.snippet for f in located)
    # the item that promised it carries the same evidence
    item = next(i for i in card.items if "sql.parameterized" in i.requirements)
    assert item.verdict in (Verdict.failed, Verdict.partial)
    assert any(e.finding for e in item.evidence)
    # live-only requirements are said to be not checkable in a static run, never passed
    status_codes = card.requirements["http.status-codes"]
    assert status_codes.verdict == Verdict.not_checkable
    assert "live" in (status_codes.reason or "")
    assert card.run.mode == "static"
    assert {"extract", "detect", "static", "judge"} <= set(card.run.timings)
    assert {"bandit", "semgrep"} <= set(card.run.tools)


def test_without_an_agent_the_repo_is_scored_against_the_whole_catalogue(tmp_path: Path) -> None:
    from harness.catalogue import load_requirements

    card = score(None, "todo-fastapi-good", live=False, out_dir=tmp_path, formats=())
    assert set(card.requirements) == set(load_requirements())
    decided = [r for r in card.requirements.values() if r.verdict != Verdict.not_checkable]
    assert len(decided) >= 30
    failing = {rid: r.reason for rid, r in card.requirements.items() if r.verdict == Verdict.failed}
    assert not failing, failing


def test_an_analyzer_that_cannot_run_gives_error_never_pass(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HARNESS_SEMGREP_BIN", str(tmp_path / "no-such-semgrep"))
    card = score("backend", "todo-fastapi-good", live=False, out_dir=tmp_path, formats=())
    sql = card.requirements["sql.parameterized"]
    semgrep_checks = [c for c in sql.checks if c.status == Status.error]
    assert semgrep_checks, "the missing semgrep binary must surface as an error"
    assert sql.verdict in (Verdict.error, Verdict.failed)
    assert sql.verdict != Verdict.passed
