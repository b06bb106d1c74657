"""Generated-style apps of tests/corpus/apps whose expected.yaml has a `static:` section: our
static verdicts per requirement, from real semgrep and bandit runs over a copy of each app (the
analyzers skip directories named tests, so the copy lives outside the checkout)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from harness.app import detect_app
from harness.scorecard._model import CheckResult, Status
from harness.static import run_static

HERE = Path(__file__).parents[1] / "corpus" / "apps"
APPS = sorted(
    p.parent
    for p in HERE.glob("*/expected.yaml")
    if (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("static")
)


def combine(results: list[CheckResult]) -> str:
    """Per requirement: any fail -> fail; else error -> error; else any pass -> pass; else n/a"""
    statuses = {r.status for r in results}
    for status in (Status.failed, Status.error, Status.passed):
        if status in statuses:
            return status.value
    return Status.not_applicable.value


@pytest.mark.slow
@pytest.mark.parametrize("app", APPS, ids=[a.name for a in APPS])
def test_corpus_static_verdicts(app: Path, tmp_path: Path) -> None:
    repo = tmp_path / app.name
    shutil.copytree(app, repo, ignore=shutil.ignore_patterns("expected.yaml"))
    expected = yaml.safe_load((app / "expected.yaml").read_text(encoding="utf-8"))["static"]
    run = run_static(repo, detect_app(repo), requirements=set(expected))
    by: dict[str, list[CheckResult]] = {}
    for r in run.results:
        by.setdefault(r.requirement, []).append(r)
    wrong = []
    for requirement, want in expected.items():
        results = by.get(requirement)
        assert results, f"{app.name}: no static check covers {requirement}"
        got = combine(results)
        if got != want:
            said = "; ".join(
                f"{r.check}={r.status.value}: {r.message[:160]} "
                + " | ".join(e.message[:120] for e in r.evidence[:3])
                for r in results
            )
            wrong.append(f"{requirement}: expected {want}, got {got} ({said})")
        for r in results:
            if r.status is Status.failed:
                # a fail points at a line of the app
                located = [e.finding for e in r.evidence if e.finding is not None]
                assert located, f"{app.name}: {r.check} fails without a located finding"
                for f in located:
                    assert (repo / f.file).is_file() and f.line >= 1, f
    assert not wrong, f"{app.name}:\n  " + "\n  ".join(wrong)
