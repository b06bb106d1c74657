"""Odd scorecards: empty, agent-less, absolute paths, lines unknown, non-ASCII text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from harness.gate import evaluate
from harness.report import FORMATS, render
from harness.scorecard import (
    CheckResult,
    Finding,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Scorecard,
    Severity,
    Status,
    Verdict,
)

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def _empty() -> Scorecard:
    return Scorecard(
        agent=None,
        repo=RepoRef(path="relative/repo dir"),
        items=[],
        requirements={},
        score=None,
        coverage=0.0,
        run=RunInfo(started_at="2025-01-01T00:00:00+00:00", duration_s=0.0),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_scorecard_renders(fmt: str) -> None:
    text = render(_empty(), fmt)
    assert text.strip()
    if fmt == "sarif":
        assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(json.loads(text)))
    if fmt == "junit":
        assert ET.fromstring(text.encode()).find("testsuite").get("tests") == "0"
    assert evaluate(_empty()).passed


def test_absolute_paths_unknown_lines_and_unicode() -> None:
    repo = "/srv/générés/app"
    finding = Finding(
        requirement="secrets.no-hardcoded",
        check="hardcoded-secret",
        tool="bandit",
        severity=Severity.high,
        file=f"{repo}/src/config φ.py",
        line=0,
        snippet="KEY = 'ключ'",
        message="literal key «ключ»",
    )
    result = CheckResult(
        check="hardcoded-secret",
        requirement="secrets.no-hardcoded",
        kind="static",
        status=Status.failed,
        severity=Severity.high,
        message="literal key",
    )
    card = _empty().model_copy(
        update={
            "repo": RepoRef(path=repo),
            "findings": [finding],
            "requirements": {
                "secrets.no-hardcoded": RequirementVerdict(
                    verdict=Verdict.failed, score=0.0, severity=Severity.high, checks=[result]
                )
            },
            "score": 0.0,
        }
    )
    log = json.loads(render(card, "sarif"))
    assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/config%20%CF%86.py"
    assert "region" not in location  # line 0: unknown, so no region
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///srv/")
    assert "«ключ»" in render(card, "html")
    assert render(card, "md").startswith("## ❌ Harness scorecard: catalogue on app")
