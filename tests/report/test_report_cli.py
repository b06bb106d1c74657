"""`harness report SCORECARD --format ... [--out FILE]`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli import main
from harness.scorecard import Scorecard


@pytest.fixture
def scorecard_file(card: Scorecard, tmp_path: Path) -> Path:
    path = tmp_path / "scorecard.json"
    path.write_text(card.model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["html", "junit", "sarif", "md", "json"])
def test_report_to_file(scorecard_file: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out" / f"report.{fmt}"
    result = CliRunner().invoke(
        main, ["report", str(scorecard_file), "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
    elif fmt == "junit":
        assert ET.fromstring(text.encode()).tag == "testsuites"
    elif fmt == "sarif":
        assert json.loads(text)["version"] == "2.1.0"
    elif fmt == "json":
        assert json.loads(text) == json.loads(scorecard_file.read_text(encoding="utf-8"))
    else:
        assert text.startswith("## ")


def test_report_to_stdout(scorecard_file: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(scorecard_file), "--format", "md"])
    assert result.exit_code == 0 and "**Score 0.33**" in result.output


def test_report_usage_errors(scorecard_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["report", str(scorecard_file), "--format", "pdf"]).exit_code == 2
    missing = runner.invoke(main, ["report", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "not found" in missing.output
    stale = tmp_path / "old.json"
    stale.write_text('{"schema_version": 0}', encoding="utf-8")
    old = runner.invoke(main, ["report", str(stale)])
    assert old.exit_code == 2 and "schema version 0" in old.output
