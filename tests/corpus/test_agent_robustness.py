"""Every agent file we hold (fixtures + tests/corpus/agents), and broken variants of each, parses
to an Agent and extracts without raising; broken frontmatter leaves a diagnostic; items point at
lines of their file; files with checklists yield mapped items."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness._paths import fixtures_dir
from harness.agent import parse_agent, parse_agent_text
from harness.checklist import extract_checklist

FILES = sorted((fixtures_dir() / "agents").glob("*.md")) + sorted(
    p for p in (Path(__file__).parent / "agents").iterdir() if p.suffix in (".md", ".mdc")
)


def _split(text: str) -> tuple[str, str]:
    """(frontmatter lines without fences, body) of a '---' file; ('', text) otherwise."""
    lines = text.split("\n")
    if lines[0].strip() == "---":
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        return "\n".join(lines[1:close]), "\n".join(lines[close + 1 :])
    return "", text


def _unclosed(text: str) -> str:
    front, body = _split(text)
    return f"---\n{front}\n{body}"


def _long_dashes(text: str) -> str:
    front, body = _split(text)
    return f"---   \n{front}\n-------------\n{body}"


def _toml(text: str) -> str:
    front, body = _split(text)
    keys = [line.split(":", 1) for line in front.split("\n") if ":" in line and line[:1].isalpha()]
    toml = "\n".join(f'{k.strip()} = "{v.strip()}"' for k, v in keys)
    return f"+++\n{toml}\n+++\n{body}"


def _tabs_and_xml(text: str) -> str:
    _, body = _split(text)
    return (
        '---\nname:\tbroken\ndescription: Use when: asked.\\n<example>user: "x"</example>\n'
        f"\ttools: Read\n---\n{body}"
    )


def _decorated(text: str) -> str:
    front, body = _split(text)
    body = body.replace("\n## ", "\n## 🔒 ").replace("\n- ", "\n> - ")
    return f"<!-- header comment -->\n\n---\n{front}\n---\n{body}\n<!-- end -->\n"


def _crlf_bom(text: str) -> str:
    return "\ufeff" + text.replace("\n", "\r\n")


def _one_long_line(text: str) -> str:
    return text + "\n" + ("Always validate input and never log secrets. " * 4000) + "\n"


VARIANTS: dict[str, Callable[[str], str]] = {
    "unclosed": _unclosed,
    "long-dashes": _long_dashes,
    "toml": _toml,
    "tabs-xml": _tabs_and_xml,
    "decorated": _decorated,
    "crlf-bom": _crlf_bom,
    "long-line": _one_long_line,
}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_parses_and_maps(path: Path) -> None:
    agent = parse_agent(path)
    checklist = extract_checklist(agent)
    assert agent.name
    lines = path.read_text(encoding="utf-8").splitlines()
    for item in checklist.items:
        assert item.line is not None and 1 <= item.line <= len(lines)
        assert item.requirements or item.reason in ("not-about-code", "too-vague", "unknown")
    if checklist.items and path.stem not in ("data-scientist", "ml-engineer"):
        assert any(item.requirements for item in checklist.items), path.name


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_broken_variants_never_raise(path: Path, variant: str) -> None:
    text = path.read_text(encoding="utf-8")
    broken = VARIANTS[variant](text)
    agent = parse_agent_text(broken, path=f"/tmp/{path.name}")
    checklist = extract_checklist(agent)
    assert agent.name
    n_lines = broken.replace("\r\n", "\n").count("\n") + 1
    assert all(i.line is None or 1 <= i.line <= n_lines for i in checklist.items)
    if variant == "unclosed" and text.startswith("---"):
        assert any("never closed" in d.message for d in agent.diagnostics)
    if variant == "tabs-xml":
        assert agent.name == "broken" and any("YAML" in d.message for d in agent.diagnostics)
    if variant in ("long-dashes", "toml", "decorated", "crlf-bom") and text.startswith("---"):
        original = parse_agent(path)
        assert agent.body_line > 1, variant
        assert set(checklist.requirements) == set(extract_checklist(original).requirements)
