"""The scorecard: typed records of what every check saw, and the judging rules over them."""

from harness.scorecard._judge import (
    combine_item,
    coverage,
    judge_requirement,
    overall_score,
    verdict_counts,
)
from harness.scorecard._model import (
    SCHEMA_VERSION,
    AgentRef,
    CheckResult,
    Evidence,
    Exchange,
    Finding,
    ItemVerdict,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Scorecard,
    Severity,
    Status,
    Verdict,
    fingerprint,
)

__all__ = [
    "SCHEMA_VERSION",
    "AgentRef",
    "CheckResult",
    "Evidence",
    "Exchange",
    "Finding",
    "ItemVerdict",
    "RepoRef",
    "RequirementVerdict",
    "RunInfo",
    "Scorecard",
    "Severity",
    "Status",
    "Verdict",
    "combine_item",
    "coverage",
    "fingerprint",
    "judge_requirement",
    "overall_score",
    "verdict_counts",
]
