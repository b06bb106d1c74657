"""What counts as one failure in a scorecard, and the id that recognises it in a later run.

Static findings are known by :meth:`Finding.fingerprint` (check, file, normalised code: not the
line), so a finding that merely moved keeps its id. Live failures are known by requirement, check
and route (method plus path with ids replaced by ``{id}``), so a different payload or a different
row id on the same route is the same failure. A failed check that left neither a finding nor an
HTTP exchange is known by requirement and check.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from harness.scorecard._model import (
    CheckResult,
    Finding,
    Scorecard,
    Severity,
    Status,
    Verdict,
)

FailureKind = Literal["static", "live", "check", "requirement"]
FAILING = frozenset({Verdict.failed, Verdict.partial})

# Path segments that name one row rather than a route: numbers, UUIDs, long hex/base64-ish ids.
_ID_SEGMENT = re.compile(
    r"^(\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|[0-9a-fA-F]{16,}|[A-Za-z0-9_-]{20,})$"
)


@dataclass(frozen=True)
class Failure:
    """One failure a gate or a baseline can name."""

    fingerprint: str
    kind: FailureKind
    requirement: str
    check: str
    severity: Severity
    where: str = ""  # file:line for static, "GET /todos/{id}" for live
    message: str = ""
    finding: Finding | None = None

    def describe(self) -> str:
        place = f" at {self.where}" if self.where else ""
        return f"{self.check}{place}: {self.message}".rstrip(": ")


def route_of(method: str, url: str) -> str:
    """``GET /todos/{id}`` from a request: the path without query, row ids generalised."""
    path = urlsplit(url).path or "/"
    segments = ["{id}" if _ID_SEGMENT.match(s) else s for s in path.split("/")]
    return f"{method.upper()} {'/'.join(segments) or '/'}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:20]


def live_fingerprint(requirement: str, check: str, route: str) -> str:
    return _digest("live", requirement, check, route)


def check_fingerprint(requirement: str, check: str) -> str:
    return _digest("check", requirement, check)


def _static(finding: Finding) -> Failure:
    end = f"-{finding.end_line}" if finding.end_line and finding.end_line != finding.line else ""
    return Failure(
        fingerprint=finding.fingerprint,
        kind="static",
        requirement=finding.requirement,
        check=finding.check,
        severity=finding.severity,
        where=f"{finding.file}:{finding.line}{end}",
        message=finding.message,
        finding=finding,
    )


def _unique_findings(card: Scorecard) -> list[Finding]:
    """Every static finding once: the scorecard's list plus any carried only as evidence."""
    seen: set[tuple[str, str, int, str]] = set()
    out: list[Finding] = []

    def take(found: Iterable[Finding]) -> None:
        for f in found:
            key = (f.fingerprint, f.file, f.line, f.check)
            if key not in seen:
                seen.add(key)
                out.append(f)

    take(card.findings)
    for verdict in card.requirements.values():
        for result in verdict.checks:
            take(e.finding for e in result.evidence if e.finding is not None)
        take(e.finding for e in verdict.evidence if e.finding is not None)
    return sorted(out, key=lambda f: (f.requirement, f.file, f.line, f.check))


def _check_failures(result: CheckResult, has_findings: bool) -> list[Failure]:
    routes: dict[str, str] = {}
    for evidence in result.evidence:
        if evidence.exchange is not None:
            route = route_of(evidence.exchange.method, evidence.exchange.url)
            routes.setdefault(route, evidence.message or result.message)
    if routes:
        return [
            Failure(
                fingerprint=live_fingerprint(result.requirement, result.check, route),
                kind="live",
                requirement=result.requirement,
                check=result.check,
                severity=result.severity,
                where=route,
                message=message,
            )
            for route, message in routes.items()
        ]
    if has_findings:
        return []  # the findings themselves are the failures
    return [
        Failure(
            fingerprint=check_fingerprint(result.requirement, result.check),
            kind="check",
            requirement=result.requirement,
            check=result.check,
            severity=result.severity,
            message=result.message,
        )
    ]


def failures_by_requirement(card: Scorecard) -> dict[str, list[Failure]]:
    """The failures of every requirement: its static findings, the routes its failed live checks
    hit, its failed checks with neither; a failing requirement with no failed check at all gets one
    requirement-level failure so that it can still be named and baselined."""
    out: dict[str, list[Failure]] = {}
    findings = _unique_findings(card)
    with_findings = {(f.requirement, f.check) for f in findings}
    for finding in findings:
        out.setdefault(finding.requirement, []).append(_static(finding))
    for rid, verdict in card.requirements.items():
        for result in verdict.checks:
            if result.status == Status.failed:
                has = (result.requirement, result.check) in with_findings
                known = {f.fingerprint for f in out.get(rid, []) if f.kind != "static"}
                fresh = [f for f in _check_failures(result, has) if f.fingerprint not in known]
                out.setdefault(rid, []).extend(fresh)
        if verdict.verdict in FAILING and not out.get(rid):
            out[rid] = [
                Failure(
                    fingerprint=_digest("requirement", rid),
                    kind="requirement",
                    requirement=rid,
                    check=rid,
                    severity=verdict.severity,
                    message=verdict.reason or verdict.verdict.value,
                )
            ]
    return out
