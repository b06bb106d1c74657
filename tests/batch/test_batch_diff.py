"""Summaries and diffs over scorecards built by hand: counts, tests, flips, errors, rendering."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from scipy import stats

from harness._errors import InputError
from harness.batch import (
    compare,
    diff,
    diff_html,
    diff_markdown,
    load_side,
    render_diff,
    summarise,
    summary_markdown,
    wilson_interval,
)
from harness.batch._summary import SampleOutcome
from harness.scorecard._model import (
    AgentRef,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Scorecard,
    Verdict,
)


def card(verdicts: dict[str, str], *, score: float | None = None, task: str = "todo-api",
         agent: str = "agent", titles: dict[str, str] | None = None) -> Scorecard:  # fmt: skip
    titles = titles or {}
    return Scorecard(
        agent=AgentRef(name=agent),
        repo=RepoRef(path="/repo"),
        task=task,
        items=[],
        requirements={
            r: RequirementVerdict(title=titles.get(r, f"title of {r}"), verdict=Verdict(v))
            for r, v in verdicts.items()
        },
        score=score,
        coverage=1.0,
        run=RunInfo(started_at="2025-01-01T00:00:00", duration_s=0.0),
    )


def write_side(root: Path, agent: str, cards: list[Scorecard], *, first_seed: int = 0,
               task: str = "todo-api") -> Path:  # fmt: skip
    """Scorecards in the batch layout: <agent>/<task>/<sample>/scorecard.json + inputs.json."""
    for i, c in enumerate(cards):
        d = root / agent / task / str(i)
        d.mkdir(parents=True)
        (d / "scorecard.json").write_text(c.model_dump_json())
        (d / "inputs.json").write_text(json.dumps({"seed": first_seed + i}))
    return root / agent


def cards(pattern: dict[str, list[str]], **kw: object) -> list[Scorecard]:
    n = len(next(iter(pattern.values())))
    return [card({r: v[i] for r, v in pattern.items()}, **kw) for i in range(n)]  # type: ignore[arg-type]


P, F, E, NA, PART = "pass", "fail", "error", "not_applicable", "partial"


def test_summary_counts_rates_and_pass_at_k() -> None:
    samples = [
        SampleOutcome.from_scorecard(c, agent="a", sample=i, seed=i)
        for i, c in enumerate(
            cards(
                {
                    "auth.password-hashing": [P, P, P, P, P, P, P, F, PART, E],
                    "ratelimit": [P, P, P, P, P, P, P, P, P, NA],
                },
                score=0.5,
            )
        )
    ]
    summary = summarise(samples)
    g = summary.group("a", "todo-api")
    ph = g.requirements["auth.password-hashing"]
    assert (ph.passed, ph.failed, ph.errors, ph.n) == (7, 2, 1, 9)  # partial counts as fail
    assert ph.rate == pytest.approx(7 / 9)
    assert ph.ci == pytest.approx(wilson_interval(7, 9))
    assert ph.pass_at_k[1] == pytest.approx(7 / 9)
    assert ph.pass_at_k[2] == pytest.approx(1 - math.comb(2, 2) / math.comb(9, 2))
    assert ph.pass_at_k[3] == 1.0
    rl = g.requirements["ratelimit"]
    assert (rl.passed, rl.n, rl.excluded) == (9, 9, 1)
    assert g.error_verdicts == 1 and g.samples == 10
    # a sample keeps every promise only when none failed and none errored
    assert (g.all_pass.passed, g.all_pass.failed, g.all_pass.errors) == (7, 2, 1)
    assert g.score.mean == pytest.approx(0.5)
    md = summary_markdown(summary)
    assert "`auth.password-hashing` | 7/9 | 78% | 45–94%" in md


def test_fisher_regression_with_independent_samples(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "before", cards({"x": [P] * 9 + [F], "y": [P] * 10}),
                      first_seed=0)  # fmt: skip
    cand = write_side(tmp_path / "c", "after", cards({"x": [P] + [F] * 9, "y": [P] * 10}),
                      first_seed=1000)  # fmt: skip
    report = diff(base, cand)
    assert not report.paired  # seeds differ: the samples are independent
    x = report.rows[0]
    assert (x.requirement, x.status, x.test, x.significant) == ("x", "regression", "fisher", True)
    expected = stats.fisher_exact([[9, 1], [1, 9]]).pvalue
    assert x.p_value == pytest.approx(expected)
    assert x.delta == pytest.approx(-0.8)
    # "y" (10/10 both) cannot be significant whatever happens: left out of the Holm family
    y = next(r for r in report.rows if r.requirement == "y")
    assert y.status == "unchanged" and y.p_adjusted is None
    assert x.p_adjusted == pytest.approx(expected)  # a family of one
    assert report.has_regression


def test_paired_mcnemar_when_seeds_align(tmp_path: Path) -> None:
    before = {"x": [P] * 8 + [F, F], "y": [P, F] * 5}
    after = {"x": [F] * 10, "y": [P, F] * 5}
    base = write_side(tmp_path / "b", "before", cards(before))
    cand = write_side(tmp_path / "c", "after", cards(after))
    report = diff(base, cand)
    assert report.paired
    x = next(r for r in report.rows if r.requirement == "x")
    assert x.test == "mcnemar" and x.pairs is not None
    assert (x.pairs.base_only, x.pairs.candidate_only, x.pairs.both_fail) == (8, 0, 2)
    assert x.p_value == pytest.approx(2 * 0.5**8)
    assert x.status == "regression"
    y = next(r for r in report.rows if r.requirement == "y")
    assert y.p_value == 1.0 and y.status == "unchanged"
    # asking for the unpaired test gives Fisher on the same counts
    unpaired = diff(base, cand, paired="no")
    ux = next(r for r in unpaired.rows if r.requirement == "x")
    assert ux.test == "fisher"
    assert ux.p_value == pytest.approx(stats.fisher_exact([[8, 2], [0, 10]]).pvalue)


def test_small_changes_are_not_flagged(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 9 + [F]}), first_seed=0)
    cand = write_side(tmp_path / "c", "a2", cards({"x": [P] * 7 + [F] * 3}), first_seed=50)
    report = diff(base, cand, correction="none")
    x = report.rows[0]
    assert x.status == "changed" and not x.significant and x.p_value > 0.05
    assert not report.has_regression


def test_error_verdicts_are_neither_pass_nor_fail(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 10}), first_seed=0)
    cand = write_side(tmp_path / "c", "a2", cards({"x": [P] * 5 + [E] * 5}), first_seed=50)
    report = diff(base, cand)
    x = report.rows[0]
    assert (x.candidate.passed, x.candidate.failed, x.candidate.errors) == (5, 0, 5)
    assert x.candidate.rate == 1.0 and x.status == "unchanged"
    assert report.candidate.error_verdicts == 5
    assert "5 error" in diff_markdown(report)
    # all errors: no data, never a regression
    cand2 = write_side(tmp_path / "d", "a3", cards({"x": [E] * 10}), first_seed=50)
    row = diff(base, cand2).rows[0]
    assert row.status == "no-data" and not row.significant


def test_failed_samples_are_counted_and_left_out(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 4}), first_seed=0)
    cand = write_side(tmp_path / "c", "a2", cards({"x": [P] * 3}), first_seed=9)
    err = tmp_path / "c" / "a2" / "todo-api" / "3"
    err.mkdir()
    (err / "error.json").write_text(json.dumps({"stage": "generate", "error": "timed out"}))
    report = diff(base, cand)
    assert report.candidate.sample_errors == 1 and report.candidate.samples == 4
    assert any("could not be generated or scored" in n for n in report.notes)


def test_single_scorecards_report_flips(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(card({"x": P, "y": F, "z": P, "w": P}).model_dump_json())
    (tmp_path / "b.json").write_text(card({"x": F, "y": P, "z": P, "w": E}).model_dump_json())
    report = diff(tmp_path / "a.json", tmp_path / "b.json")
    assert report.mode == "single"
    by = {r.requirement: r for r in report.rows}
    assert by["x"].status == "regression" and by["x"].flip == "pass -> fail"
    assert by["y"].status == "improvement"
    assert by["z"].status == "unchanged"
    assert by["w"].status == "no-data"
    assert [r.requirement for r in report.rows][:2] == ["x", "y"]  # regressions first
    assert report.has_regression


def test_dropped_promises_are_reported(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 5, "y": [P] * 5}))
    cand = write_side(tmp_path / "c", "a2", cards({"y": [P] * 5}))
    report = diff(base, cand)
    x = next(r for r in report.rows if r.requirement == "x")
    assert x.status == "dropped" and not x.significant
    assert any("--contract" in n for n in report.notes)


def test_summary_file_and_directory_give_the_same_diff(tmp_path: Path) -> None:
    before = cards({"x": [P] * 9 + [F], "y": [P, F] * 5}, score=0.8)
    after = cards({"x": [F] * 8 + [P, P], "y": [P, F] * 5}, score=0.6)
    base = write_side(tmp_path / "b", "before", before)
    cand = write_side(tmp_path / "c", "after", after)
    from_dirs = diff(base, cand)
    for side, d in (("b", base), ("c", cand)):
        summary = summarise(load_side(d))
        (tmp_path / f"{side}.json").write_text(summary.model_dump_json(by_alias=True))
    from_files = diff(tmp_path / "b.json", tmp_path / "c.json")
    strip = ("base", "candidate")
    assert from_files.model_dump(exclude=set(strip)) == from_dirs.model_dump(exclude=set(strip))
    assert from_dirs.score_delta == pytest.approx(-0.2)


def test_several_agents_need_a_choice(tmp_path: Path) -> None:
    write_side(tmp_path / "batch", "a1", cards({"x": [P] * 2}))
    write_side(tmp_path / "batch", "a2", cards({"x": [P] * 2}))
    with pytest.raises(InputError, match="several agents"):
        load_side(tmp_path / "batch")
    assert len(load_side(tmp_path / "batch" / "a1")) == 2


def test_rendering_is_escaped_and_complete(tmp_path: Path) -> None:
    evil = {"x": "<script>alert(1)</script> | pipes"}
    base = [
        SampleOutcome.from_scorecard(c, sample=i, seed=i)
        for i, c in enumerate(cards({"x": [P] * 10, "y": [P] * 10}, titles=evil))
    ]
    cand = [
        SampleOutcome.from_scorecard(c, agent="other", sample=i, seed=i)
        for i, c in enumerate(cards({"x": [F] * 10, "y": [P] * 10}, titles=evil))
    ]
    report = compare(base, cand)
    html = diff_html(report)
    assert "<script>" not in html
    assert "<!DOCTYPE html>" in html and "regression" in html
    assert "http://" not in html and "https://" not in html  # self-contained: nothing fetched
    md = diff_markdown(report)
    lines = [ln for ln in md.splitlines() if ln.startswith("| ")]
    assert lines[1].startswith("| regression (significant) | todo-api | x |")
    data = json.loads(render_diff(report, "json"))
    assert data["regressions"] == ["todo-api:x"] and data["schema"] == "harness.diff/1"
    assert data["rows"][0]["p_value"] == pytest.approx(2 * 0.5**10)
    with pytest.raises(InputError):
        render_diff(report, "pdf")


def test_titles_with_markup_are_escaped_in_html() -> None:
    title = {"x": "<img src=x onerror=alert(1)>"}
    base = [SampleOutcome.from_scorecard(card({"x": P}, titles=title), sample=0)]
    cand = [SampleOutcome.from_scorecard(card({"x": F}, titles=title), sample=0)]
    html = diff_html(compare(base, cand))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
