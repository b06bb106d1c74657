"""The terminal summary on a real judged scorecard: one cause said once, wrapped to the width,
failing requirements first by severity, one reason each."""

from __future__ import annotations

import io
import re

from clirun import ROOT
from rich.console import Console

from harness import resolve_agent
from harness._score import _stage_errors, build_scorecard, load_checks
from harness.agent import parse_agent
from harness.app import detect_app
from harness.checklist import extract_checklist
from harness.cli._terminal import first_reason, print_summary, shared_causes, verdict_line, wrap
from harness.gate import evaluate
from harness.scorecard import RunInfo, Verdict

CAUSE = "the app did not start: the app did not become ready within 5s: it never opened a port"


def _card():
    """The bundled agent's checklist judged on a bundled app whose live stage could not run."""
    load_checks()
    checklist = extract_checklist(parse_agent(resolve_agent("backend")))
    profile = detect_app(ROOT / "fixtures" / "apps" / "bare-flask-single")
    results = _stage_errors("live", set(checklist.requirements), CAUSE, "log tail")
    info = RunInfo(started_at="2026-01-01T00:00:00", duration_s=1.0)
    return build_scorecard(checklist, profile, results, findings=[], info=info)


def _render(card, width: int, verbosity: int = 0) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, color_system=None)
    print_summary(card, evaluate(card), console, verbosity=verbosity)
    return buffer.getvalue()


def test_a_cause_shared_by_many_requirements_is_said_once() -> None:
    card = _card()
    errored = [r for r, v in card.requirements.items() if v.verdict == Verdict.error]
    assert len(errored) >= 5
    causes = shared_causes(card)
    assert [c.text for c in causes] == [CAUSE]
    assert causes[0].requirements == sorted(errored)
    text = _render(card, 80)
    flat = " ".join(text.split())
    assert flat.count("the app did not start") == 1, text
    assert f"{len(errored)} requirements could not be checked" in flat
    for rid in errored:  # each still named, in the cause's list
        assert rid in flat


def test_every_line_fits_the_width_and_words_stay_whole() -> None:
    card = _card()
    for width in (80, 60):
        for verbosity in (0, 1, 2):
            text = _render(card, width, verbosity)
            lines = text.splitlines()
            assert all(len(ln) <= width for ln in lines), (width, verbosity)
            # wrapped at spaces only: joined again, the cause reads as it was written
            assert CAUSE in " ".join(text.split()), (width, verbosity)
            for rid in card.requirements:  # ids are never cut across lines
                if rid in text.replace("\n", " "):
                    assert re.search(rf"(^|[\s,]){re.escape(rid)}([\s,]|$)", text, re.M)


def test_first_reason_keeps_parentheses_together() -> None:
    assert first_reason("0 of 16 annotated (0%; needs 60%) (1 finding(s)); other one") == (
        "0 of 16 annotated (0%; needs 60%) (1 finding(s))",
        1,
    )
    assert first_reason("") == ("", 0)
    assert wrap("a " * 50, 20) == [("a " * 10).strip()] * 5


def test_verdict_line_names_the_decision() -> None:
    card = _card()
    gate = evaluate(card)
    line = verdict_line(card, gate)
    assert line.startswith("FAIL gate failed") and f"of {len(card.requirements)}" in line


def test_columns_stay_apart_for_every_verdict_label() -> None:
    text = _render(_card(), 80, verbosity=1)
    known = ("fail", "partial", "error", "pass", "n/a", "unchecked")
    rows = [ln for ln in text.splitlines() if ln.startswith("  ") and ln[2:3] != " "]
    rows = [ln for ln in rows if any(ln[2:].startswith(k) for k in known)]
    labels = {ln.split()[0] for ln in rows}
    assert "unchecked" in labels, labels  # the longest label
    for ln in rows:  # "<label> <severity> <id>": three words, never glued together
        assert len(ln.split()) == 3 and ln.split()[1] in ("high", "medium", "low"), ln
