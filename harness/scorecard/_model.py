"""The typed records every stage passes on: findings, HTTP exchanges, evidence, check results,
verdicts and the scorecard itself. The scorecard JSON is a dump of :class:`Scorecard`; every
report format is a projection of it."""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1


class Severity(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"

    @property
    def weight(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.weight >= other.weight


class Verdict(StrEnum):
    """Verdict of a checklist item or a requirement."""

    passed = "pass"
    failed = "fail"
    partial = "partial"
    not_applicable = "not_applicable"
    not_checkable = "not_checkable"
    error = "error"


class Status(StrEnum):
    """Outcome of one check run. ``not_checkable``: the check ran but found nothing it could
    exercise that it should have (the app has routes but no record collection was recognised,
    auth routes but no sign-in flow was learned, no input field whose handling is known)."""

    passed = "pass"
    failed = "fail"
    not_applicable = "not_applicable"
    not_checkable = "not_checkable"
    error = "error"


def _normalise_snippet(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def fingerprint(check: str, file: str, snippet: str, occurrence: int = 0) -> str:
    """A finding id that survives line shifts: check, file and the normalised code, not the line.

    ``occurrence`` tells identical snippets in one file apart, so that a new duplicate of a known
    finding still counts as new against a baseline.
    """
    raw = f"{check}\x00{file}\x00{_normalise_snippet(snippet)}\x00{occurrence}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


class Finding(BaseModel):
    """A located static observation, normalised across tools."""

    requirement: str
    check: str
    tool: str
    severity: Severity
    file: str
    line: int
    end_line: int | None = None
    snippet: str = ""
    message: str
    fingerprint: str = ""

    def model_post_init(self, _context: Any) -> None:
        if not self.fingerprint:
            self.fingerprint = fingerprint(self.check, self.file, self.snippet)


class Exchange(BaseModel):
    """One HTTP request and what came back, enough to reproduce it."""

    method: str
    url: str
    curl: str
    request_headers: dict[str, str] = Field(default_factory=dict)
    request_body: str | None = None
    status: int | None = None
    response_headers: dict[str, str] = Field(default_factory=dict)
    body_excerpt: str = ""
    elapsed_ms: float | None = None
    error: str | None = None
    as_user: str | None = Field(
        default=None,
        description="Which of the users the harness signed in sent it (a, b, ...), None when the "
        "request carried no user's credentials; `harness replay` signs that user in afresh.",
    )


class Evidence(BaseModel):
    """What a check saw. ``kind`` says which of the optional parts is filled."""

    kind: Literal["static", "live", "note"]
    message: str
    finding: Finding | None = None
    exchange: Exchange | None = None
    data: dict[str, Any] | None = None


class CheckResult(BaseModel):
    """The outcome of one check against one requirement."""

    check: str
    requirement: str
    kind: Literal["static", "live"]
    status: Status
    severity: Severity = Severity.medium
    message: str
    title: str = Field(
        default="",
        description="What the check verifies, from its registration; stored so that reports "
        "rendered from the scorecard alone (`harness report`) name it as `harness score` did.",
    )
    evidence: list[Evidence] = Field(default_factory=list)
    duration_ms: float | None = None


class ItemVerdict(BaseModel):
    id: str
    text: str
    section: list[str] = Field(default_factory=list)
    line: int | None = None
    polarity: Literal["do", "dont"] = "do"
    requirements: list[str] = Field(default_factory=list)
    verdict: Verdict
    reason: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class RequirementVerdict(BaseModel):
    title: str = ""
    verdict: Verdict
    score: float | None = None
    severity: Severity = Severity.medium
    reason: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    checks: list[CheckResult] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class AgentRef(BaseModel):
    name: str
    path: str | None = None
    sha256: str | None = None


class RepoRef(BaseModel):
    path: str
    profile: dict[str, Any] = Field(default_factory=dict)


class Sandbox(BaseModel):
    """What contained the app and the harness's other runs of its code, as applied."""

    network: str
    """The app's network: a private namespace with only loopback, or the host's."""
    processes: str
    """Process isolation: a private PID namespace, or the app's own session on the host."""
    filesystem: str
    """What the app could see and write of the machine's files."""
    user: str
    """The uid the app ran as, its capabilities and whether it could gain privileges."""
    limits: dict[str, str] = Field(default_factory=dict)
    """Each resource bound with its value and what enforced it (cgroup, rlimit, tmpfs size)."""
    installs: str = ""
    """How dependency installs (which run packages' install scripts) were confined."""
    events: dict[str, int] = Field(default_factory=dict)
    """Bounds the app hit: ``oom_kill`` (memory) and ``fork_refused`` (processes) counts."""
    missing: list[str] = Field(default_factory=list)
    """Parts of the sandbox this machine did not allow, with the reason; empty when complete."""


class RunInfo(BaseModel):
    started_at: str
    duration_s: float
    timings: dict[str, float] = Field(default_factory=dict)
    tools: dict[str, str] = Field(default_factory=dict)
    mode: Literal["static", "static+live", "live"] = "static"
    runner: str | None = None
    isolation: str | None = None
    sandbox: Sandbox | None = None
    api_model_source: str | None = None
    inferred_dependencies: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class GateRecord(BaseModel):
    """The gate's decision as `harness score` took it, stored so that a report rendered later
    from the scorecard alone shows the same decision."""

    passed: bool
    reasons: list[str] = Field(
        default_factory=list, description="Why it failed; empty when passed."
    )
    warnings: list[str] = Field(default_factory=list)
    baselined: list[str] = Field(
        default_factory=list, description="Failures let through by the baseline."
    )
    score: float | None = None
    min_score: float | None = None
    fail_on: Severity = Severity.high


class Scorecard(BaseModel):
    schema_version: int = SCHEMA_VERSION
    agent: AgentRef | None
    repo: RepoRef
    task: str | None = None
    items: list[ItemVerdict]
    requirements: dict[str, RequirementVerdict]
    score: float | None
    coverage: float
    counts: dict[str, int] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    run: RunInfo
    gate: GateRecord | None = Field(
        default=None, description="The gate's decision when `harness score` gated the run."
    )
    redactions: dict[str, int] = Field(
        default_factory=dict,
        description="How many host secrets each redaction rule replaced in this scorecard "
        '(rule id -> count), e.g. {"pem-private-key": 1}. Empty when nothing was redacted; '
        "absent in scorecards written before redaction existed.",
    )
    """Redactions made after judging (see harness.scorecard.redact_scorecard): the evidence
    holds ``[redacted: <rule id>]`` where the app served or logged something that looked like a
    host secret or a private key."""
