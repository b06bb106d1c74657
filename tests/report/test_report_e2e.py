"""End to end: score a bundled fixture app with the real pipeline, then render, validate and gate
every report format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from report_browser import chromium, run

from harness._paths import data_root
from harness.gate import evaluate, failures_by_requirement, update_baseline
from harness.report import FORMATS, SCHEMA_FILE, load_scorecard, write_reports
from harness.scorecard import Scorecard, Verdict

APP = "todo-flask-bad"
AGENT = "backend-developer"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def _score(live: bool) -> Scorecard:
    from harness import score

    return score(AGENT, APP, live=live, formats=())


def _check_reports(card: Scorecard, out: Path) -> None:
    paths = write_reports(card, out, FORMATS)
    assert load_scorecard(paths["json"]) == card

    schema = json.loads((data_root("schemas") / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert not list(
        jsonschema.Draft202012Validator(schema).iter_errors(
            json.loads(paths["json"].read_text(encoding="utf-8"))
        )
    )

    sarif = json.loads(paths["sarif"].read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif))
    assert not errors, errors[0].message
    expected = sum(len(f) for f in failures_by_requirement(card).values())
    assert len(sarif["runs"][0]["results"]) == expected

    suite = ET.parse(paths["junit"]).getroot().find("testsuite")
    pairs = [(rid, i) for rid in card.requirements for i in card.items if rid in i.requirements]
    unmapped = [i for i in card.items if not set(i.requirements) & set(card.requirements)]
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(pairs) + len(unmapped) == len(cases)
    failing = sum(card.requirements[rid].verdict in (Verdict.failed, Verdict.partial)
                  for rid, _ in pairs)  # fmt: skip
    assert int(suite.get("failures")) == failing == len(suite.findall("testcase/failure"))
    assert {c.get("classname") for c in cases} <= {*card.requirements, "unmapped"}
    assert all(c.get("file") for c in cases)

    md = paths["md"].read_text(encoding="utf-8")
    assert len(md) <= 65_536 and md.startswith("## ")

    page = paths["html"].read_text(encoding="utf-8")
    assert page.count('<article class="item promise') == len(card.items)
    assert page.count('<article class="item req') == len(card.requirements)
    if chromium() is not None:
        dom, console = run(paths["html"].as_uri(), out, "--dump-dom")
        assert console == "", console
        body = re.search(r"<body[^>]*>", dom).group()
        assert f'data-shown-items="{len(card.items)}"' in body


def test_static_scorecard_of_a_fixture_app(tmp_path: Path) -> None:
    card = _score(live=False)
    assert card.items and card.requirements
    _check_reports(card, tmp_path / "reports")

    # the bad app breaks promises, and each reason names the requirement it is about
    gate = evaluate(card, fail_on="low")
    broken = {
        r for r, v in card.requirements.items() if v.verdict in (Verdict.failed, Verdict.partial)
    }
    assert broken, "todo-flask-bad should break at least one promise statically"
    named = {reason.split(" ", 1)[0] for reason in gate.reasons}
    assert broken <= named
    # accepting today's failures lets the same scorecard through, errors aside
    baseline = update_baseline(card, tmp_path / "baseline.json")
    again = evaluate(card, fail_on="low", baseline=baseline)
    assert {r.split(" ", 1)[0] for r in again.reasons} <= {
        r for r, v in card.requirements.items() if v.verdict == Verdict.error
    }


@pytest.mark.live
@pytest.mark.slow
def test_live_scorecard_of_a_fixture_app(tmp_path: Path) -> None:
    card = _score(live=True)
    assert card.run.mode == "static+live"
    live = [c for v in card.requirements.values() for c in v.checks if c.kind == "live"]
    assert live, "a live run produced no live check results"
    _check_reports(card, tmp_path / "reports")
