"""The gate decision over a scorecard: pass or fail, with every reason named.

Rules (docs/reports.md, "The gate"):

1. The overall score below ``min_score`` fails. A scorecard with no score (nothing decidable)
   fails too when a floor is set: there is nothing to hold the floor against.
2. Each requirement gets an action: the policy's own, else FAIL when its severity is at least
   ``fail_on`` (default high), else WARN. IGNORE skips it.
3. A requirement whose verdict is ``fail`` or ``partial`` is a problem unless the policy gives it a
   ``min_score`` that its score reaches, or every one of its failures is in the baseline. A
   problem fails the gate under FAIL and warns under WARN.
4. A requirement whose verdict is ``error`` (the harness could not check it) fails the gate,
   whatever its action, unless the policy says ``errors: warn``.
"""

from __future__ import annotations

from harness.gate._baseline import Baseline
from harness.gate._failures import FAILING, Failure, failures_by_requirement
from harness.gate._policy import Policy
from harness.scorecard._model import GateRecord, Scorecard, Severity, Verdict

_LISTED = 5  # failures named per reason; the rest are counted


class GateResult(GateRecord):
    """The gate's decision; stored in the scorecard as its :class:`GateRecord`."""

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def summary(self) -> str:
        head = "gate passed" if self.passed else f"gate FAILED ({len(self.reasons)} reasons)"
        score = "n/a" if self.score is None else f"{self.score:.2f}"
        floor = "" if self.min_score is None else f" (min {self.min_score:.2f})"
        lines = [f"{head}: score {score}{floor}, fail_on {self.fail_on.value}"]
        lines += [f"  FAIL {r}" for r in self.reasons]
        lines += [f"  WARN {w}" for w in self.warnings]
        if self.baselined:
            lines.append(f"  {len(self.baselined)} known failure(s) let through by the baseline")
        return "\n".join(lines)


def _name(failures: list[Failure]) -> str:
    named = "; ".join(f.describe() for f in failures[:_LISTED])
    more = len(failures) - _LISTED
    return named + (f"; and {more} more" if more > 0 else "")


def evaluate(
    scorecard: Scorecard,
    policy: Policy | None = None,
    min_score: float | None = None,
    fail_on: Severity | str | None = None,
    baseline: Baseline | None = None,
) -> GateResult:
    """Decide the gate. ``min_score`` and ``fail_on`` override the policy's values."""
    policy = (policy or Policy()).model_copy(deep=True)
    if min_score is not None:
        policy.min_score = min_score
    if fail_on is not None:
        policy.fail_on = Severity(fail_on)
    result = GateResult(
        passed=True, score=scorecard.score, min_score=policy.min_score, fail_on=policy.fail_on
    )

    if policy.min_score is not None:
        if scorecard.score is None:
            result.reasons.append(
                f"score: no requirement could be decided, so min_score {policy.min_score:.2f} "
                "cannot be met"
            )
        elif scorecard.score < policy.min_score:
            result.reasons.append(
                f"score: {scorecard.score:.2f} is below min_score {policy.min_score:.2f}"
            )

    failures = failures_by_requirement(scorecard)
    for rid, verdict in scorecard.requirements.items():
        action = policy.action_for(rid, verdict.severity)
        if action == "IGNORE":
            continue
        label = f"{rid} [{verdict.severity.value}, {action}]"
        if verdict.verdict == Verdict.error:
            message = f"{label} error: {verdict.reason or 'the harness could not check it'}"
            (result.reasons if policy.errors == "fail" else result.warnings).append(message)
            continue
        if verdict.verdict not in FAILING:
            continue
        floor = policy.min_score_for(rid)
        if floor is not None and verdict.score is not None and verdict.score >= floor:
            result.warnings.append(
                f"{label} {verdict.verdict.value} but score {verdict.score:.2f} reaches its "
                f"min_score {floor:.2f}"
            )
            continue
        own = failures.get(rid, [])
        new, known = baseline.new_failures(own) if baseline is not None else (own, [])
        result.baselined.extend(f"{rid}: {f.describe()}" for f in known)
        if not new:
            continue
        score = "" if verdict.score is None else f" (score {verdict.score:.2f})"
        fresh = "new " if baseline is not None else ""
        message = (
            f"{label} {verdict.verdict.value}{score}: {len(new)} {fresh}failure(s): {_name(new)}"
        )
        (result.reasons if action == "FAIL" else result.warnings).append(message)

    result.passed = not result.reasons
    return result
