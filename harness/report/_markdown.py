"""Markdown for a pull-request comment: the headline, a table of requirements, and each broken
promise with its evidence folded away. Kept under GitHub's 65,536-character comment limit; what
does not fit is counted in a closing note."""

from __future__ import annotations

import html
import re

from harness.report._text import (
    ATTENTION,
    VERDICT_LABEL,
    agent_name,
    clean,
    clip,
    evidence_text,
    percent,
    redaction_text,
    repo_name,
    requirement_reasons,
    score_text,
)
from harness.scorecard import VERDICT_ORDER
from harness.scorecard._model import GateRecord, ItemVerdict, Scorecard, Verdict

COMMENT_LIMIT = 65_536
_MARK = {
    Verdict.failed: "❌",
    Verdict.partial: "🟠",
    Verdict.error: "⚠️",
    Verdict.passed: "✅",
    Verdict.not_applicable: "➖",
    Verdict.not_checkable: "❔",
}
_EVIDENCE_LIMIT = 1200
_EVIDENCE_PER_ITEM = 4


def _cell(text: object) -> str:
    """Text safe inside a table cell: no markup, no pipes, one line."""
    flat = re.sub(r"\s+", " ", clean(text)).strip()
    return html.escape(flat, quote=False).replace("|", "\\|")


def _inline(text: object) -> str:
    return html.escape(re.sub(r"\s+", " ", clean(text)).strip(), quote=False)


def _fence(text: str) -> str:
    """A fenced block that the text cannot close early."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _headline(card: Scorecard, gate: GateRecord | None) -> list[str]:
    seen = {i.verdict for i in card.items} | {r.verdict for r in card.requirements.values()}
    worst = next((v for v in VERDICT_ORDER if v in seen), None)
    mark = _MARK[worst] if worst in ATTENTION else "✅"
    if gate is not None:
        mark = "✅" if gate.passed else "❌"
    title = (
        f"## {mark} Harness scorecard: {_inline(agent_name(card))} on {_inline(repo_name(card))}"
    )
    counts = " · ".join(f"{card.counts.get(v.value, 0)} {VERDICT_LABEL[v]}" for v in VERDICT_ORDER)
    lines = [
        title,
        "",
        f"**Score {score_text(card.score)}** · coverage {percent(card.coverage)} · {counts}",
        "",
        f"<sub>{len(card.items)} checklist items · mode {card.run.mode}"
        f"{' · runner ' + _inline(card.run.runner) if card.run.runner else ''}"
        f"{' · ' + _inline(card.run.isolation) if card.run.isolation else ''}"
        f"{' · redacted ' + _inline(redaction_text(card)) if card.redactions else ''}"
        f" · {card.run.duration_s:.1f} s</sub>",
        "",
    ]
    sandbox = card.run.sandbox
    if sandbox is not None and sandbox.missing:
        lines += [f"⚠️ **Incomplete sandbox:** {_inline('; '.join(sandbox.missing))}", ""]
    if gate is not None:
        verdict = "passed" if gate.passed else "failed"
        lines.append(f"**Gate {verdict}**" + (":" if gate.reasons or gate.warnings else ""))
        lines += [f"- ❌ {_inline(r)}" for r in gate.reasons]
        lines += [f"- ⚠️ {_inline(w)}" for w in gate.warnings]
        if gate.baselined:
            lines.append(f"- {len(gate.baselined)} known failure(s) accepted by the baseline")
        lines.append("")
    return lines


def _requirement_table(card: Scorecard) -> list[str]:
    lines = [
        "| Requirement | Verdict | Score | Severity | Why |",
        "| --- | --- | --- | --- | --- |",
    ]
    rank = {v: n for n, v in enumerate(VERDICT_ORDER)}
    ordered = sorted(card.requirements.items(), key=lambda kv: (rank[kv[1].verdict], kv[0]))
    for rid, req in ordered:
        why = clip(_cell(req.reason or ""), 160)
        lines.append(
            f"| `{rid}` | {_MARK[req.verdict]} {VERDICT_LABEL[req.verdict]} | "
            f"{score_text(req.score)} | {req.severity.value} | {why} |"
        )
    return [*lines, ""]


def _item_block(item: ItemVerdict, card: Scorecard) -> str:
    summary = (
        f"{_MARK[item.verdict]} <b>{VERDICT_LABEL[item.verdict]}</b> · {_inline(item.id)}: "
        f"{_inline(clip(item.text, 200))}"
    )
    body = [f"Requirements: {', '.join(f'`{r}`' for r in item.requirements) or 'none'}"]
    reasons = requirement_reasons(item, card) or ([item.reason] if item.reason else [])
    body += [f"- {_inline(clip(reason, 600))}" for reason in reasons]
    for evidence in item.evidence[:_EVIDENCE_PER_ITEM]:
        body.append(_fence(evidence_text(evidence, body_limit=_EVIDENCE_LIMIT)))
    hidden = len(item.evidence) - _EVIDENCE_PER_ITEM
    if hidden > 0:
        body.append(f"… {hidden} more evidence record(s) in the full report")
    return "\n".join(
        ["<details>", f"<summary>{summary}</summary>", "", "\n\n".join(body), "", "</details>", ""]
    )


def render_markdown(
    card: Scorecard, *, gate: GateRecord | None = None, limit: int = COMMENT_LIMIT
) -> str:
    head = "\n".join(_headline(card, gate) + _requirement_table(card))
    rank = {v: n for n, v in enumerate(VERDICT_ORDER)}
    attention = sorted(
        (i for i in card.items if i.verdict in ATTENTION), key=lambda i: rank[i.verdict]
    )
    tail = "\n<sub>Generated by harness. Full evidence: scorecard.json / scorecard.html.</sub>\n"
    blocks: list[str] = []
    if attention:
        blocks.append(f"### Broken or unchecked promises ({len(attention)})\n")
    budget = limit - len(head) - len(tail) - 200  # room for the truncation note
    used = sum(len(b) + 1 for b in blocks)
    shown = 0
    for item in attention:
        block = _item_block(item, card)
        if used + len(block) + 1 > budget:
            break
        blocks.append(block)
        used += len(block) + 1
        shown += 1
    if shown < len(attention):
        blocks.append(
            f"> **Truncated:** {len(attention) - shown} more of {len(attention)} items are not "
            "shown (comment size limit); see the full report.\n"
        )
    text = head + "\n" + "\n".join(blocks) + tail
    if len(text) > limit:  # the table alone was too long: cut it, say so
        note = "\n\n> **Truncated** at the comment size limit; see the full report.\n"
        text = text[: limit - len(note)] + note
    return text
