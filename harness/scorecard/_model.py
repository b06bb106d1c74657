"""The typed records every stage passes on: findings, HTTP exchanges, evidence, check results,
verdicts and the scorecard itself. The scorecard JSON is a dump of :class:`Scorecard`; every
report format is a projection of it."""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class Record(BaseModel):
    """Base of the scorecard's records: each field's docstring is its description in the JSON
    schema (schemas/scorecard-v1.schema.json)."""

    model_config = ConfigDict(use_attribute_docstrings=True)


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


# Display order of verdicts, for every report and the terminal: what needs attention first.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.failed,
    Verdict.partial,
    Verdict.error,
    Verdict.passed,
    Verdict.not_applicable,
    Verdict.not_checkable,
)


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


class Finding(Record):
    """A located static observation, normalised across tools."""

    requirement: str
    """The requirement id the finding counts against."""
    check: str
    """The id of the check that reported it."""
    tool: str
    """Who found it: semgrep, bandit or harness (the own checks)."""
    severity: Severity
    """The check's severity (the requirement's unless checks/static.yaml says otherwise)."""
    file: str
    """Path relative to the scored folder."""
    line: int
    """First line (1-based)."""
    end_line: int | None = None
    """Last line, when the finding spans several."""
    snippet: str = ""
    """The code at the location, trimmed."""
    message: str
    """What is wrong there and what to do instead."""
    fingerprint: str = ""
    """A stable id (check, file, normalised snippet, occurrence) that survives line shifts;
    baselines match on it."""

    def model_post_init(self, _context: Any) -> None:
        if not self.fingerprint:
            self.fingerprint = fingerprint(self.check, self.file, self.snippet)


class Exchange(Record):
    """One HTTP request and what came back, enough to reproduce it."""

    method: str
    """HTTP method."""
    url: str
    """The URL as sent, on the run's own base URL."""
    curl: str
    """The request exactly as sent (through the run's unix socket, with the run's tokens). Reports
    show a replayable form instead (`harness.replay.portable_curl`)."""
    request_headers: dict[str, str] = Field(default_factory=dict)
    """Headers sent."""
    request_body: str | None = None
    """The body sent, as text; cut after an excerpt's length with a `... [N bytes]` marker."""
    status: int | None = None
    """The response status; None when nothing came back."""
    response_headers: dict[str, str] = Field(default_factory=dict)
    """Headers received."""
    body_excerpt: str = ""
    """The start of the response body."""
    elapsed_ms: float | None = None
    """Time to the complete response."""
    error: str | None = None
    """Why no response came back (refused, timed out, reset)."""
    as_user: str | None = Field(
        default=None,
        description="Which of the users the harness signed in sent it (a, b, ...), None when the "
        "request carried no user's credentials; `harness replay` signs that user in afresh.",
    )


class Evidence(Record):
    """What a check saw. ``kind`` says which of the optional parts is filled."""

    kind: Literal["static", "live", "note"]
    """static (a finding), live (an exchange) or note (a message with data)."""
    message: str
    """What this piece of evidence shows."""
    finding: Finding | None = None
    """The located finding, for static evidence."""
    exchange: Exchange | None = None
    """The HTTP exchange, for live evidence."""
    data: dict[str, Any] | None = None
    """Structured detail of a note (e.g. the routes tried, the inputs not counted)."""


class CheckResult(Record):
    """The outcome of one check against one requirement."""

    check: str
    """The check's id (`harness checks` lists them)."""
    requirement: str
    """The requirement id it verifies."""
    kind: Literal["static", "live"]
    """static (source analysis) or live (a probe of the running app)."""
    status: Status
    """pass, fail, not_applicable, not_checkable or error."""
    severity: Severity = Severity.medium
    """The check's severity; a failed high-severity check makes its requirement fail outright."""
    message: str
    """One line on the outcome."""
    title: str = Field(
        default="",
        description="What the check verifies, from its registration; stored so that reports "
        "rendered from the scorecard alone (`harness report`) name it as `harness score` did.",
    )
    evidence: list[Evidence] = Field(default_factory=list)
    """What the check saw: findings, exchanges, notes."""
    duration_ms: float | None = None
    """How long the check ran."""


class ItemVerdict(Record):
    id: str
    """The checklist item's id (i1, i2, ... in file order)."""
    text: str
    """The promise as the agent file words it."""
    section: list[str] = Field(default_factory=list)
    """The headings it sits under."""
    line: int | None = None
    """Its line in the agent file."""
    polarity: Literal["do", "dont"] = "do"
    """do (a promise to do) or dont (a promise not to do)."""
    requirements: list[str] = Field(default_factory=list)
    """The requirement ids it maps to."""
    verdict: Verdict
    """The item's verdict, from its requirements' (docs/architecture.md, Judging)."""
    reason: str | None = None
    """Each requirement's verdict, or why the item maps to none."""
    evidence: list[Evidence] = Field(default_factory=list)
    """The first pieces of its requirements' evidence."""


class RequirementVerdict(Record):
    title: str = ""
    """What the requirement asks, from checks/requirements.yaml."""
    verdict: Verdict
    """pass, fail, partial, not_applicable, not_checkable or error."""
    score: float | None = None
    """Severity-weighted share of passing checks among those that passed or failed."""
    severity: Severity = Severity.medium
    """The requirement's severity (checks/severity.yaml)."""
    reason: str | None = None
    """Why: the failing or erroring checks, or why nothing could be checked."""
    params: dict[str, Any] = Field(default_factory=dict)
    """The agent's own specifics for it (a depth limit, token lifetime, envelope schema)."""
    checks: list[CheckResult] = Field(default_factory=list)
    """Every check result that judged it."""
    evidence: list[Evidence] = Field(default_factory=list)
    """The most telling evidence of those checks."""


class AgentRef(Record):
    name: str
    """The agent's name (frontmatter name, else the file name)."""
    path: str | None = None
    """The agent file scored against."""
    sha256: str | None = None
    """Its content hash: the same bytes give the same checklist."""


class RepoRef(Record):
    path: str
    """The scored folder (the backend's folder in a monorepo)."""
    profile: dict[str, Any] = Field(default_factory=dict)
    """What detection found: language, framework, entry point, routes, services, notes."""


class Sandbox(Record):
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


class RunInfo(Record):
    started_at: str
    """When the run started (UTC, ISO 8601)."""
    duration_s: float
    """Wall time of the whole run."""
    timings: dict[str, float] = Field(default_factory=dict)
    """Seconds per stage (detect, extract, static, start, api_model, probes.*, judge)."""
    tools: dict[str, str] = Field(default_factory=dict)
    """Analyzer versions (bandit, semgrep)."""
    mode: Literal["static", "static+live", "live"] = "static"
    """static, static+live or live."""
    runner: str | None = None
    """local or docker, for a live run."""
    isolation: str | None = None
    """How the app was isolated (sandbox, netns, host-network, docker)."""
    sandbox: Sandbox | None = None
    """The sandbox as applied."""
    api_model_source: str | None = None
    """Where the API model came from (task contract, the app's OpenAPI, source routes)."""
    inferred_dependencies: list[str] = Field(default_factory=list)
    """Packages installed because the code imports them and no manifest names them."""
    notes: list[str] = Field(default_factory=list)
    """What a reader should know about the run (build steps, discovery, skipped files)."""


class GateRecord(Record):
    """The gate's decision as `harness score` took it, stored so that a report rendered later
    from the scorecard alone shows the same decision."""

    passed: bool
    """Whether the gate passed."""
    reasons: list[str] = Field(
        default_factory=list, description="Why it failed; empty when passed."
    )
    warnings: list[str] = Field(default_factory=list)
    """Problems under a warn action."""
    baselined: list[str] = Field(
        default_factory=list, description="Failures let through by the baseline."
    )
    score: float | None = None
    """The overall score the floor was held against."""
    min_score: float | None = None
    """The floor, when one was set."""
    fail_on: Severity = Severity.high
    """The lowest severity whose failure fails the gate."""


class Scorecard(Record):
    schema_version: int = SCHEMA_VERSION
    """The version of this schema (schemas/scorecard-v1.schema.json)."""
    agent: AgentRef | None
    """The agent file scored against; None when scored against the whole catalogue."""
    repo: RepoRef
    """The scored folder and what was detected there."""
    task: str | None = None
    """The task folder whose contract informed the API model."""
    items: list[ItemVerdict]
    """A verdict per checklist item, in file order."""
    requirements: dict[str, RequirementVerdict]
    """A verdict per promised requirement id."""
    score: float | None
    """Severity-weighted mean of the decided requirements' scores; None when none was decided."""
    coverage: float
    """Share of checklist items with a decided verdict (pass, partial or fail)."""
    counts: dict[str, int] = Field(default_factory=dict)
    """Items per verdict."""
    findings: list[Finding] = Field(default_factory=list)
    """Every static finding, located."""
    run: RunInfo
    """How the run went: times, tools, runner, sandbox, notes."""
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
