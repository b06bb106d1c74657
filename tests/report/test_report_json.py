"""scorecard.json: the record itself, its shipped JSON Schema, and loading it back."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from harness._errors import InputError
from harness._paths import data_root
from harness.report import SCHEMA_FILE, load_scorecard, render, schema_text, write_reports
from harness.scorecard import Scorecard


def test_json_round_trips(card: Scorecard, tmp_path: Path) -> None:
    paths = write_reports(card, tmp_path, ["json", "md", "html", "junit", "sarif"])
    assert {p.name for p in paths.values()} == {
        "scorecard.json",
        "scorecard.md",
        "scorecard.html",
        "junit.xml",
        "scorecard.sarif",
    }
    assert load_scorecard(paths["json"]) == card
    assert json.loads(render(card, "json")) == json.loads(card.model_dump_json())


def test_shipped_schema_is_the_generated_one() -> None:
    shipped = data_root("schemas") / SCHEMA_FILE
    assert shipped.read_text(encoding="utf-8") == schema_text(), (
        'schemas/ is stale: python -c "from harness.report import write_schema; '
        "write_schema('schemas')\""
    )


def test_scorecards_validate_against_the_shipped_schema(card: Scorecard) -> None:
    schema = json.loads((data_root("schemas") / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(render(card, "json"))
    assert not list(validator.iter_errors(data))
    data["items"][0]["verdict"] = "maybe"
    assert list(validator.iter_errors(data))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a scorecard.json"),
        ('{"schema_version": 99}', "schema version 99"),
        ('{"schema_version": 1, "items": []}', "invalid scorecard at"),
    ],
)
def test_load_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "scorecard.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_scorecard(path)


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_scorecard(tmp_path / "nope.json")


def test_unknown_format(card: Scorecard) -> None:
    with pytest.raises(InputError, match="unknown report format 'pdf'"):
        render(card, "pdf")


def test_every_field_of_the_schema_is_described() -> None:
    """The scorecard's fields carry docstrings, and they land in the shipped JSON schema."""
    from harness.report import scorecard_schema

    schema = scorecard_schema()
    undescribed = [
        f"{name}.{field}"
        for name, model in [("Scorecard", schema), *schema.get("$defs", {}).items()]
        for field, prop in model.get("properties", {}).items()
        if "description" not in prop and "$ref" not in prop
    ]
    assert undescribed == []
