"""Judging: check results -> a verdict per requirement -> a verdict per checklist item -> scores.

The rules (also in docs/architecture.md, "Judging and scoring"):

Requirement, from the results of the checks that verify it:
  - some check failed: ``fail`` when a failed check is high severity or nothing passed,
    else ``partial``;
  - else some check errored: ``error`` (a check that could not run never lets a promise pass);
  - else some check passed: ``pass``;
  - else some check could not exercise the behaviour (discovery found no sign-in flow, no record
    collection, no input it could reach): ``not_checkable`` with its reason;
  - else every check said not applicable: ``not_applicable``;
  - no result at all: ``not_checkable`` with the reason (manual requirement, no check for it in
    the catalogue, or a live-only requirement in a static run).
  Score: severity-weighted share of passing checks among those that passed or failed.

Item, from the verdicts of its requirements: all checkable ones pass -> ``pass``; all fail ->
``fail``; mixed -> ``partial``; an error with no failure -> ``error``; nothing checkable ->
``not_applicable`` if any requirement was, else ``not_checkable``. Items that map to no requirement
are ``not_checkable`` with the extraction's reason.

Overall score: sum(w_r * score_r) / sum(w_r) over requirements with a pass/partial/fail verdict,
w_r the requirement's severity weight (high 3, medium 2, low 1). Coverage: the share of items with
a decided verdict (pass, partial or fail); ``not_applicable``, ``not_checkable`` and ``error``
decide nothing about the promise and do not count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from harness.catalogue._requirements import Requirement
from harness.scorecard._model import (
    CheckResult,
    Evidence,
    ItemVerdict,
    RequirementVerdict,
    Severity,
    Status,
    Verdict,
)

if TYPE_CHECKING:
    from harness.checklist import Checklist, ChecklistItem

_DECIDED = {Verdict.passed, Verdict.failed, Verdict.partial}
_EVIDENCE_PER_REQUIREMENT = 6
_ITEM_EVIDENCE = 8
_UNDECIDED_PREFIX = {Verdict.error: "could not check: ", Verdict.not_checkable: "not checkable: "}


def judge_checklist(
    checklist: Checklist,
    results: Iterable[CheckResult],
    catalogue: dict[str, Requirement],
    missing_reason: Callable[[Requirement], str],
) -> tuple[dict[str, RequirementVerdict], list[ItemVerdict]]:
    """Verdicts per promised requirement and per checklist item, from data alone: the check
    results (fresh, or stored in a scorecard), the catalogue, and why a requirement has none."""
    by_requirement: dict[str, list[CheckResult]] = {}
    for result in results:
        by_requirement.setdefault(result.requirement, []).append(result)
    requirements: dict[str, RequirementVerdict] = {}
    for rid, use in checklist.requirements.items():
        requirement = catalogue.get(rid)
        if requirement is None:
            continue  # extraction only emits catalogue ids; a stale checklist may not
        requirements[rid] = judge_requirement(
            requirement,
            by_requirement.get(rid, []),
            params=use.params,
            missing_reason=missing_reason(requirement),
        )
    return requirements, [item_verdict(item, requirements) for item in checklist.items]


def item_verdict(item: ChecklistItem, requirements: dict[str, RequirementVerdict]) -> ItemVerdict:
    """One checklist item's verdict from the verdicts of the requirements it maps to."""
    fields = item.model_dump(include={"id", "text", "section", "line", "polarity", "requirements"})
    if not item.requirements:
        reason = item.reason or "maps to no requirement"
        return ItemVerdict(**fields, verdict="not_checkable", reason=reason)
    judged = [(r, requirements[r]) for r in item.requirements if r in requirements]
    verdict = combine_item([v.verdict for _, v in judged])
    evidence = [e for _, v in judged for e in v.evidence][:_ITEM_EVIDENCE]
    reason = " | ".join(f"{r}: {v.verdict.value}" for r, v in judged)
    return ItemVerdict(**fields, verdict=verdict, reason=reason, evidence=evidence)


def judge_requirement(
    requirement: Requirement,
    results: list[CheckResult],
    *,
    params: dict | None = None,
    missing_reason: str | None = None,
) -> RequirementVerdict:
    """The verdict of one requirement from its check results."""
    base = {
        "title": requirement.title,
        "severity": requirement.severity,
        "params": params or {},
        "checks": results,
    }
    if not results:
        reason = missing_reason or f"no check in the catalogue verifies {requirement.id}"
        return RequirementVerdict(verdict=Verdict.not_checkable, reason=reason, **base)

    by_status: dict[Status, list[CheckResult]] = {s: [] for s in Status}
    for result in results:
        by_status[result.status].append(result)
    fails, passes, errors, blind = (
        by_status[Status.failed],
        by_status[Status.passed],
        by_status[Status.error],
        by_status[Status.not_checkable],
    )

    # the first group with results decides: a failure outweighs an error, an error a pass
    if fails:
        high = any(r.severity == Severity.high for r in fails)
        verdict = Verdict.failed if high or not passes else Verdict.partial
        decisive = fails
    elif errors:
        verdict, decisive = Verdict.error, errors
    elif passes:
        verdict, decisive = Verdict.passed, passes
    elif blind:
        verdict, decisive = Verdict.not_checkable, blind
    else:
        verdict, decisive = Verdict.not_applicable, results
    return RequirementVerdict(
        verdict=verdict,
        score=_weighted_share(passes, fails) if verdict in _DECIDED else None,
        reason=_reason(verdict, decisive),
        evidence=_evidence(decisive),
        **base,
    )


def _reason(verdict: Verdict, results: list[CheckResult]) -> str:
    """Why: the deciding checks' messages; for an undecided verdict each names its check."""
    prefix = _UNDECIDED_PREFIX.get(verdict)
    if prefix is None:
        return _join(r.message for r in results)
    return prefix + _join(f"{r.check}: {r.message}" for r in results)


def _join(messages: Iterable[str]) -> str:
    """Messages of several checks, each said once (two checks often agree in the same words)."""
    return "; ".join(dict.fromkeys(m for m in messages if m))


def _weighted_share(passes: list[CheckResult], fails: list[CheckResult]) -> float | None:
    passed = sum(r.severity.weight for r in passes)
    total = passed + sum(r.severity.weight for r in fails)
    return round(passed / total, 4) if total else None


def _evidence(results: Iterable[CheckResult]) -> list[Evidence]:
    out: list[Evidence] = []
    for result in results:
        if result.evidence:
            out.extend(result.evidence[:2])
        else:
            out.append(Evidence(kind="note", message=f"{result.check}: {result.message}"))
        if len(out) >= _EVIDENCE_PER_REQUIREMENT:
            break
    return out[:_EVIDENCE_PER_REQUIREMENT]


def combine_item(verdicts: list[Verdict]) -> Verdict:
    """An item's verdict from the verdicts of the requirements it maps to."""
    decided = [v for v in verdicts if v in _DECIDED]
    if decided:
        if all(v == Verdict.passed for v in decided):
            return Verdict.error if Verdict.error in verdicts else Verdict.passed
        if all(v == Verdict.failed for v in decided):
            return Verdict.failed
        return Verdict.partial
    if Verdict.error in verdicts:
        return Verdict.error
    if Verdict.not_applicable in verdicts:
        return Verdict.not_applicable
    return Verdict.not_checkable


def overall_score(requirements: dict[str, RequirementVerdict]) -> float | None:
    weighted = [
        (r.severity.weight, r.score)
        for r in requirements.values()
        if r.verdict in _DECIDED and r.score is not None
    ]
    total = sum(w for w, _ in weighted)
    return round(sum(w * s for w, s in weighted) / total, 4) if total else None


def coverage(items: list[ItemVerdict]) -> float:
    if not items:
        return 0.0
    covered = sum(1 for i in items if i.verdict in _DECIDED)
    return round(covered / len(items), 4)


def judged_fields(
    requirements: dict[str, RequirementVerdict], items: list[ItemVerdict]
) -> dict[str, Any]:
    """A scorecard's verdicts with the score, coverage and counts that follow from them: one
    place, so that scoring and re-judging fill a scorecard alike."""
    return {
        "items": items,
        "requirements": requirements,
        "score": overall_score(requirements),
        "coverage": coverage(items),
        "counts": verdict_counts(items),
    }


def verdict_counts(items: list[ItemVerdict]) -> dict[str, int]:
    counts = Counter(i.verdict.value for i in items)
    return {v.value: counts.get(v.value, 0) for v in Verdict}
