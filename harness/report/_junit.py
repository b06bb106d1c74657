"""JUnit XML: one test case per checklist item, so any CI test view shows the agent's promises.

fail and partial are failures, error is an error, not_applicable and not_checkable are skipped
with their reason; the evidence goes into the failure body.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.catalogue._requirements import load_requirements
from harness.report._text import (
    agent_name,
    clean,
    clip,
    evidence_text,
    repo_name,
    requirement_reasons,
)
from harness.scorecard._model import ItemVerdict, Scorecard, Verdict

_BODY_LIMIT = 20_000


def _classname(item: ItemVerdict) -> str:
    if item.section:
        return clean(item.section[0])
    requirements = load_requirements()
    for rid in item.requirements:
        if rid in requirements:
            return requirements[rid].group
    return "unmapped"


def _body(item: ItemVerdict, card: Scorecard) -> str:
    parts = [f"requirements: {', '.join(item.requirements) or 'none'}"]
    parts += requirement_reasons(item, card) or (
        [f"reason: {clean(item.reason)}"] if item.reason else []
    )
    parts += [evidence_text(e) for e in item.evidence]
    return clip("\n\n".join(parts), _BODY_LIMIT)


def _testcase(item: ItemVerdict, card: Scorecard) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=_classname(item),
        name=clip(clean(f"{item.id} {item.text}"), 240),
        time="0",
    )
    if item.line is not None:
        case.set("line", str(item.line))
    broken = requirement_reasons(item, card, broken_only=True)
    message = clip("; ".join(broken) or clean(item.reason or item.verdict.value), 500)
    if item.verdict in (Verdict.failed, Verdict.partial):
        failure = ET.SubElement(case, "failure", message=message, type=item.verdict.value)
        failure.text = _body(item, card)
    elif item.verdict == Verdict.error:
        error = ET.SubElement(case, "error", message=message, type="error")
        error.text = _body(item, card)
    elif item.verdict in (Verdict.not_applicable, Verdict.not_checkable):
        ET.SubElement(case, "skipped", message=f"{item.verdict.value}: {message}")
    else:
        out = ET.SubElement(case, "system-out")
        out.text = _body(item, card)
    return case


def render_junit(card: Scorecard) -> str:
    cases = [_testcase(item, card) for item in card.items]
    counts = {
        "tests": len(cases),
        "failures": sum(i.verdict in (Verdict.failed, Verdict.partial) for i in card.items),
        "errors": sum(i.verdict == Verdict.error for i in card.items),
        "skipped": sum(
            i.verdict in (Verdict.not_applicable, Verdict.not_checkable) for i in card.items
        ),
    }
    attrs = {k: str(v) for k, v in counts.items()}
    duration = f"{card.run.duration_s:.3f}"
    root = ET.Element("testsuites", name="harness", time=duration, **attrs)
    suite = ET.SubElement(
        root,
        "testsuite",
        name=clean(f"{agent_name(card)} on {repo_name(card)}"),
        timestamp=card.run.started_at[:19],
        time=duration,
        **attrs,
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("score", "" if card.score is None else f"{card.score:.4f}"),
        ("coverage", f"{card.coverage:.4f}"),
        ("repo", card.repo.path),
        ("mode", card.run.mode),
        ("runner", card.run.runner or ""),
    ):
        ET.SubElement(properties, "property", name=name, value=clean(value))
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
