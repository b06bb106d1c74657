"""Acceptance: the real pipeline (harness.score) over batches of the scripted agent.

- agent-before vs agent-after (the same prompt without the password-hashing promise), both held
  to agent-before's contract, 10 samples each: auth.password-hashing is a significant regression.
- agent-before vs a byte-identical copy, samples drawn independently (other seeds): no
  significant regression anywhere.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness._paths import fixtures_dir
from harness.batch import BatchResult, diff, diff_markdown, make_spec, run_batch

SCRIPTED = fixtures_dir() / "scripted-agent"
TASK = fixtures_dir() / "tasks" / "todo-api"
COMMAND = (
    "{python} " + str(SCRIPTED / "generate.py") + " --agent {agent} --prompt {prompt} "
    "--out {out} --seed {seed}"
)
SAMPLES = 10


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    old = os.environ.get("HARNESS_CACHE_DIR")
    os.environ["HARNESS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        del os.environ["HARNESS_CACHE_DIR"]
    else:
        os.environ["HARNESS_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def static_batch(tmp_path_factory: pytest.TempPathFactory, cache_env: None) -> BatchResult:
    root = tmp_path_factory.mktemp("acceptance")
    copy = root / "agents" / "agent-before-copy.md"
    copy.parent.mkdir()
    shutil.copyfile(SCRIPTED / "agent-before.md", copy)
    spec = make_spec(
        {
            "agents": [
                {"path": str(SCRIPTED / "agent-before.md")},
                {"path": str(SCRIPTED / "agent-after.md")},
                # same prompt, independent samples: seeds 1000.. instead of 0..
                {"path": str(copy), "seed": 1000},
            ],
            "tasks": [str(TASK)],
            "samples": SAMPLES,
            "command": COMMAND,
            "live": False,
            "workers": 2,
            "contract": str(SCRIPTED / "agent-before.md"),
        }
    )
    return run_batch(spec, root / "batch", progress=False)


@pytest.mark.slow
def test_every_sample_was_scored(static_batch: BatchResult) -> None:
    assert static_batch.failed == 0, [s.error for s in static_batch.samples if s.error]
    assert len(static_batch.samples) == 3 * SAMPLES
    for sample in static_batch.samples:
        assert "auth.password-hashing" in sample.outcomes


@pytest.mark.slow
def test_dropped_promise_is_a_significant_regression(static_batch: BatchResult) -> None:
    batch = static_batch.dir
    report = diff(batch / "agent-before", batch / "agent-after")
    print("\n" + diff_markdown(report))
    row = next(r for r in report.rows if r.requirement == "auth.password-hashing")
    print(
        f"auth.password-hashing: base {row.base.passed}/{row.base.n}, candidate "
        f"{row.candidate.passed}/{row.candidate.n}, {row.test} p={row.p_value:.3g}, "
        f"adjusted p={row.p_adjusted}"
    )
    assert report.paired  # same seeds: samples pair up by index
    assert row.status == "regression" and row.significant
    assert row.p_adjusted is not None and row.p_adjusted < 0.05
    assert row.candidate.passed == 0 and row.base.passed >= 7
    assert report.has_regression
    assert [r.requirement for r in report.regressions] == ["auth.password-hashing"]

    # the unpaired test reaches the same conclusion
    fisher = diff(batch / "agent-before", batch / "agent-after", paired="no")
    frow = next(r for r in fisher.rows if r.requirement == "auth.password-hashing")
    print(f"Fisher: p={frow.p_value:.3g}, adjusted p={frow.p_adjusted:.3g}")
    assert frow.test == "fisher" and frow.status == "regression" and frow.p_adjusted < 0.05


@pytest.mark.slow
def test_identical_prompt_is_not_flagged(static_batch: BatchResult) -> None:
    batch = static_batch.dir
    report = diff(batch / "agent-before", batch / "agent-before-copy")
    print("\n" + diff_markdown(report))
    assert not report.paired  # different seeds: independent samples, Fisher
    assert not report.has_regression
    assert not report.improvements
    ph = next(r for r in report.rows if r.requirement == "auth.password-hashing")
    print(f"identical prompt, auth.password-hashing: p={ph.p_value:.3g}")
    assert ph.p_value is not None and ph.p_value > 0.05
    # not even an unadjusted test flags anything here
    raw = diff(batch / "agent-before", batch / "agent-before-copy", correction="none")
    assert not raw.has_regression and not raw.improvements
    print("smallest raw p:", min(r.p_value for r in raw.rows if r.p_value is not None))


@pytest.mark.slow
@pytest.mark.live
def test_live_batch(tmp_path: Path, cache_env: None) -> None:
    spec = make_spec(
        {
            "agents": [str(SCRIPTED / "agent-before.md")],
            "tasks": [str(TASK)],
            "samples": 2,
            "command": COMMAND,
            "live": True,
            "workers": 2,
        }
    )
    result = run_batch(spec, tmp_path / "batch", progress=False)
    assert result.failed == 0, [s.error for s in result.samples if s.error]
    from harness.scorecard._model import Scorecard

    for sample in result.samples:
        assert sample.scorecard
        card = Scorecard.model_validate_json(Path(sample.scorecard).read_text())
        assert card.run.mode == "static+live"
        live = [c for v in card.requirements.values() for c in v.checks if c.kind == "live"]
        ran = [c for c in live if c.status.value in ("pass", "fail")]
        print(f"sample {sample.sample}: {len(ran)}/{len(live)} live checks decided; notes "
              f"{card.run.notes[:3]}")  # fmt: skip
        assert ran, "no live check reached a verdict"
    group = result.summary.groups[0]
    print({r: (s.passed, s.n, s.errors) for r, s in group.requirements.items()})
