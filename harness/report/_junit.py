"""JUnit XML: one test class per requirement, one test case per promise that maps to it, so any
CI test view groups the agent's promises by what is checked.

A case takes its requirement's verdict: fail and partial are failures, error is an error,
not_applicable and not_checkable are skipped with their reason; promises that map to no
requirement are skipped under the class ``unmapped``. Every case carries ``file`` and ``line``:
where the requirement's first failure is in the code (relative to the source root, as in SARIF),
else the app's entry file. The evidence goes into the failure body.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from harness.report._places import repo_prefix, repo_relative, source_root_of
from harness.report._sarif import failure_places
from harness.report._text import agent_name, clean, clip, evidence_text, repo_name
from harness.scorecard._model import ItemVerdict, RequirementVerdict, Scorecard, Verdict

_BODY_LIMIT = 20_000
_FAILING = (Verdict.failed, Verdict.partial)
_SKIPPED = (Verdict.not_applicable, Verdict.not_checkable)


def _body(rid: str, req: RequirementVerdict, item: ItemVerdict) -> str:
    parts = [
        f"requirement: {rid} ({req.verdict.value}, {req.severity.value})",
        f"promise: {clean(item.text)}",
        f"reason: {clean(req.reason or '')}",
    ]
    parts += [evidence_text(e) for e in req.evidence]
    return clip("\n\n".join(parts), _BODY_LIMIT)


def _case(
    classname: str, item: ItemVerdict, place: tuple[str, int | None], verdict: Verdict
) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=clean(classname),
        name=clip(clean(f"{item.id} {item.text}"), 240),
        file=clean(place[0]),
        time="0",
    )
    if place[1] is not None:
        case.set("line", str(place[1]))
    return case


def _testcases(card: Scorecard, source_root: str | Path | None) -> list[tuple[Verdict, ET.Element]]:
    places = failure_places(card, source_root)
    root = source_root_of(card.repo.path, source_root)
    entry = str((card.repo.profile or {}).get("entrypoint") or ".")
    fallback = (repo_relative(entry, card.repo.path, repo_prefix(card.repo.path, root)), None)
    cases: list[tuple[Verdict, ET.Element]] = []
    for rid, req in sorted(card.requirements.items()):
        place = places.get(rid, fallback)
        for item in card.items:
            if rid not in item.requirements:
                continue
            case = _case(rid, item, place, req.verdict)
            message = clip(clean(f"{rid} {req.verdict.value}: {req.reason or ''}"), 500)
            if req.verdict in _FAILING:
                failure = ET.SubElement(case, "failure", message=message, type=req.verdict.value)
                failure.text = _body(rid, req, item)
            elif req.verdict == Verdict.error:
                error = ET.SubElement(case, "error", message=message, type="error")
                error.text = _body(rid, req, item)
            elif req.verdict in _SKIPPED:
                ET.SubElement(case, "skipped", message=f"{req.verdict.value}: {message}")
            else:
                ET.SubElement(case, "system-out").text = _body(rid, req, item)
            cases.append((req.verdict, case))
    for item in card.items:
        if not any(r in card.requirements for r in item.requirements):
            case = _case("unmapped", item, fallback, item.verdict)
            reason = clean(item.reason or "maps to no requirement")
            ET.SubElement(case, "skipped", message=f"{item.verdict.value}: {reason}")
            cases.append((Verdict.not_checkable, case))
    return cases


def render_junit(card: Scorecard, *, source_root: str | Path | None = None) -> str:
    cases = _testcases(card, source_root)
    verdicts = [v for v, _ in cases]
    counts = {
        "tests": len(cases),
        "failures": sum(v in _FAILING for v in verdicts),
        "errors": sum(v == Verdict.error for v in verdicts),
        "skipped": sum(v in _SKIPPED for v in verdicts),
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
    suite.extend(case for _, case in cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
