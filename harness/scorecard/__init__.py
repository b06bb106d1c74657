"""The scorecard: typed records of what every check saw, the judging rules over them, and the
redaction of host secrets from a finished scorecard."""

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
    GateRecord,
    ItemVerdict,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Sandbox,
    Scorecard,
    Severity,
    Status,
    Verdict,
    fingerprint,
)
from harness.scorecard._redact import REDACTION_RULES, RedactionRule, redact_scorecard

__all__ = [
    "REDACTION_RULES",
    "SCHEMA_VERSION",
    "AgentRef",
    "CheckResult",
    "Evidence",
    "Exchange",
    "Finding",
    "GateRecord",
    "ItemVerdict",
    "RedactionRule",
    "RepoRef",
    "RequirementVerdict",
    "RunInfo",
    "Sandbox",
    "Scorecard",
    "Severity",
    "Status",
    "Verdict",
    "combine_item",
    "coverage",
    "fingerprint",
    "judge_requirement",
    "overall_score",
    "redact_scorecard",
    "verdict_counts",
]
