"""SARIF 2.1.0, validated against the official OASIS schema (tests/report/data)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from report_cards import sample_card

from harness.gate import failures_by_requirement
from harness.report import render
from harness.scorecard import Scorecard

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@pytest.fixture
def log() -> dict:
    return json.loads(render(sample_card(), "sarif"))


def test_validates_against_the_official_schema(log: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_the_validator_catches_a_broken_log(log: dict) -> None:
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log))


def test_rules_carry_requirement_help_and_cwe(log: dict) -> None:
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    sql = rules["sql-fstring"]
    assert sql["properties"]["requirement"] == "sql.parameterized"
    assert "external/cwe/cwe-89" in sql["properties"]["tags"]
    assert sql["defaultConfiguration"]["level"] == "error"
    assert sql["properties"]["security-severity"] == "8.0"
    assert "Fails when:" in sql["help"]["text"]
    assert rules["logging-framework"]["defaultConfiguration"]["level"] == "note"
    results = log["runs"][0]["results"]
    for result in results:
        assert (
            log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        )


def _by(log: dict, rule: str) -> list[dict]:
    return [r for r in log["runs"][0]["results"] if r["ruleId"] == rule]


def test_static_findings_keep_file_lines_snippet(log: dict) -> None:
    sql = _by(log, "sql-fstring")
    places = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sql
    ]
    assert places == [("app.py", 41), ("app.py", 77), ("db/queries.py", 12)]
    region = sql[0]["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"]["text"].startswith("cur.execute(f")
    prints = [r["partialFingerprints"]["harness/v1"] for r in sql]
    assert len(set(prints)) == 3  # two identical snippets stay two results
    assert prints[0].split(":")[0] == prints[1].split(":")[0]


def test_live_failures_sit_on_their_handler_with_a_curl_line(log: dict) -> None:
    auth = {
        r["message"]["text"].split("Route: ")[1].split("\n")[0]: r
        for r in _by(log, "auth-no-token")
    }
    assert set(auth) == {"GET /todos", "GET /todos/{id}"}
    first = auth["GET /todos"]["locations"][0]["physicalLocation"]
    assert (first["artifactLocation"]["uri"], first["region"]["startLine"]) == ("app.py", 30)
    item = auth["GET /todos/{id}"]["locations"][0]["physicalLocation"]
    assert (item["artifactLocation"]["uri"], item["region"]["startLine"]) == ("app.py", 52)
    assert (
        'curl -sS -i -X GET "$APP/todos/17"'
        in auth["GET /todos/{id}"]["message"]["text"]
    )
    # no handler known for this route: the app's entry file, no region
    xss = _by(log, "stored-xss")[0]["locations"][0]["physicalLocation"]
    assert xss == {"artifactLocation": {"uri": "app.py", "uriBaseId": "%SRCROOT%"}}


def test_every_failure_is_a_result_and_errors_are_notifications(log: dict) -> None:
    card = sample_card()
    total = sum(len(v) for v in failures_by_requirement(card).values())
    assert len(log["runs"][0]["results"]) == total
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["ratelimit-burst"]
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/todo-flask-bad/")


def _uris(log: dict) -> set[str]:
    return {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
        for loc in r["locations"]
    }


def test_uris_are_relative_to_the_git_root_of_a_backend_in_a_subfolder(
    card: Scorecard, tmp_path: Path
) -> None:
    # a repository whose backend lives in backend/: code scanning resolves URIs from the root
    top = tmp_path / "project"
    backend = top / "backend"
    backend.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    (backend / "app.py").write_text("print('app')\n")
    moved = card.model_copy(update={"repo": card.repo.model_copy(update={"path": str(backend)})})
    log = json.loads(render(moved, "sarif"))
    uris = _uris(log)
    assert "backend/app.py" in uris
    assert all(u.startswith("backend/") for u in uris), uris
    root = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == top.resolve().as_uri() + "/"
    assert not list(jsonschema.Draft4Validator(SCHEMA).iter_errors(log))
    # --source-root wins over the git root
    log = json.loads(render(moved, "sarif", source_root=str(backend)))
    assert "app.py" in _uris(log) and not any(u.startswith("backend/") for u in _uris(log))
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/backend/")


def test_a_card_scored_elsewhere_keeps_repo_relative_uris(card: Scorecard) -> None:
    assert not Path(card.repo.path).exists()
    assert "app.py" in _uris(json.loads(render(card, "sarif")))
