"""Every static check against its snippet corpus (tests/static/cases/<check>/<case>/): a case
named bad* must fail, good* must pass, na* must be not_applicable.

semgrep and bandit run for real, once over a copy of the whole corpus (one process each, as
run_static does per repo); each case is then judged on its share of that output."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from harness.catalogue import get_check
from harness.scorecard._model import Status
from harness.static import _bandit, _semgrep, build_context, judge, load_catalogue
from harness.static._catalogue import rules_dir
from harness.static._tools import ToolRun

CASES = Path(__file__).parent / "cases"
EXPECT = {"bad": Status.failed, "good": Status.passed, "na": Status.not_applicable}
ALL = sorted((c.parent.name, c.name) for c in CASES.glob("*/*") if c.is_dir())


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, ToolRun]]:
    # a copy outside the checkout: analyzers skip directories named tests
    root = tmp_path_factory.mktemp("static-cases") / "corpus"
    shutil.copytree(CASES, root)
    python = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.py") if "/tests/" not in p.as_posix()
    )
    bandit_ids = [
        r for c in load_catalogue().checks.values() if c.tool == "bandit" for r in c.rules
    ]
    sg = _semgrep.start(root, rules_dir())
    bd = _bandit.start(root, python, bandit_ids)
    runs = {"semgrep": _semgrep.finish(sg, root, 600), "bandit": _bandit.finish(bd, root, 600)}
    for run in runs.values():
        assert run.error is None, f"{run.tool} failed on the corpus: {run.error}"
    return root, runs


def _share(run: ToolRun, prefix: str) -> ToolRun:
    findings = [
        dataclasses.replace(f, file=f.file[len(prefix) :])
        for f in run.findings
        if f.file.startswith(prefix)
    ]
    return dataclasses.replace(run, findings=findings)


def test_every_check_has_a_failing_and_a_passing_case() -> None:
    from harness.static import select_checks

    covered: dict[str, set[str]] = {}
    for check, name in ALL:
        covered.setdefault(check, set()).add(name.split("-")[0])
    missing = [s.id for s in select_checks(None) if not {"bad", "good"} <= covered.get(s.id, set())]
    assert not missing, f"checks without a bad and a good case: {missing}"


@pytest.mark.parametrize(("check", "case"), ALL, ids=[f"{c}/{n}" for c, n in ALL])
def test_case(corpus, check: str, case: str) -> None:
    root, runs = corpus
    spec = get_check(check)
    case_dir = root / check / case
    ctx = build_context(case_dir, None)
    prefix = f"{check}/{case}/"
    results, _ = judge(ctx, [spec], {name: _share(run, prefix) for name, run in runs.items()})
    (result,) = results
    want = EXPECT[case.split("-")[0]]
    seen = [e.message for e in result.evidence]
    assert result.status is want, f"{check}/{case}: {result.status.value}: {result.message} {seen}"
    if want is Status.failed:
        located = [e.finding for e in result.evidence if e.finding is not None]
        assert located or result.evidence, "a fail must carry evidence"
        for f in located:
            assert (case_dir / f.file).is_file() and f.line >= 1, f
            assert f.fingerprint and f.requirement == spec.requirement
    if want is Status.passed:
        assert result.evidence, "a pass must say what was seen"
