"""From many scorecards to per-(agent, task) figures: pass rates with intervals, pass@k, scores.

Verdicts become binary outcomes here, once, for summaries and diffs alike: ``pass`` passes;
``fail`` and ``partial`` fail (a promise kept only in part was not kept); ``error`` is neither (the
harness could not tell, so it is counted and reported but left out of every rate);
``not_applicable`` and ``not_checkable`` are left out as well. The two are kept apart because
only the first is a decision: a diff flags a promise decided before that cannot be decided now.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from harness._errors import InputError
from harness.batch._stats import Spread, pass_at_k, wilson_interval
from harness.scorecard._model import Scorecard, Verdict

# "excluded" is not_applicable (decided: the promise does not apply); "not_checkable" is undecided
Outcome = Literal["pass", "fail", "error", "excluded", "not_checkable"]

SUMMARY_SCHEMA = "harness.batch-summary/1"


def outcome_of(verdict: Verdict | str) -> Outcome:
    verdict = Verdict(verdict)
    if verdict is Verdict.passed:
        return "pass"
    if verdict in (Verdict.failed, Verdict.partial):
        return "fail"
    if verdict is Verdict.error:
        return "error"
    if verdict is Verdict.not_checkable:
        return "not_checkable"
    return "excluded"


class SampleOutcome(BaseModel):
    """What one sample came to: its per-requirement outcomes, or why it has none."""

    agent: str
    task: str
    sample: int
    seed: int | None = None
    score: float | None = None
    outcomes: dict[str, Outcome] = Field(default_factory=dict)
    titles: dict[str, str] = Field(default_factory=dict)
    error: str | None = None  # the sample could not be generated or scored at all
    scorecard: str | None = None

    @classmethod
    def from_scorecard(
        cls,
        card: Scorecard,
        *,
        agent: str | None = None,
        task: str | None = None,
        sample: int = 0,
        seed: int | None = None,
        path: Path | None = None,
    ) -> SampleOutcome:
        return cls(
            agent=agent or (card.agent.name if card.agent else "-"),
            task=task or card.task or "-",
            sample=sample,
            seed=seed,
            score=card.score,
            outcomes={req: outcome_of(v.verdict) for req, v in card.requirements.items()},
            titles={req: v.title for req, v in card.requirements.items() if v.title},
            scorecard=str(path) if path else None,
        )

    @property
    def all_pass(self) -> bool | None:
        """Whether the sample kept every promise it was judged on; None when it cannot be told."""
        values = set(self.outcomes.values())
        if "fail" in values:
            return False
        if self.error or "error" in values or "pass" not in values:
            return None
        return True


class RequirementStats(BaseModel):
    title: str = ""
    passed: int = 0
    failed: int = 0
    errors: int = 0
    excluded: int = 0
    n: int = 0  # passed + failed: the samples that count
    rate: float | None = None
    ci: tuple[float, float] = (0.0, 1.0)  # Wilson 95 %
    pass_at_k: dict[int, float] = Field(default_factory=dict)
    outcomes: dict[int, Outcome] = Field(default_factory=dict)  # sample index -> outcome


class SampleInfo(BaseModel):
    seed: int | None = None
    score: float | None = None
    error: str | None = None
    scorecard: str | None = None


class GroupSummary(BaseModel):
    agent: str
    task: str
    samples: int
    sample_errors: int = 0
    error_verdicts: int = 0
    sample_info: dict[int, SampleInfo] = Field(default_factory=dict)
    score: Spread
    all_pass: RequirementStats
    requirements: dict[str, RequirementStats]


class BatchSummary(BaseModel):
    schema_: str = Field(default=SUMMARY_SCHEMA, alias="schema")
    spec: dict[str, object] = Field(default_factory=dict)
    groups: list[GroupSummary]

    model_config = {"populate_by_name": True}

    def group(self, agent: str, task: str | None = None) -> GroupSummary:
        for g in self.groups:
            if g.agent == agent and (task is None or g.task == task):
                return g
        raise KeyError((agent, task))


def requirement_stats(outcomes: dict[int, Outcome], title: str = "") -> RequirementStats:
    passed = sum(1 for o in outcomes.values() if o == "pass")
    failed = sum(1 for o in outcomes.values() if o == "fail")
    n = passed + failed
    return RequirementStats(
        title=title,
        passed=passed,
        failed=failed,
        errors=sum(1 for o in outcomes.values() if o == "error"),
        excluded=sum(1 for o in outcomes.values() if o in ("excluded", "not_checkable")),
        n=n,
        rate=passed / n if n else None,
        ci=wilson_interval(passed, n),
        pass_at_k={k: pass_at_k(n, passed, k) for k in range(1, n + 1)},
        outcomes=dict(sorted(outcomes.items())),
    )


def summarise_group(samples: list[SampleOutcome]) -> GroupSummary:
    first = samples[0]
    by_req: dict[str, dict[int, Outcome]] = defaultdict(dict)
    titles: dict[str, str] = {}
    all_pass: dict[int, Outcome] = {}
    for s in samples:
        titles.update(s.titles)
        for req, outcome in s.outcomes.items():
            by_req[req][s.sample] = outcome
        verdict = s.all_pass
        all_pass[s.sample] = "error" if verdict is None else ("pass" if verdict else "fail")
    return GroupSummary(
        agent=first.agent,
        task=first.task,
        samples=len(samples),
        sample_errors=sum(1 for s in samples if s.error),
        error_verdicts=sum(list(s.outcomes.values()).count("error") for s in samples),
        sample_info={
            s.sample: SampleInfo(seed=s.seed, score=s.score, error=s.error, scorecard=s.scorecard)
            for s in sorted(samples, key=lambda s: s.sample)
        },
        score=Spread.of([s.score for s in samples if s.score is not None]),
        all_pass=requirement_stats(all_pass, "every judged promise kept"),
        requirements={
            req: requirement_stats(by_req[req], titles.get(req, "")) for req in sorted(by_req)
        },
    )


def summarise(
    samples: Iterable[SampleOutcome], spec: dict[str, object] | None = None
) -> BatchSummary:
    groups: dict[tuple[str, str], list[SampleOutcome]] = defaultdict(list)
    for s in samples:
        groups[(s.agent, s.task)].append(s)
    return BatchSummary(
        spec=spec or {},
        groups=[summarise_group(groups[key]) for key in sorted(groups)],
    )


def samples_of(group: GroupSummary) -> list[SampleOutcome]:
    """The per-sample outcomes a summary was made from (a summary keeps them all)."""
    titles = {req: st.title for req, st in group.requirements.items() if st.title}
    samples = []
    for index, info in sorted(group.sample_info.items()):
        samples.append(
            SampleOutcome(
                agent=group.agent,
                task=group.task,
                sample=index,
                titles=titles,
                outcomes={
                    req: st.outcomes[index]
                    for req, st in group.requirements.items()
                    if index in st.outcomes
                },
                **info.model_dump(),  # seed, score, error, scorecard
            )
        )
    return samples


def load_summary(path: Path) -> BatchSummary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read batch summary {path}: {exc}") from exc
    if data.get("schema") != SUMMARY_SCHEMA:
        raise InputError(f"{path} is not a batch summary (schema {SUMMARY_SCHEMA!r} expected)")
    return BatchSummary.model_validate(data)
