"""JUnit XML: one test case per checklist item, read back with junitparser."""

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


def test_counts_match_the_verdicts(card: Scorecard, tmp_path: Path) -> None:
    xml, suite = _suite(card, tmp_path)
    by = {v: sum(i.verdict == v for i in card.items) for v in Verdict}
    failures = by[Verdict.failed] + by[Verdict.partial]
    skipped = by[Verdict.not_applicable] + by[Verdict.not_checkable]
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (
        len(card.items),
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


def test_cases_carry_names_classes_and_evidence(card: Scorecard, tmp_path: Path) -> None:
    _, suite = _suite(card, tmp_path)
    cases = {case.name.split(" ", 1)[0]: case for case in suite}
    assert set(cases) == {i.id for i in card.items}
    for item in card.items:
        case = cases[item.id]
        assert case.classname == item.section[0]
        assert case.name.startswith(f"{item.id} ")
        results = case.result
        if item.verdict in (Verdict.failed, Verdict.partial):
            assert isinstance(results[0], Failure) and results[0].type == item.verdict.value
        elif item.verdict == Verdict.error:
            assert isinstance(results[0], Error)
            assert "login route not found" in results[0].text
        elif item.verdict in (Verdict.not_applicable, Verdict.not_checkable):
            assert isinstance(results[0], Skipped)
            assert item.verdict.value in results[0].message
        else:
            assert results == []
    sql = cases["i1"].result[0]
    assert "app.py:41-" not in sql.text and "app.py:41 [semgrep/sql-fstring]" in sql.text
    auth = cases["i3"].result[0].text
    assert "curl -sS -X GET 'http://127.0.0.1:5000/todos'" in auth and "-> HTTP 200" in auth


def test_hostile_text_stays_well_formed_xml(card: Scorecard) -> None:
    text = render(card, "junit")
    root = ET.fromstring(text.encode())  # raises on control characters or broken markup
    bodies = "".join(el.text or "" for el in root.iter("failure"))
    assert "<script>document.body" in bodies  # kept, as character data
    assert "\\x1b[31m\\x00" in text
