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


P, F, E, NA, NC, PART = "pass", "fail", "error", "not_applicable", "not_checkable", "partial"


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
    cand = write_side(tmp_path / "c", "a2", cards({"x": [P] * 9 + [E]}), first_seed=50)
    report = diff(base, cand)
    x = report.rows[0]
    assert (x.candidate.passed, x.candidate.failed, x.candidate.errors) == (9, 0, 1)
    assert x.candidate.rate == 1.0 and x.status == "unchanged" and not x.significant
    assert x.breakage is not None and not x.breakage.significant  # one error in ten: noise
    assert report.candidate.error_verdicts == 1
    assert "1 error" in diff_markdown(report)
    assert not report.has_regression


def test_errors_that_replace_decisions_are_breakage(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 10}), first_seed=0)
    # half the samples cannot be decided: the pass rate of the rest is unchanged, 100%
    cand = write_side(tmp_path / "c", "a2", cards({"x": [P] * 5 + [E] * 5}), first_seed=50)
    report = diff(base, cand)
    x = report.rows[0]
    assert x.candidate.rate == 1.0 and not x.significant  # the pass-rate test sees nothing
    assert x.breakage is not None and x.breakage.test == "fisher"
    assert x.breakage.p_value == pytest.approx(stats.fisher_exact([[10, 0], [5, 5]]).pvalue)
    assert x.status == "broken" and report.has_regression
    assert report.broken == [x] and report.regressions == []
    # every sample in error: no pass rate to compare, and the gate still sees it
    cand2 = write_side(tmp_path / "d", "a3", cards({"x": [E] * 10}), first_seed=50)
    row = diff(base, cand2).rows[0]
    assert row.candidate.n == 0 and row.status == "broken" and not row.significant


def test_breakage_pairs_samples_by_seed(tmp_path: Path) -> None:
    # not applicable is a decision too; not checkable is not
    before = {"x": [P] * 6 + [NA] * 2 + [F, F], "y": [NC] * 10}
    after = {"x": [E] * 6 + [NC] * 2 + [F, F], "y": [E] * 10}
    report = diff(write_side(tmp_path / "b", "before", cards(before)),
                  write_side(tmp_path / "c", "after", cards(after)))  # fmt: skip
    assert report.paired
    x = next(r for r in report.rows if r.requirement == "x")
    assert x.breakage is not None and x.breakage.test == "mcnemar"
    assert (x.breakage.lost, x.breakage.regained) == (8, 0)
    assert x.breakage.p_value == pytest.approx(2 * 0.5**8)
    assert x.status == "broken"
    y = next(r for r in report.rows if r.requirement == "y")
    assert y.breakage is None and y.status == "no-data"  # never decided: nothing was lost
    assert [r.requirement for r in report.broken] == ["x"]
    # decided again where it was not: no breakage
    back = diff(tmp_path / "c" / "after", tmp_path / "b" / "before")
    assert not back.broken
    bx = next(r for r in back.rows if r.requirement == "x")
    assert bx.breakage is not None and bx.breakage.direction == 1


def test_samples_without_a_scorecard_leave_every_promise_undecided(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 8, "y": [F] * 8}))
    cand = tmp_path / "c" / "a1" / "todo-api"
    for i in range(8):  # the app no longer builds: no sample could be scored
        (cand / str(i)).mkdir(parents=True)
        (cand / str(i) / "error.json").write_text(
            json.dumps({"stage": "score", "error": "the app did not start"})
        )
        (cand / str(i) / "inputs.json").write_text(json.dumps({"seed": i}))
    report = diff(base, tmp_path / "c" / "a1")
    by = {r.requirement: r for r in report.rows}
    assert set(by) == {"x", "y"}
    for row in by.values():  # not "dropped": nothing shows the promise was given up
        assert row.status == "broken" and row.candidate.unscored == 8
        assert row.breakage is not None and row.breakage.lost == 8
    assert "8 without scorecard" in diff_markdown(report)


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
    before = {"x": P, "y": F, "z": P, "w": P, "v": NA, "u": PART, "t": NC, "s": E}
    after = {"x": F, "y": P, "z": P, "w": E, "v": E, "u": NC, "t": E, "s": P}
    (tmp_path / "a.json").write_text(card(before).model_dump_json())
    (tmp_path / "b.json").write_text(card(after).model_dump_json())
    report = diff(tmp_path / "a.json", tmp_path / "b.json")
    assert report.mode == "single"
    by = {r.requirement: r for r in report.rows}
    assert by["x"].status == "regression" and by["x"].flip == "pass -> fail"
    assert by["y"].status == "improvement"
    assert by["z"].status == "unchanged"
    # decided before (pass, not applicable, partial), undecided now: broken
    assert by["w"].status == "broken" and by["w"].flip == "pass -> error"
    assert by["v"].status == "broken" and by["v"].flip == "not_applicable -> error"
    assert by["u"].status == "broken" and by["u"].flip == "fail -> not_checkable"
    # never decided, or decided only now: not broken
    assert by["t"].status == "no-data" and by["s"].status == "no-data"
    assert [r.requirement for r in report.rows][:4] == ["u", "v", "w", "x"]  # broken first
    assert sorted(r.requirement for r in report.broken) == ["u", "v", "w"]
    assert [r.requirement for r in report.regressions] == ["x"]
    assert report.has_regression
    # broken alone fails the gate
    (tmp_path / "c.json").write_text(card({**before, "x": P, "y": F}).model_dump_json())
    (tmp_path / "d.json").write_text(card({**after, "x": P, "y": F}).model_dump_json())
    only_broken = diff(tmp_path / "c.json", tmp_path / "d.json")
    assert only_broken.regressions == [] and only_broken.has_regression
    md, html = diff_markdown(only_broken), diff_html(only_broken)
    assert "3 broken (decided before, cannot be decided now)" in md
    assert "| broken | todo-api | w | pass -> error |" in md
    assert '<tr class="broken"><td>broken</td>' in html
    data = json.loads(render_diff(only_broken, "json"))
    assert data["broken"] == ["todo-api:u", "todo-api:v", "todo-api:w"]
    assert data["regressions"] == [] and data["has_regression"] is True


def test_dropped_promises_are_reported(tmp_path: Path) -> None:
    base = write_side(tmp_path / "b", "a1", cards({"x": [P] * 5, "y": [P] * 5}))
    cand = write_side(tmp_path / "c", "a2", cards({"y": [P] * 5}))
    report = diff(base, cand)
    x = next(r for r in report.rows if r.requirement == "x")
    assert x.status == "dropped" and not x.significant
    assert any("--contract" in n for n in report.notes)


def test_summary_file_and_directory_give_the_same_diff(tmp_path: Path) -> None:
    before = cards({"x": [P] * 9 + [F], "y": [P, F] * 5, "z": [NA] * 10}, score=0.8)
    after = cards({"x": [F] * 8 + [P, P], "y": [P, F] * 5, "z": [NC] * 10}, score=0.6)
    base = write_side(tmp_path / "b", "before", before)
    cand = write_side(tmp_path / "c", "after", after)
    from_dirs = diff(base, cand)
    for side, d in (("b", base), ("c", cand)):
        summary = summarise(load_side(d))
        (tmp_path / f"{side}.json").write_text(summary.model_dump_json(by_alias=True))
    from_files = diff(tmp_path / "b.json", tmp_path / "c.json")
    strip = ("base", "candidate")
    assert from_files.model_dump(exclude=set(strip)) == from_dirs.model_dump(exclude=set(strip))
    assert [r.requirement for r in from_files.broken] == ["z"]  # a summary keeps n/a apart
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
