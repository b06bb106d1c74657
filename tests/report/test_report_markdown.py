"""Markdown for PR comments: parsed back with markdown-it, kept under the comment limit."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from report_cards import HOSTILE, sample_card

from harness.gate import evaluate
from harness.report import COMMENT_LIMIT, render
from harness.report._markdown import render_markdown
from harness.scorecard import Scorecard

_MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def _tokens(text: str):
    for token in _MD.parse(text):
        yield token
        yield from token.children or []


def test_no_evidence_becomes_live_html(card: Scorecard) -> None:
    text = render(card, "md")
    live = [t.content for t in _tokens(text) if t.type in ("html_inline", "html_block")]
    assert live, "the details/summary markup should be there"
    for content in live:
        assert not re.search(r"<(script|img|iframe)|onerror", content, re.I), content
    fences = [t.content for t in _tokens(text) if t.type == "fence"]
    assert any(HOSTILE.split("\x1b")[0].replace("\x00", "") in f for f in fences)
    lines = text.splitlines()
    assert lines.count("<details>") == lines.count("</details>") > 0


def test_table_has_one_row_per_requirement(card: Scorecard) -> None:
    text = render(card, "md")
    tokens = list(_MD.parse(text))
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == len(card.requirements) + 1  # header row
    cells = [t.content for t in _tokens(text) if t.type == "inline"]
    assert any("Never expose" in c for c in cells) is False  # items are not in the table
    assert "`sql.parameterized`" in text and "❌ fail" in text


def test_headline_and_gate(card: Scorecard) -> None:
    gate = evaluate(card, min_score=0.9)
    text = render(card, "md", gate=gate)
    first = text.splitlines()[0]
    assert first.startswith("## ❌ Harness scorecard: backend-developer on todo-flask-bad")
    assert "**Score 0.33**" in text and "coverage 69%" in text and "6 fail" in text
    assert "**Gate failed**:" in text
    assert "score: 0.33 is below min_score 0.90" in text
    assert "### Broken or unchecked promises (10)" in text


def test_large_scorecard_is_truncated_under_the_comment_limit() -> None:
    big = sample_card(n_items_extra=600)
    text = render(big, "md")
    assert len(text) <= COMMENT_LIMIT
    assert "**Truncated:**" in text
    lines = text.splitlines()
    shown = lines.count("<details>")
    hidden = int(re.search(r"Truncated:\*\* (\d+) more of (\d+)", text).group(1))
    total = int(re.search(r"Truncated:\*\* \d+ more of (\d+)", text).group(1))
    assert (
        shown + hidden
        == total
        == sum(i.verdict.value in ("fail", "partial", "error") for i in big.items)
    )
    assert lines.count("<details>") == lines.count("</details>")


def test_tiny_limit_still_respected(card: Scorecard) -> None:
    text = render_markdown(card, limit=1500)
    assert len(text) <= 1500 and "Truncated" in text
