"""Scorecard parts told as plain text: the vocabulary every report format shares.

Evidence carries whatever an app sent back, hostile payloads included, so everything passes
through :func:`clean` (control characters made visible, which also keeps XML well-formed) before
a format escapes it its own way.
"""

from __future__ import annotations

import json
import re
from importlib import metadata

from harness.scorecard._model import (
    Evidence,
    Exchange,
    Finding,
    ItemVerdict,
    Scorecard,
    Verdict,
)

VERDICT_LABEL = {
    Verdict.failed: "fail",
    Verdict.partial: "partial",
    Verdict.error: "error",
    Verdict.passed: "pass",
    Verdict.not_applicable: "not applicable",
    Verdict.not_checkable: "not checkable",
}
VERDICT_COLOUR = {
    Verdict.failed: "#c62828",
    Verdict.partial: "#ef8f00",
    Verdict.error: "#6a1b9a",
    Verdict.passed: "#2e7d32",
    Verdict.not_applicable: "#78909c",
    Verdict.not_checkable: "#b0bec5",
}
ATTENTION = frozenset({Verdict.failed, Verdict.partial, Verdict.error})

# Characters XML 1.0 forbids and terminals act on; shown as \xNN instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [{len(text) - limit} more characters]"


def harness_version() -> str:
    try:
        return metadata.version("agent-promise-harness")
    except metadata.PackageNotFoundError:
        return "0.0.0+checkout"


def agent_name(card: Scorecard) -> str:
    return card.agent.name if card.agent else "catalogue"


def repo_name(card: Scorecard) -> str:
    return card.repo.path.rstrip("/").rsplit("/", 1)[-1] or card.repo.path


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def location(finding: Finding) -> str:
    end = f"-{finding.end_line}" if finding.end_line and finding.end_line != finding.line else ""
    return f"{finding.file}:{finding.line}{end}"


def exchange_lines(exchange: Exchange, body_limit: int = 1500) -> list[str]:
    """The exchange as a curl line a person can run (see :func:`harness.replay.portable_curl`)
    and what came back."""
    from harness.replay import portable_curl

    lines = [clean(portable_curl(exchange))]
    if exchange.error:
        lines.append(f"-> no response: {clean(exchange.error)}")
    if exchange.status is not None:
        took = f" in {exchange.elapsed_ms:.0f} ms" if exchange.elapsed_ms is not None else ""
        lines.append(f"-> HTTP {exchange.status}{took}")
    lines += [f"   {clean(k)}: {clean(v)}" for k, v in exchange.response_headers.items()]
    if exchange.body_excerpt:
        lines.append(clip(clean(exchange.body_excerpt), body_limit))
    return lines


def data_text(data: dict | None, limit: int = 2000) -> str:
    if not data:
        return ""
    return clip(clean(json.dumps(data, indent=2, default=str, ensure_ascii=False)), limit)


def evidence_text(evidence: Evidence, body_limit: int = 1500) -> str:
    """One evidence record as a plain-text block."""
    lines = [clean(evidence.message)]
    if evidence.finding is not None:
        f = evidence.finding
        lines.append(f"{clean(location(f))} [{f.tool}/{f.check}] {clean(f.message)}")
        if f.snippet:
            lines.append(clip(clean(f.snippet), body_limit))
    if evidence.exchange is not None:
        lines += exchange_lines(evidence.exchange, body_limit)
    extra = data_text(evidence.data, body_limit)
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def requirement_reasons(
    item: ItemVerdict, card: Scorecard, *, broken_only: bool = False
) -> list[str]:
    """Each of the item's requirements with its own reason: what failed or could not run."""
    out = []
    for rid in item.requirements:
        req = card.requirements.get(rid)
        if req is not None and not (broken_only and req.verdict not in ATTENTION):
            out.append(f"{rid} ({req.verdict.value}): {clean(req.reason or '')}")
    return out


def redaction_text(card: Scorecard) -> str:
    """``"2 (pem-private-key 1, env-secret 1)"``, or ``""`` when nothing was redacted."""
    if not card.redactions:
        return ""
    total = sum(card.redactions.values())
    return f"{total} ({', '.join(f'{k} {v}' for k, v in card.redactions.items())})"
