"""Before/after comparison of scorecards: which promises flipped, which pass rates moved, and
whether a move is more than sampling noise.

Each side is a scorecard file, a batch summary, or a directory of scorecards (a batch, or one
agent's part of it). Per task and requirement, pass/fail counts are compared with a two-sided
Fisher exact test, or, when the samples pair up (same sample indices drawn with the same seeds), an
exact McNemar test on the discordant pairs. p-values are adjusted for the number of requirements
compared (Holm) unless asked otherwise. With one scorecard per side there is nothing to test: a
pass that became a fail is reported as a regression as it stands.

A promise the base decided (pass, partial, fail or not applicable) that the candidate cannot decide
(an error or not-checkable verdict, or no scorecard at all, e.g. the app no longer starts) is
*broken*: a regression of its own kind, tested the same way on the share of decided samples, since
a gate that only compares passes with fails would let an app that stopped working through.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from harness._errors import InputError
from harness.batch._stats import (
    Spread,
    fisher_exact,
    fisher_min_p,
    holm,
    mann_whitney_p,
    mcnemar_exact,
    mcnemar_min_p,
    wilson_interval,
)
from harness.batch._summary import (
    SUMMARY_SCHEMA,
    BatchSummary,
    Outcome,
    SampleOutcome,
    samples_of,
)
from harness.scorecard._model import Scorecard

Status = Literal[
    "broken", "regression", "improvement", "changed", "unchanged", "dropped", "added", "no-data"
]
Pairing = Literal["auto", "yes", "no"]
_ORDER = {
    s: i
    for i, s in enumerate(
        [
            "broken",
            "regression",
            "improvement",
            "changed",
            "dropped",
            "added",
            "no-data",
            "unchanged",
        ]
    )
}
# What a requirement came to in one sample: its outcome, or "unscored" when the sample has no
# scorecard (it could not be generated or scored), which leaves every requirement undecided.
State = Outcome | Literal["unscored"]
_DECIDED = frozenset({"pass", "fail", "excluded"})
_SHOWN = {"excluded": "not_applicable", "unscored": "no scorecard"}


class Counts(BaseModel):
    passed: int = 0
    failed: int = 0
    errors: int = 0
    excluded: int = 0  # not applicable: decided, left out of rates
    not_checkable: int = 0
    unscored: int = 0  # samples without a scorecard
    n: int = 0
    rate: float | None = None
    ci: tuple[float, float] = (0.0, 1.0)

    @classmethod
    def of(cls, states: list[State]) -> Counts:
        passed, failed = states.count("pass"), states.count("fail")
        n = passed + failed
        return cls(
            passed=passed,
            failed=failed,
            errors=states.count("error"),
            excluded=states.count("excluded"),
            not_checkable=states.count("not_checkable"),
            unscored=states.count("unscored"),
            n=n,
            rate=passed / n if n else None,
            ci=wilson_interval(passed, n),
        )

    @property
    def decided(self) -> int:
        return self.passed + self.failed + self.excluded

    @property
    def undecided(self) -> int:
        return self.errors + self.not_checkable + self.unscored


class Breakage(BaseModel):
    """Samples whose verdict the base decided and the candidate could not."""

    test: Literal["flip", "fisher", "mcnemar"]
    # paired tests and flips only (Fisher compares the sides' decided counts):
    lost: int = 0  # decided in the base sample, undecided in its candidate
    regained: int = 0  # undecided in the base sample, decided in its candidate
    p_value: float | None = None
    min_p: float | None = None
    p_adjusted: float | None = None
    direction: int = 0  # -1 fewer decided now, +1 more
    significant: bool = False


class Pairs(BaseModel):
    both_pass: int = 0
    base_only: int = 0  # passed before, fails now
    candidate_only: int = 0  # failed before, passes now
    both_fail: int = 0


class RequirementDiff(BaseModel):
    task: str
    requirement: str
    title: str = ""
    base: Counts
    candidate: Counts
    delta: float | None = None  # candidate rate - base rate
    test: Literal["fisher", "mcnemar", "flip", "none"] = "none"
    pairs: Pairs | None = None
    p_value: float | None = None
    min_p: float | None = None  # the smallest p-value these counts could have given
    p_adjusted: float | None = None  # None: the test could not reach alpha (left out of Holm)
    flip: str | None = None  # "pass -> fail" when one scorecard per side
    direction: int = 0  # -1 worse, 0 same, +1 better (by the test's own statistic)
    status: Status = "unchanged"
    significant: bool = False  # the pass-rate change
    breakage: Breakage | None = None  # set when either side left some sample undecided


class Side(BaseModel):
    label: str
    path: str
    agent: str
    tasks: list[str]
    samples: int
    sample_errors: int
    error_verdicts: int
    score: Spread


class DiffReport(BaseModel):
    schema_: str = Field(default="harness.diff/1", alias="schema")
    base: Side
    candidate: Side
    mode: Literal["single", "samples"]
    alpha: float
    correction: Literal["holm", "none"]
    paired: bool
    score_delta: float | None = None
    score_p_value: float | None = None  # Mann-Whitney U, two-sided; informational
    rows: list[RequirementDiff]
    notes: list[str] = Field(default_factory=list)

    model_config = {"populate_by_name": True}

    @property
    def regressions(self) -> list[RequirementDiff]:
        """Significantly lower pass rates (a pass -> fail flip for single scorecards)."""
        return [r for r in self.rows if r.significant and r.direction < 0]

    @property
    def improvements(self) -> list[RequirementDiff]:
        return [r for r in self.rows if r.significant and r.direction > 0]

    @property
    def broken(self) -> list[RequirementDiff]:
        """Promises decided before that significantly fewer samples can decide now."""
        return [r for r in self.rows if r.breakage is not None and r.breakage.significant]

    @property
    def has_regression(self) -> bool:
        return bool(self.regressions or self.broken)


# -- loading -------------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path} is neither a scorecard nor a batch summary")
    return data


def _from_file(path: Path) -> list[SampleOutcome]:
    data = _read_json(path)
    if data.get("schema") == SUMMARY_SCHEMA:
        summary = BatchSummary.model_validate(data)
        return [s for g in summary.groups for s in samples_of(g)]
    try:
        card = Scorecard.model_validate(data)
    except ValueError as exc:
        raise InputError(f"{path} is neither a scorecard nor a batch summary: {exc}") from exc
    return [SampleOutcome.from_scorecard(card, path=path)]


def _seed_of(sample_dir: Path) -> int | None:
    inputs = sample_dir / "inputs.json"
    if inputs.is_file():
        try:
            seed = json.loads(inputs.read_text(encoding="utf-8")).get("seed")
            return seed if isinstance(seed, int) else None
        except (OSError, json.JSONDecodeError):
            return None
    return None


def _from_dir(root: Path) -> list[SampleOutcome]:
    """Scorecards under a batch directory (agent/task/sample/), one agent's part (task/sample/),
    one task's part (sample/), or any directory of scorecard JSON files."""
    samples: list[SampleOutcome] = []
    layout_files = sorted(root.rglob("scorecard.json")) + sorted(root.rglob("error.json"))
    for file in layout_files:
        rel = file.parent.relative_to(root).parts
        if not rel or not rel[-1].isdigit() or len(rel) > 3:
            continue
        # batch layout: <agent>/<task>/<sample>; a part of it names the rest by its parents
        names = [root.resolve().parent.name, root.resolve().name, *rel]
        agent, task, index = names[-3], names[-2], int(rel[-1])
        seed = _seed_of(file.parent)
        if file.name == "error.json":
            if (file.parent / "scorecard.json").is_file():
                continue
            err = _read_json(file)
            samples.append(
                SampleOutcome(
                    agent=agent,
                    task=task,
                    sample=index,
                    seed=seed,
                    error=f"{err.get('stage', '?')}: {err.get('error', '')}",
                )
            )
            continue
        card = Scorecard.model_validate_json(file.read_text(encoding="utf-8"))
        samples.append(
            SampleOutcome.from_scorecard(
                card,
                agent=agent,
                task=task,
                sample=index,
                seed=seed,
                path=file,
            )
        )
    if samples:
        return samples
    # a plain directory of scorecards: each file is one sample, in name order
    index = 0
    for file in sorted(root.glob("*.json")):
        try:
            card = Scorecard.model_validate_json(file.read_text(encoding="utf-8"))
        except ValueError:
            continue
        samples.append(SampleOutcome.from_scorecard(card, sample=index, path=file))
        index += 1
    return samples


def load_side(path: Path) -> list[SampleOutcome]:
    """The samples of one side of a diff, all from one agent."""
    path = Path(path)
    if path.is_file():
        samples = _from_file(path)
    elif path.is_dir():
        if (path / "scorecard.json").is_file():
            samples = _from_file(path / "scorecard.json")
        else:
            samples = _from_dir(path)
    else:
        raise InputError(f"{path} does not exist; pass a scorecard, a summary or a batch directory")
    if not samples:
        raise InputError(f"no scorecards found under {path}")
    agents = sorted({s.agent for s in samples})
    if len(agents) > 1:
        raise InputError(
            f"{path} holds results of several agents ({', '.join(agents)}); "
            f"compare one agent's part, e.g. {path / agents[0]}"
        )
    return samples


# -- comparing -----------------------------------------------------------------------------------


def _side(label: str, path: Path, samples: list[SampleOutcome]) -> Side:
    return Side(
        label=label,
        path=str(path),
        agent=samples[0].agent,
        tasks=sorted({s.task for s in samples}),
        samples=len(samples),
        sample_errors=sum(1 for s in samples if s.error),
        error_verdicts=sum(list(s.outcomes.values()).count("error") for s in samples),
        score=Spread.of([s.score for s in samples if s.score is not None]),
    )


def _by_task(samples: list[SampleOutcome]) -> dict[str, dict[int, SampleOutcome]]:
    tasks: dict[str, dict[int, SampleOutcome]] = defaultdict(dict)
    for s in samples:
        tasks[s.task][s.sample] = s
    return tasks


def _pairable(base: dict[int, SampleOutcome], cand: dict[int, SampleOutcome]) -> bool:
    """Samples pair up when both sides drew the same sample indices with the same known seeds."""
    if set(base) != set(cand):
        return False
    return all(base[i].seed is not None and base[i].seed == cand[i].seed for i in base)


def _states(samples: dict[int, SampleOutcome], req: str) -> dict[int, State]:
    """Per sample, the requirement's outcome; a sample without a scorecard leaves it undecided."""
    states: dict[int, State] = {}
    for i, s in samples.items():
        if req in s.outcomes:
            states[i] = s.outcomes[req]
        elif s.error:
            states[i] = "unscored"
    return states


def _judged(samples: dict[int, SampleOutcome], states: dict[int, State]) -> bool:
    """Whether the side judged the requirement at all: some scorecard has it, or no sample has
    a scorecard to tell (then nothing shows the promise was dropped)."""
    return any(s != "unscored" for s in states.values()) or all(s.error for s in samples.values())


def _breakage(
    base: dict[int, State], cand: dict[int, State], *, paired: bool, single: bool
) -> Breakage | None:
    """The test of "decided before, undecided now"; None when every sample was decided on both
    sides or the base decided none (nothing was lost)."""
    decided_b = [i for i, s in base.items() if s in _DECIDED]
    undecided_b = len(base) - len(decided_b)
    decided_c = sum(1 for s in cand.values() if s in _DECIDED)
    undecided_c = len(cand) - decided_c
    if not decided_b or undecided_b + undecided_c == 0:
        return None
    if single:
        lost = int(undecided_c > 0)
        return Breakage(test="flip", lost=lost, direction=-lost, significant=bool(lost))
    if paired:
        both = sorted(set(base) & set(cand))
        lost = sum(1 for i in both if base[i] in _DECIDED and cand[i] not in _DECIDED)
        regained = sum(1 for i in both if base[i] not in _DECIDED and cand[i] in _DECIDED)
        return Breakage(
            test="mcnemar",
            lost=lost,
            regained=regained,
            p_value=mcnemar_exact(lost, regained),
            min_p=mcnemar_min_p(lost + regained),
            direction=(regained > lost) - (regained < lost),
        )
    share_b, share_c = len(decided_b) / len(base), decided_c / len(cand)
    _, p_value = fisher_exact(len(decided_b), undecided_b, decided_c, undecided_c)
    return Breakage(
        test="fisher",
        p_value=p_value,
        min_p=fisher_min_p(len(base), len(cand), len(decided_b) + decided_c),
        direction=(share_c > share_b) - (share_c < share_b),
    )


def compare_requirement(
    task: str,
    req: str,
    base: dict[int, SampleOutcome],
    cand: dict[int, SampleOutcome],
    *,
    paired: bool,
    single: bool,
) -> RequirementDiff:
    base_st, cand_st = _states(base, req), _states(cand, req)
    base_out = {i: s for i, s in base_st.items() if s != "unscored"}
    cand_out = {i: s for i, s in cand_st.items() if s != "unscored"}
    title = next((s.titles[req] for s in [*base.values(), *cand.values()] if req in s.titles), "")
    row = RequirementDiff(
        task=task,
        requirement=req,
        title=title,
        base=Counts.of(list(base_st.values())),
        candidate=Counts.of(list(cand_st.values())),
    )
    if not _judged(cand, cand_st):
        row.status = "dropped"
        return row
    if not _judged(base, base_st):
        row.status = "added"
        return row
    row.breakage = _breakage(base_st, cand_st, paired=paired, single=single)
    if single:
        before, after = next(iter(base_st.values())), next(iter(cand_st.values()))
        row.flip = f"{_SHOWN.get(before, before)} -> {_SHOWN.get(after, after)}"
        if row.breakage and row.breakage.significant:
            row.test = "flip"
            row.status = "broken"
            return row
    b, c = row.base, row.candidate
    if b.n == 0 or c.n == 0:
        row.status = "no-data"
        return row
    row.delta = c.rate - b.rate  # type: ignore[operator]

    if single:
        row.test = "flip"
        if before != after:
            row.direction = 1 if after == "pass" else -1
            row.status = "regression" if before == "pass" else "improvement"
            row.significant = True
        return row

    if paired:
        pairs = Pairs()
        for i in sorted(set(base_out) & set(cand_out)):
            x, y = base_out[i], cand_out[i]
            if x not in ("pass", "fail") or y not in ("pass", "fail"):
                continue
            if x == y == "pass":
                pairs.both_pass += 1
            elif x == y == "fail":
                pairs.both_fail += 1
            elif x == "pass":
                pairs.base_only += 1
            else:
                pairs.candidate_only += 1
        row.pairs = pairs
        row.test = "mcnemar"
        row.p_value = mcnemar_exact(pairs.base_only, pairs.candidate_only)
        row.min_p = mcnemar_min_p(pairs.base_only + pairs.candidate_only)
        direction = pairs.candidate_only - pairs.base_only
    else:
        row.test = "fisher"
        _, row.p_value = fisher_exact(b.passed, b.failed, c.passed, c.failed)
        row.min_p = fisher_min_p(b.n, c.n, b.passed + c.passed)
        direction = 1 if row.delta > 0 else (-1 if row.delta < 0 else 0)
    row.direction = (direction > 0) - (direction < 0)
    row.status = "unchanged" if direction == 0 else "changed"
    return row


def _judge(rows: list[RequirementDiff], alpha: float, correction: str) -> None:
    """Mark significant changes. With Holm, the family is the tests that could reach ``alpha``
    at all given their counts (Tarone): a requirement with no discordant pair, or 10/10 against
    9/10, cannot be significant and must not dilute the others."""
    tested = [r for r in rows if r.p_value is not None]
    breaks = [r.breakage for r in rows if r.breakage is not None and r.breakage.p_value is not None]
    # pass-rate tests and breakage tests are one family: every hypothesis the gate may reject
    tests: list[RequirementDiff | Breakage] = [*tested, *breaks]
    if correction == "holm":
        family = [t for t in tests if t.min_p is not None and t.min_p < alpha]
        for test, adjusted in zip(family, holm([t.p_value for t in family]), strict=True):
            test.p_adjusted = adjusted
    else:
        for test in tests:
            test.p_adjusted = test.p_value
    for row in tested:
        row.significant = (
            row.p_adjusted is not None and row.p_adjusted < alpha and row.direction != 0
        )
        if row.significant:
            row.status = "regression" if row.direction < 0 else "improvement"
    for brk in breaks:
        # only a loss is flagged: deciding more samples than before is no breakage
        brk.significant = (
            brk.p_adjusted is not None and brk.p_adjusted < alpha and brk.direction < 0
        )
    for row in rows:
        if row.breakage is not None and row.breakage.significant:
            row.status = "broken"


def diff(
    base: Path,
    candidate: Path,
    *,
    alpha: float = 0.05,
    paired: Pairing = "auto",
    correction: Literal["holm", "none"] = "holm",
) -> DiffReport:
    """Compare the candidate's results with the base's, requirement by requirement."""
    if not 0 < alpha < 1:
        raise InputError("alpha must be between 0 and 1")
    base_samples, cand_samples = load_side(base), load_side(candidate)
    return compare(
        base_samples,
        cand_samples,
        base_path=Path(base),
        candidate_path=Path(candidate),
        alpha=alpha,
        paired=paired,
        correction=correction,
    )


def compare(
    base_samples: list[SampleOutcome],
    cand_samples: list[SampleOutcome],
    *,
    base_path: Path = Path("base"),
    candidate_path: Path = Path("candidate"),
    alpha: float = 0.05,
    paired: Pairing = "auto",
    correction: Literal["holm", "none"] = "holm",
) -> DiffReport:
    notes: list[str] = []
    base_tasks, cand_tasks = _by_task(base_samples), _by_task(cand_samples)
    if set(base_tasks) != set(cand_tasks) and len(base_tasks) == len(cand_tasks) == 1:
        (bt,), (ct,) = base_tasks, cand_tasks
        notes.append(f"task {bt!r} of the base is compared with task {ct!r} of the candidate")
        label = bt if bt == ct else f"{bt} / {ct}"
        base_tasks, cand_tasks = {label: base_tasks[bt]}, {label: cand_tasks[ct]}
    common = sorted(set(base_tasks) & set(cand_tasks))
    for task in sorted(set(base_tasks) ^ set(cand_tasks)):
        side = "base" if task in base_tasks else "candidate"
        notes.append(f"task {task!r} appears only in the {side} and is not compared")
    if not common:
        raise InputError("the two sides share no task; compare results of the same task(s)")

    single = all(len(base_tasks[t]) == 1 and len(cand_tasks[t]) == 1 for t in common)
    use_pairs = False
    if not single:
        if paired == "yes":
            use_pairs = True
        elif paired == "auto":
            use_pairs = all(_pairable(base_tasks[t], cand_tasks[t]) for t in common)
    if single:
        notes.append(
            "one scorecard per side: verdict flips are reported as they are, without a test; "
            "run a batch with several samples per side to tell a change from noise"
        )

    rows: list[RequirementDiff] = []
    for task in common:
        b, c = base_tasks[task], cand_tasks[task]
        reqs = sorted({r for s in [*b.values(), *c.values()] for r in s.outcomes})
        rows += [compare_requirement(task, r, b, c, paired=use_pairs, single=single) for r in reqs]

    if not single:
        _judge(rows, alpha, correction)

    moved = [r for r in rows if r.direction != 0 and r.test in ("fisher", "mcnemar")]
    if moved and not any(r.min_p is not None and r.min_p < alpha for r in moved):
        notes.append(
            f"too few samples: none of the {len(moved)} change(s) could reach alpha = {alpha:g} "
            "whatever the outcome; run more samples per side"
        )
    dropped = [r.requirement for r in rows if r.status == "dropped"]
    if dropped:
        notes.append(
            "not judged in the candidate (its checklist no longer promises them): "
            + ", ".join(sorted(set(dropped)))
            + "; to measure the candidate's code against them, score both sides against the "
            "same contract (harness batch --contract BASE_AGENT.md)"
        )
    for side, samples in (("base", base_samples), ("candidate", cand_samples)):
        errs = sum(1 for s in samples if s.error)
        if errs:
            notes.append(
                f"{errs} {side} sample(s) could not be generated or scored: left out of rates, "
                "counted as undecided for every requirement"
            )

    score_delta, score_p = _score_shift(base_samples, cand_samples)
    return DiffReport(
        base=_side("base", base_path, base_samples),
        candidate=_side("candidate", candidate_path, cand_samples),
        mode="single" if single else "samples",
        alpha=alpha,
        correction=correction,
        paired=use_pairs,
        score_delta=score_delta,
        score_p_value=score_p,
        rows=sorted(rows, key=_row_order),
        notes=notes,
    )


def _row_order(row: RequirementDiff) -> tuple[int, float, str, str]:
    """Breakages and regressions first, the surest of each status first."""
    p_value = row.p_adjusted if row.p_adjusted is not None else 2
    return _ORDER[row.status], p_value, row.task, row.requirement


def _score_shift(
    base_samples: list[SampleOutcome], cand_samples: list[SampleOutcome]
) -> tuple[float | None, float | None]:
    """How far the mean overall score moved, and the two-sided Mann-Whitney U p-value of it."""
    base_scores = [s.score for s in base_samples if s.score is not None]
    cand_scores = [s.score for s in cand_samples if s.score is not None]
    if not (base_scores and cand_scores):
        return None, None
    delta = sum(cand_scores) / len(cand_scores) - sum(base_scores) / len(base_scores)
    if len(base_scores) < 2 or len(cand_scores) < 2:
        return delta, None
    if len(set(base_scores) | set(cand_scores)) == 1:
        return delta, 1.0  # all equal: the U test is undefined, and there is no difference
    return delta, mann_whitney_p(base_scores, cand_scores)
