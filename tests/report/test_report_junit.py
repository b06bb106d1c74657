"""JUnit XML: a class per requirement, a case per promise, read back with junitparser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from junitparser import Error, Failure, JUnitXml, Skipped

from harness.report import render, write_reports
from harness.scorecard import Scorecard, Verdict


def _suite(card: Scorecard, tmp_path: Path):
    path = write_reports(card, tmp_path, ["junit"])["junit"]
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert len(suites) == 1
    return xml, suites[0]


def _expected_cases(card: Scorecard) -> list[tuple[str, str, Verdict]]:
    """(class, item id, verdict) of every case: one per promise under each requirement it maps
    to, with that requirement's verdict; unmapped promises under "unmapped"."""
    out = [
        (rid, item.id, req.verdict)
        for rid, req in sorted(card.requirements.items())
        for item in card.items
        if rid in item.requirements
    ]
    out += [
        ("unmapped", i.id, Verdict.not_checkable)
        for i in card.items
        if not any(r in card.requirements for r in i.requirements)
    ]
    return out


def test_counts_match_the_verdicts(card: Scorecard, tmp_path: Path) -> None:
    xml, suite = _suite(card, tmp_path)
    expected = _expected_cases(card)
    by = {v: sum(e[2] == v for e in expected) for v in Verdict}
    failures = by[Verdict.failed] + by[Verdict.partial]
    skipped = by[Verdict.not_applicable] + by[Verdict.not_checkable]
    assert failures and by[Verdict.error] and skipped and by[Verdict.passed]
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (
        len(expected),
        failures,
        by[Verdict.error],
        skipped,
    )
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (
        suite.tests,
        suite.failures,
        suite.errors,
        suite.skipped,
    )
    # and the counts agree with the test cases actually present
    kinds = [type(r).__name__ for case in suite for r in case.result]
    assert kinds.count("Failure") == failures
    assert kinds.count("Error") == by[Verdict.error]
    assert kinds.count("Skipped") == skipped


def test_one_class_per_requirement_with_file_and_line(card: Scorecard, tmp_path: Path) -> None:
    _, suite = _suite(card, tmp_path)
    cases = list(suite)
    got = [(c.classname, c.name.split(" ", 1)[0]) for c in cases]
    assert got == [(cls, item) for cls, item, _ in _expected_cases(card)]
    classes = {c.classname for c in cases}
    assert classes == set(card.requirements) | {"unmapped"}
    by_key = {(c.classname, c.name.split(" ", 1)[0]): c for c in cases}
    for cls, item_id, verdict in _expected_cases(card):
        case = by_key[(cls, item_id)]
        results = case.result
        assert case._elem.get("file"), "every case names a file"
        if verdict in (Verdict.failed, Verdict.partial):
            assert isinstance(results[0], Failure) and results[0].type == verdict.value
        elif verdict == Verdict.error:
            assert isinstance(results[0], Error)
            assert "login route not found" in results[0].text
        elif verdict in (Verdict.not_applicable, Verdict.not_checkable):
            assert isinstance(results[0], Skipped)
            assert verdict.value in results[0].message
        else:
            assert results == []
    # a static failure points at its finding; a live one at its handler or the entry file
    sql = by_key[("sql.parameterized", "i1")]
    assert (sql._elem.get("file"), sql._elem.get("line")) == ("app.py", "41")
    text = sql.result[0].text
    assert "app.py:41-" not in text and "app.py:41 [semgrep/sql-fstring]" in text
    auth = next(c for (cls, _), c in by_key.items() if cls == "auth.required")
    assert 'curl -sS -i -X GET "$APP/todos"' in auth.result[0].text
    assert "-> HTTP 200" in auth.result[0].text
    assert auth._elem.get("file") == "app.py"


def test_file_attributes_follow_the_source_root(card: Scorecard, tmp_path: Path) -> None:
    text = render(card, "junit", source_root=str(Path(card.repo.path).parent.parent))
    files = {el.get("file") for el in ET.fromstring(text.encode()).iter("testcase")}
    assert "generated/todo-flask-bad/app.py" in files
    assert all(f.startswith("generated/todo-flask-bad/") for f in files), files


def test_hostile_text_stays_well_formed_xml(card: Scorecard) -> None:
    text = render(card, "junit")
    root = ET.fromstring(text.encode())  # raises on control characters or broken markup
    bodies = "".join(el.text or "" for el in root.iter("failure"))
    assert "<script>document.body" in bodies  # kept, as character data
    assert "\\x1b[31m\\x00" in text
