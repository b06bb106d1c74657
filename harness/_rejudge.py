"""Re-judging a stored scorecard: new extraction or judging rules, or another agent file, applied
to the check results the scorecard already holds, without starting or reading the app again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from harness._errors import InputError
from harness._score import require_promises, resolve_agent
from harness.agent import parse_agent
from harness.catalogue import Requirement, load_requirements
from harness.checklist import extract_checklist
from harness.scorecard import AgentRef, Scorecard, judge_checklist, judged_fields


def rejudge(scorecard: str | Path, *, agent: str | Path | None = None) -> Scorecard:
    """``scorecard`` judged again from its stored check results and findings.

    The checklist is extracted again from ``agent`` (default: the agent file the scorecard names),
    so a change to the extraction rules, the judging rules or the agent file shows up; a
    requirement promised now but not when the app was scored has no stored result and is
    ``not_checkable`` with that reason (score again to check it)."""
    from harness.report import load_scorecard

    card = load_scorecard(scorecard)
    if agent is not None:
        agent_path = resolve_agent(agent)
    elif card.agent is not None and card.agent.path:
        agent_path = Path(card.agent.path)
    else:
        raise InputError(f"{scorecard} names no agent file; pass --agent")
    if not agent_path.is_file():
        raise InputError(f"agent file {agent_path} not found; pass --agent")
    checklist = extract_checklist(parse_agent(agent_path))
    require_promises(checklist)
    stored = [result for verdict in card.requirements.values() for result in verdict.checks]
    before = card.requirements

    def missing_reason(requirement: Requirement) -> str:
        if requirement.id in before:
            return before[requirement.id].reason or "no stored check result"
        return (
            f"not promised when the app was scored ({card.run.started_at}): no stored result; "
            "score again to check it"
        )

    requirements, items = judge_checklist(checklist, stored, load_requirements(), missing_reason)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    run = card.run.model_copy(
        update={"notes": [*card.run.notes, f"re-judged {now} from the results in {scorecard}"]}
    )
    ref = checklist.agent
    return card.model_copy(
        update={
            "agent": AgentRef(name=ref.name, path=ref.path, sha256=ref.sha256 or None),
            **judged_fields(requirements, items),
            "run": run,
            "gate": None,  # decided again by `harness gate` under the policy of the day
        }
    )
