"""What the realtime probes' steps share: an outcome per step with its evidence, the verdict
over all steps (fail beats error beats pass), how a server is named, a connection as evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from harness.app._model import RealtimeEndpoint
from harness.probes._context import ProbeContext
from harness.probes._sockets import Talk, evidence_data
from harness.scorecard import CheckResult, Evidence

WAIT = 1.5  # seconds to listen after each step
MAX_ENDPOINTS = 3


Mark = Literal["fail", "pass", "error", "blind"]


@dataclass
class Outcome:
    """What one step of a probe showed, and the evidence."""

    mark: Mark
    message: str
    evidence: list[Evidence] = field(default_factory=list)


def verdict(ctx: ProbeContext, outcomes: list[Outcome], what: str) -> CheckResult:
    """fail beats error beats pass; nothing decided is not_checkable."""
    for mark, make in (("fail", ctx.failed), ("error", ctx.errored), ("pass", ctx.passed)):
        hits = [o.message for o in outcomes if o.mark == mark]
        # the deciding outcomes' evidence first: reports name the first piece as the place
        evidence = [e for o in outcomes if o.mark == mark for e in o.evidence]
        evidence += [e for o in outcomes if o.mark != mark for e in o.evidence]
        if hits:
            others = [o.message for o in outcomes if o.mark not in (mark, "pass", "fail")]
            tail = f" (also: {'; '.join(others)})" if others and mark == "pass" else ""
            return make("; ".join(hits) + tail, *evidence)
    return ctx.not_checkable(
        f"{what}: " + ("; ".join(o.message for o in outcomes) or "nothing was exercised"),
        *[e for o in outcomes for e in o.evidence],
    )


def summarise(out: list[Outcome], where: str, bad: list[str], good: list[str]) -> list[Outcome]:
    """One decided outcome for the endpoint, carrying every step's evidence (failing steps
    first)."""
    evidence = [e for o in out if o.mark == "fail" for e in o.evidence]
    evidence += [e for o in out if o.mark != "fail" for e in o.evidence]
    if bad:
        return [Outcome("fail", f"{where} accepted a connection with {', '.join(bad)}", evidence)]
    if good:
        return [
            Outcome(
                "pass",
                f"{where} refused {', '.join(good)} while user A's token was accepted",
                evidence,
            )
        ]
    return [Outcome("blind", f"{where}: no attempt got a clear answer", evidence)]


def server_name(ep: RealtimeEndpoint) -> str:
    ns = (
        f" namespace {ep.namespaces[0]}"
        if ep.protocol == "socketio" and not ep.root_namespace and ep.namespaces
        else ""
    )
    return f"{ep.library} {ep.protocol} {ep.path}{ns} ({ep.file}:{ep.line})"


def talk_evidence(ctx: ProbeContext, talk: Talk, message: str) -> Evidence:
    return ctx.evidence(talk.exchange(), message, **evidence_data(talk))
