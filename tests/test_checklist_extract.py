"""Extraction from the five fixture agents against independently labelled expectations, plus
the structural rules: Do/Don't lists, nested lists, task lists, sentences, sections, params."""

from __future__ import annotations

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness._paths import checks_dir, fixtures_dir
from harness.agent import parse_agent, parse_agent_text
from harness.catalogue import load_requirements
from harness.checklist import checklist_json, extract_checklist

EXPECTED = fixtures_dir().parent / "tests" / "expected" / "agents"
AGENTS = sorted(p.stem for p in (fixtures_dir() / "agents").glob("*.md"))


def _expected(stem: str) -> dict:
    return yaml.safe_load((EXPECTED / f"{stem}.yaml").read_text(encoding="utf-8"))


def test_every_fixture_agent_has_expectations() -> None:
    assert AGENTS, "no fixture agents found"
    assert sorted(p.stem for p in EXPECTED.glob("*.yaml")) == AGENTS


@pytest.mark.parametrize("stem", AGENTS)
def test_fixture_recall_and_precision(stem: str) -> None:
    checklist = extract_checklist(parse_agent(fixtures_dir() / "agents" / f"{stem}.md"))
    expected = set(_expected(stem)["requirements"])
    got = set(checklist.requirements)
    hit = expected & got
    recall = len(hit) / len(expected)
    precision = len(hit) / len(got) if got else 0.0
    print(
        f"{stem}: recall {recall:.3f} precision {precision:.3f} "
        f"missing {sorted(expected - got)} extra {sorted(got - expected)}"
    )
    assert recall >= 0.95, f"missing {sorted(expected - got)}"
    assert precision >= 0.90, f"unexpected {sorted(got - expected)}"


@pytest.mark.parametrize("stem", AGENTS)
def test_fixture_items_lines_and_descriptive_sections(stem: str) -> None:
    data = _expected(stem)
    checklist = extract_checklist(parse_agent(fixtures_dir() / "agents" / f"{stem}.md"))
    by_line = {item.line: item for item in checklist.items}
    for line in data.get("not_items") or []:
        assert line not in by_line, f"line {line} should not be a promise: {by_line[line].text}"
    for line, rid in (data.get("items") or {}).items():
        assert line in by_line, f"no item on line {line}"
        assert rid in by_line[line].requirements, (line, by_line[line].text, by_line[line].mappings)
    for rid, params in (data.get("params") or {}).items():
        actual = checklist.params(rid)
        for key, value in params.items():
            assert actual.get(key) == value, (rid, key, actual)
    # ids are i1.. in document order and lines point into the file
    assert [i.id for i in checklist.items] == [f"i{n}" for n in range(1, len(checklist.items) + 1)]
    lines = [i.line for i in checklist.items]
    assert lines == sorted(lines)
    text = (fixtures_dir() / "agents" / f"{stem}.md").read_text(encoding="utf-8").splitlines()
    for item in checklist.items:
        first_words = item.text.split(":")[-1].split()[:2] or item.text.split()[:1]
        assert any(w.strip("*`(),.") in text[item.line - 1] for w in first_words), (
            item.line,
            item.text,
            text[item.line - 1],
        )


def test_backend_developer_sections_are_decided_and_recorded() -> None:
    checklist = extract_checklist(parse_agent(fixtures_dir() / "agents" / "backend-developer.md"))
    decided = {tuple(s.section[1:2]): s for s in checklist.sections}
    for name in ("Instructions", "Best Practices", "Code Quality Standards", "Success Indicators"):
        assert decided[(name,)].promises, name
    for name in ("Expertise Areas", "When to Use", "Integration Points"):
        assert not decided[(name,)].promises, name
    expertise = [s for s in checklist.sections if "Expertise Areas" in s.section]
    weak = {rid for s in expertise for rid in s.weak_requirements}
    # "Rate limiting" under Expertise is recorded as a weak promise, not counted as one
    assert "ratelimit" in weak and "ratelimit" not in checklist.requirements
    donts = [i for i in checklist.items if "Don't ❌" in i.section]
    assert len(donts) == 10 and all(i.polarity == "dont" for i in donts)


def test_backend_envelope_schema_validates_its_own_examples() -> None:
    checklist = extract_checklist(parse_agent(fixtures_dir() / "agents" / "backend.md"))
    envelope = checklist.params("api.envelope")
    schema = envelope["schema"]
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    ok = {"success": True, "data": [], "message": "ok", "timestamp": "2024-01-01T00:00:00Z"}
    err = {
        "success": False,
        "error": {"code": "E", "message": "m"},
        "timestamp": "2024-01-01T00:00:00Z",
    }
    assert validator.is_valid(ok) and validator.is_valid(err)
    assert not validator.is_valid({"data": {}})  # no success flag, no timestamp
    assert envelope["success_schema"]["required"] == ["success", "data", "message", "timestamp"]
    assert envelope["success_schema"]["properties"]["timestamp"]["format"] == "date-time"
    error = checklist.params("api.error-format")
    assert error["code_field"] == "error.code" and error["message_field"] == "error.message"
    assert not jsonschema.Draft202012Validator(error["schema"]).is_valid({"error": "boom"})


STRUCTURE = """---
name: shapes
---
# Rules

## Do
- [ ] Hash passwords with argon2id
- [x] Return 201 on creation and 404 for missing records

## Avoid
- Logging passwords or tokens
- String-concatenated SQL

## Security
- **Authentication**:
  - Access tokens expire after 15 minutes; refresh tokens after 7 days
  - Lock out after 5 failed login attempts per minute
- Pagination: default 20 items per page, maximum 100

## Guidelines
Always validate request bodies with pydantic. Never use eval on user input. The team likes tea.

## Expertise
- Message queues (RabbitMQ, Kafka)
- Rate limiting

## Transport rules
| Rule | Why |
|------|-----|
| Enable CORS only for trusted origins | browsers |
"""


def test_structures_polarity_nesting_and_params() -> None:
    checklist = extract_checklist(parse_agent_text(STRUCTURE, path="shapes.md"))
    by_text = {i.text: i for i in checklist.items}
    task = by_text["Hash passwords with argon2id"]
    assert task.kind == "task" and task.line == 7 and task.requirements == ["auth.password-hashing"]
    assert by_text["Logging passwords or tokens"].polarity == "dont"
    assert by_text["Logging passwords or tokens"].requirements == ["logging.no-sensitive"]
    assert "sql.parameterized" in by_text["String-concatenated SQL"].requirements
    nested = by_text["Access tokens expire after 15 minutes; refresh tokens after 7 days"]
    assert nested.context == ["Authentication"] and "auth.token-expiry" in nested.requirements
    assert "Authentication" not in by_text  # a bare bold label is context, not an item
    sentences = [i for i in checklist.items if i.kind == "sentence"]
    assert [s.text for s in sentences] == [
        "Always validate request bodies with pydantic.",
        "Never use eval on user input.",
    ]
    assert sentences[1].polarity == "dont" and "injection.command" in sentences[1].requirements
    assert "Message queues (RabbitMQ, Kafka)" not in by_text and "Rate limiting" not in by_text
    row = next(i for i in checklist.items if i.kind == "table-row")
    assert row.requirements == ["http.cors"]
    assert checklist.params("auth.password-hashing") == {"schemes": ["argon2"]}
    assert checklist.params("http.status-codes")["codes"] == [201, 404]
    assert checklist.params("auth.token-expiry") == {
        "max_lifetime_s": 900,
        "refresh_max_lifetime_s": 604800,
    }
    assert checklist.params("ratelimit")["limit"] == 5
    assert checklist.params("ratelimit")["window_s"] == 60
    assert checklist.params("ratelimit")["scope"] == "auth"
    assert checklist.params("api.pagination") == {"max_page_size": 100, "default_page_size": 20}
    # requirements promised without specifics still appear, with empty params
    assert checklist.requirements["validation.input"].params == {}


def test_params_only_when_the_agent_said_them() -> None:
    checklist = extract_checklist(
        parse_agent_text("## Rules\n- Hash passwords\n- Use rate limiting\n- Paginate lists\n")
    )
    assert set(checklist.requirements) >= {"auth.password-hashing", "ratelimit", "api.pagination"}
    assert all(use.params == {} for use in checklist.requirements.values())


def test_json_contract_exact_keys() -> None:
    checklist = extract_checklist(parse_agent(fixtures_dir() / "agents" / "backend.md"))
    data = checklist_json(checklist)
    assert data["schema_version"] == 1
    assert {"name", "path", "fields", "diagnostics"} <= set(data["agent"])
    assert all(set(d) == {"line", "message"} for d in data["agent"]["diagnostics"])
    required = {"id", "text", "section", "line", "polarity", "requirements", "reason"}
    for item in data["items"]:
        assert required <= set(item)
        assert item["polarity"] in ("do", "dont")
        assert (item["reason"] is None) == bool(item["requirements"])
    for rid, use in data["requirements"].items():
        assert set(use) == {"items", "params"}
        assert all(
            any(i["id"] == ref and rid in i["requirements"] for i in data["items"])
            for ref in use["items"]
        )
    vocabulary = load_requirements()
    assert set(data["requirements"]) <= set(vocabulary)


def test_phrase_data_refers_to_known_requirements_and_covers_them() -> None:
    phrases = yaml.safe_load((checks_dir() / "phrases.yaml").read_text(encoding="utf-8"))
    vocabulary = set(load_requirements())
    assert set(phrases["requirements"]) <= vocabulary
    assert vocabulary <= set(phrases["requirements"]), "every requirement needs wordings"
    for entry in phrases.get("context") or []:
        assert entry["requirement"] in vocabulary


_fragments = st.sampled_from(
    [
        "# H\n",
        "## Don't\n",
        "- item\n",
        "  - nested\n",
        "1. one\n",
        "- [ ] task\n",
        "**Bold**: x\n",
        '```json\n{"a": 1}\n```\n',
        "```\n",
        "| a | b |\n|---|---|\n| c | d |\n",
        "Always do it. Never not.\n",
        "---\n",
        "key: value: x\n",
        "\t- tab\n",
        "\r\n",
        "> quote\n",
        "For errors:\n",
        "<example>\n",
        "* * *\n",
        "- **Security First**:\n  - Hash passwords\n",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_fragments, st.text(max_size=40)), max_size=30))
def test_extraction_never_raises_on_markdownish_text(parts: list[str]) -> None:
    agent = parse_agent_text("".join(parts))
    checklist = extract_checklist(agent)
    checklist_json(checklist)
    for item in checklist.items:
        assert item.line is None or item.line >= 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_extraction_never_raises_on_arbitrary_text(text: str) -> None:
    checklist = extract_checklist(parse_agent_text(text))
    assert checklist_json(checklist)["schema_version"] == 1


def test_cli_extract_formats_and_exit_codes(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from harness.cli._extract import extract

    runner = CliRunner()
    one = fixtures_dir() / "agents" / "backend.md"
    two = fixtures_dir() / "agents" / "backend-developer.md"
    result = runner.invoke(extract, [str(one), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["agent"]["name"] == "backend" and data["schema_version"] == 1
    assert data["requirements"]["http.status-codes"]["params"]["codes"][0] == 200
    result = runner.invoke(extract, [str(one), str(two), "--format", "json"])
    assert [d["agent"]["name"] for d in json.loads(result.output)] == [
        "backend",
        "backend-developer",
    ]
    result = runner.invoke(extract, [str(two), "--format", "yaml"])
    assert (
        result.exit_code == 0
        and yaml.safe_load(result.output)["agent"]["name"] == "backend-developer"
    )
    result = runner.invoke(extract, [str(two)])
    assert result.exit_code == 0 and "Expertise Areas" in result.output and "i84" in result.output
    missing = runner.invoke(extract, [str(tmp_path / "missing.md")])
    assert (
        missing.exit_code == 2
        and "not found" in missing.output
        and "Traceback" not in missing.output
    )
    assert runner.invoke(extract, [str(tmp_path)]).exit_code == 2
    assert runner.invoke(extract, [str(one), "--format", "xml"]).exit_code == 2
    assert runner.invoke(extract, []).exit_code == 2
