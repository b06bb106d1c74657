"""The reference backends in fixtures/apps: our static verdicts per requirement against the
`static:` expectations in their expected.yaml (real semgrep and bandit runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness._paths import fixtures_dir
from harness.scorecard._model import CheckResult, Status
from harness.static import StaticRun, run_static

APPS = sorted(p.parent for p in (fixtures_dir() / "apps").glob("*/expected.yaml"))

# Expectations we read differently, with the reason; the test asserts OUR verdict for these so
# that a change on either side is noticed. Key: (app, requirement) -> (our verdict, why).
DISAGREEMENTS: dict[tuple[str, str], tuple[str, str]] = {}


def combine(results: list[CheckResult]) -> str:
    """Per requirement: any fail -> fail; else error -> error; else any pass -> pass; else n/a"""
    statuses = {r.status for r in results}
    for status in (Status.failed, Status.error, Status.passed):
        if status in statuses:
            return status.value
    return Status.not_applicable.value


def _profile(app: Path):
    try:  # the app detection stage, when present, follows route mounts more thoroughly
        from harness.app import detect_app
    except ImportError:
        return None
    return detect_app(app)


@pytest.fixture(scope="module", params=APPS, ids=[a.name for a in APPS])
def scanned(request) -> tuple[str, dict, StaticRun]:
    app: Path = request.param
    expected = yaml.safe_load((app / "expected.yaml").read_text(encoding="utf-8")) or {}
    return app.name, expected.get("static") or {}, run_static(app, _profile(app))


@pytest.mark.slow
def test_static_expectations(scanned) -> None:
    name, expected, run = scanned
    assert expected, f"{name}: expected.yaml has no static: section"
    assert run.tools.get("semgrep", "").count(".") == 2, run.tools
    by_requirement: dict[str, list[CheckResult]] = {}
    for r in run.results:
        by_requirement.setdefault(r.requirement, []).append(r)
    wrong = []
    for requirement, verdict in expected.items():
        results = by_requirement.get(requirement)
        assert results, f"{name}: no static check covers {requirement}"
        want = DISAGREEMENTS.get((name, requirement), (verdict, ""))[0]
        got = combine(results)
        if got != want:
            detail = "; ".join(f"{r.check}={r.status.value}: {r.message[:160]}" for r in results)
            wrong.append(f"{requirement}: expected {want}, got {got} ({detail})")
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


@pytest.mark.slow
def test_every_fail_has_located_evidence(scanned) -> None:
    name, _, run = scanned
    for r in run.results:
        if r.status in (Status.passed, Status.failed):
            assert r.evidence, f"{name}: {r.check} is {r.status.value} without evidence"
        assert r.message.strip(), f"{name}: {r.check} gives no reason"
        for e in r.evidence:
            if e.finding is not None:
                assert e.finding.file and e.finding.line >= 1 and e.finding.snippet, (
                    name,
                    r.check,
                    e.finding,
                )
    fingerprints = [f.fingerprint for f in run.findings]
    assert len(fingerprints) == len(set(fingerprints)), f"{name}: duplicate finding fingerprints"
