"""Reading agent files: real-world mess never raises, only unreadable paths do."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness._errors import InputError
from harness._paths import fixtures_dir
from harness.agent import AgentFileError, parse_agent, parse_agent_text
from harness.checklist import extract_checklist

BROKEN_YAML = """---
name: api-builder
description: Use it when: asked.\\n\\nExamples:\\n- <example>user: "build it"</example>
tools: Read, Edit, Bash
model: sonnet
color: green
---

## Rules
- Validate all inputs
"""


def test_invalid_yaml_falls_back_to_line_reader_with_diagnostic() -> None:
    agent = parse_agent_text(BROKEN_YAML)
    assert agent.name == "api-builder"
    assert agent.tools == ["Read", "Edit", "Bash"]
    assert agent.model == "sonnet" and agent.color == "green"
    assert agent.description.startswith("Use it when: asked.")
    assert '"build it"' in agent.description
    diag = agent.diagnostics[0]
    assert diag.line == 3 and "not valid YAML" in diag.message
    assert agent.body_line == 8
    item = extract_checklist(agent).items[0]
    assert item.line == 10 and item.requirements == ["validation.input"]


def test_fixture_frontmatter_with_escaped_newlines() -> None:
    agent = parse_agent(fixtures_dir() / "agents" / "backend.md")
    assert agent.name == "backend" and agent.color == "blue" and agent.model == "sonnet"
    assert agent.description.startswith("Use this agent when you need to generate backend code")
    assert agent.body_line == 7
    assert set(agent.fields) == {"name", "description", "model", "color"}


def test_tools_as_list_and_extra_fields_kept() -> None:
    agent = parse_agent_text(
        "---\nname: x\ntools:\n  - Read\n  - Grep\nmode: primary\ncreated: 2024-05-01\n---\nbody\n"
    )
    assert agent.tools == ["Read", "Grep"]
    assert agent.fields["mode"] == "primary"
    assert agent.fields["created"] == "2024-05-01"  # dates become JSON-safe strings
    assert agent.diagnostics == []


def test_no_frontmatter_uses_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "my-agent.md"
    path.write_text("# Rules\n- Use HTTPS\n", encoding="utf-8")
    agent = parse_agent(path)
    assert agent.name == "my-agent" and agent.fields == {} and agent.body_line == 1
    assert extract_checklist(agent).items[0].line == 2


def test_bom_crlf_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(
        b"\xef\xbb\xbf---\r\nname: crlf\r\ntools: Read,\tEdit\r\n---\r\n"
        b"# Rules\r\n-\tHash passwords with bcrypt\r\n"
    )
    agent = parse_agent(path)
    assert agent.name == "crlf" and agent.tools == ["Read", "Edit"]
    assert "\r" not in agent.body
    item = extract_checklist(agent).items[0]
    assert item.line == 6 and item.requirements == ["auth.password-hashing"]


def test_tab_indented_frontmatter_is_read_line_by_line() -> None:
    agent = parse_agent_text("---\nname:\ttabby\ndescription: a: b\n\tcontinued\n---\nbody\n")
    assert agent.name == "tabby"
    assert agent.description == "a: b continued"  # an indented line continues the value
    assert any("not valid YAML" in d.message for d in agent.diagnostics)


def test_empty_body_and_empty_file() -> None:
    agent = parse_agent_text("---\nname: empty\n---\n")
    assert agent.body.strip() == "" and any("empty" in d.message for d in agent.diagnostics)
    assert extract_checklist(agent).items == []
    blank = parse_agent_text("")
    assert blank.name == "agent" and extract_checklist(blank).items == []


def test_unclosed_frontmatter_reads_everything_as_body() -> None:
    agent = parse_agent_text("---\nname: open\n# Rules\n- Use parameterized queries\n")
    assert agent.body_line == 1 and "never closed" in agent.diagnostics[0].message
    assert extract_checklist(agent).requirements.keys() >= {"sql.parameterized"}


def test_frontmatter_fence_variants() -> None:
    dashes = parse_agent_text("---\n\nname: dash\nmodel: x\n-------------\n# Rules\n- Use HTTPS\n")
    assert dashes.name == "dash" and dashes.body_line == 6
    toml = parse_agent_text('+++\nname = "tom"\ntools = ["Read", "Grep"]\n+++\n- Use CORS\n')
    assert toml.name == "tom" and toml.tools == ["Read", "Grep"] and toml.body_line == 5
    bad_toml = parse_agent_text("+++\nname = not quoted\n+++\nbody\n")
    assert bad_toml.name == "not quoted" and "TOML" in bad_toml.diagnostics[0].message
    commented = parse_agent_text("<!-- generated -->\n\n---  \nname: c\n---\nbody\n")
    assert commented.name == "c" and commented.body_line == 6
    assert "comment" in commented.diagnostics[0].message


def test_unclosed_frontmatter_stops_at_the_first_heading() -> None:
    text = "---\nname: open\n\n# Rules\n- Validate all inputs\n\n---\n\n- Use HTTPS\n"
    agent = parse_agent_text(text)
    assert agent.name == "open" and agent.body_line == 4
    assert "never closed before the markdown on line 4" in agent.diagnostics[0].message
    assert set(extract_checklist(agent).requirements) == {"validation.input", "http.https"}


def test_non_mapping_frontmatter() -> None:
    agent = parse_agent_text("---\n- a\n- b\n---\nbody\n", name="given")
    assert agent.name == "given"
    assert "not a mapping" in agent.diagnostics[0].message


def test_invalid_utf8_is_replaced_with_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(b"---\nname: bad\n---\n# Rules\n- Caf\xe9 owners: use HTTPS\n")
    agent = parse_agent(path)
    diag = agent.diagnostics[0]
    assert diag.line == 5 and "invalid UTF-8" in diag.message
    assert "\ufffd" in agent.body
    assert "http.https" in extract_checklist(agent).requirements


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.md"
    path.write_bytes("---\nname: wide\n---\n- Use CORS\n".encode("utf-16"))
    agent = parse_agent(path)
    assert agent.name == "wide" and "UTF-16" in agent.diagnostics[0].message


def test_one_megabyte_file(tmp_path: Path) -> None:
    block = "## Rules\n- Validate all inputs\n- Never log passwords\n\nSome prose here.\n\n"
    path = tmp_path / "big.md"
    path.write_text("---\nname: big\n---\n" + block * (1_000_000 // len(block) + 1))
    assert path.stat().st_size >= 1_000_000
    checklist = extract_checklist(parse_agent(path))
    assert len(checklist.items) > 20_000
    assert set(checklist.requirements) == {"validation.input", "logging.no-sensitive"}


def test_missing_file_and_directory_raise_input_errors(tmp_path: Path) -> None:
    with pytest.raises(AgentFileError) as missing:
        parse_agent(tmp_path / "nope.md")
    assert isinstance(missing.value, InputError) and "\n" not in str(missing.value)
    assert "not found" in str(missing.value)
    with pytest.raises(AgentFileError, match="directory"):
        parse_agent(tmp_path)


_frontmatterish = st.lists(
    st.one_of(
        st.sampled_from(
            ["---", "name: x", "tools: [Read", "description: a: b", "\t- y", "...", "|", "key:"]
        ),
        st.text(max_size=30),
    ),
    max_size=15,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(_frontmatterish, st.text(max_size=200))
def test_parse_never_raises_on_frontmatterish_text(front: str, body: str) -> None:
    agent = parse_agent_text(f"---\n{front}\n---\n{body}")
    assert agent.name and agent.body_line >= 1
    extract_checklist(agent)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_parse_never_raises_on_arbitrary_bytes(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("b") / "x.md"
    path.write_bytes(raw)
    extract_checklist(parse_agent(path))
