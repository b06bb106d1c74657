"""The CI gate: a policy of what may fail, a baseline of accepted failures, and the decision."""

from harness.gate._baseline import Baseline, BaselineEntry, load_baseline, update_baseline
from harness.gate._evaluate import GateResult, evaluate
from harness.gate._failures import (
    Failure,
    check_fingerprint,
    failures_by_requirement,
    live_fingerprint,
    route_of,
)
from harness.gate._policy import (
    Policy,
    RequirementPolicy,
    load_policy,
    parse_policy,
    parse_score,
    parse_severity,
    policy_template,
)

__all__ = [
    "Baseline",
    "BaselineEntry",
    "Failure",
    "GateResult",
    "Policy",
    "RequirementPolicy",
    "check_fingerprint",
    "evaluate",
    "failures_by_requirement",
    "live_fingerprint",
    "load_baseline",
    "load_policy",
    "parse_policy",
    "parse_score",
    "parse_severity",
    "policy_template",
    "route_of",
    "update_baseline",
]
