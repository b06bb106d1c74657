"""Generation presets run through stand-in agent CLIs of our own: executables named like the real
ones (claude, codex, aider, opencode, gemini) that record their command line and the agent files
they could see, and write a small repo. The real CLIs need keys and a network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from harness._errors import InputError
from harness.batch import (
    PRESETS,
    GenerateError,
    agent_name,
    generate,
    install_agent,
    make_spec,
    preset_command,
)

ROOT = Path(__file__).resolve().parents[2]

STANDIN = textwrap.dedent(
    """
    import json, os, pathlib, sys

    cwd = pathlib.Path.cwd()
    seen = {
        str(p.relative_to(cwd)): p.read_text()
        for p in cwd.rglob("*") if p.is_file() and p.name != "generate.log"
    }
    record = {"name": os.environ["STANDIN_NAME"], "argv": sys.argv[1:], "seen": seen,
              "stdin_tty": sys.stdin.isatty()}
    log = pathlib.Path(os.environ["STANDIN_LOG"])
    log.write_text(json.dumps(record))
    if os.environ.get("STANDIN_FAIL"):
        sys.exit(3)
    (cwd / "app.py").write_text("from flask import Flask\\napp = Flask(__name__)\\n")
    """
)

AGENT = """---
name: api-builder
description: Builds REST backends.
tools: Read, Write, Bash
model: sonnet
---

You are a backend engineer. Hash passwords with bcrypt and use parameterized queries.
"""


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = tmp_path / "standin.py"
    script.write_text(STANDIN)
    for preset in PRESETS.values():
        exe = bindir / preset.executable
        exe.write_text(
            f'#!/bin/sh\nSTANDIN_NAME={preset.executable} exec {sys.executable} {script} "$@"\n'
        )
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("STANDIN_LOG", str(tmp_path / "record.json"))
    # `{python} -m harness` inside the template must import this tree
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    agent = tmp_path / "agents" / "my agent.md"
    agent.parent.mkdir()
    agent.write_text(AGENT)
    task = tmp_path / "task"
    task.mkdir()
    (task / "prompt.md").write_text("Build a todo API; it's a 'quoted' task.\n")
    return {"agent": agent, "task": task, "record": tmp_path / "record.json", "tmp": tmp_path}


def _run(bench: dict[str, Path], preset: str) -> tuple[Path, dict]:
    out = bench["tmp"] / f"out-{preset}"
    generate(
        bench["agent"], bench["task"], out, command=preset_command(preset), cache=False, retries=0
    )
    return out, json.loads(bench["record"].read_text())


PROMPT = "Build a todo API; it's a 'quoted' task.\n"


def test_claude_code_gets_a_project_subagent_and_a_headless_prompt(bench: dict) -> None:
    out, record = _run(bench, "claude-code")
    assert record["name"] == "claude"
    assert record["argv"] == [
        "-p",
        "Use the api-builder subagent for this task, in the current directory. " + PROMPT,
        "--permission-mode",
        "bypassPermissions",
        "--output-format",
        "json",
    ]
    installed = record["seen"][".claude/agents/api-builder.md"]
    assert installed.startswith("---\nname: api-builder\ndescription: Builds REST backends.\n")
    assert "tools: Read, Write, Bash" in installed and "model: sonnet" in installed
    assert installed.rstrip().endswith("use parameterized queries.")
    # the output holds only what the agent wrote
    assert sorted(p.name for p in out.iterdir()) == ["app.py", "generate.log"]


def test_codex_reads_agents_md_and_runs_exec_without_stdin(bench: dict) -> None:
    out, record = _run(bench, "codex")
    assert record["argv"] == [
        "exec",
        "--sandbox",
        "workspace-write",
        "--skip-git-repo-check",
        PROMPT,
    ]
    assert not record["stdin_tty"]
    assert record["seen"]["AGENTS.md"].startswith("You are a backend engineer.")
    assert "---" not in record["seen"]["AGENTS.md"]
    assert not (out / "AGENTS.md").exists()


def test_aider_reads_the_agent_file_read_only(bench: dict) -> None:
    _, record = _run(bench, "aider")
    argv = record["argv"]
    assert argv[argv.index("--read") + 1] == str(bench["agent"].resolve())
    assert Path(argv[argv.index("--message-file") + 1]).read_text() == PROMPT
    assert {"--yes-always", "--no-git"} <= set(argv)
    assert record["seen"] == {}  # nothing installed for aider


def test_opencode_gets_a_primary_agent_file(bench: dict) -> None:
    out, record = _run(bench, "opencode")
    assert record["argv"] == ["run", "--agent", "api-builder", PROMPT]
    installed = record["seen"][".opencode/agent/api-builder.md"]
    assert "mode: primary" in installed and "description: Builds REST backends." in installed
    assert "tools:" not in installed  # OpenCode's tools are a mapping, not Claude's list
    assert not (out / ".opencode").exists()


def test_gemini_reads_gemini_md(bench: dict) -> None:
    _, record = _run(bench, "gemini")
    assert record["argv"] == ["-p", PROMPT, "--yolo"]
    assert record["seen"]["GEMINI.md"].startswith("You are a backend engineer.")


def test_a_failing_cli_fails_the_generation_and_is_cleaned_up(
    bench: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANDIN_FAIL", "1")
    out = bench["tmp"] / "out-fail"
    with pytest.raises(GenerateError, match="exited with status 3"):
        generate(
            bench["agent"],
            bench["task"],
            out,
            command=preset_command("claude-code"),
            cache=False,
            retries=0,
        )
    assert not (out / ".claude").exists()


def test_agent_name_falls_back_to_the_file_name(tmp_path: Path) -> None:
    plain = tmp_path / "Backend Dev.md"
    plain.write_text("No frontmatter here. Use bcrypt.\n")
    assert agent_name(plain) == "backend-dev"
    odd = tmp_path / "x.md"
    odd.write_text("---\nname: Has Spaces!\n---\nbody\n")
    assert agent_name(odd) == "x"


def test_install_refuses_to_overwrite_and_keeps_a_rewritten_file(tmp_path: Path) -> None:
    agent = tmp_path / "a.md"
    agent.write_text(AGENT)
    repo = tmp_path / "repo"
    repo.mkdir()
    path = install_agent(agent, repo, "codex")
    with pytest.raises(InputError, match="already exists"):
        install_agent(agent, repo, "codex")
    path.write_text("the agent's own notes\n")
    install_agent(agent, repo, "codex", remove=True)
    assert path.read_text() == "the agent's own notes\n"


def test_batch_spec_takes_a_preset() -> None:
    spec = make_spec({"agents": ["a.md"], "tasks": ["t"], "preset": "aider"})
    assert spec.command == PRESETS["aider"].template
    with pytest.raises(InputError, match="not both"):
        make_spec({"agents": ["a.md"], "tasks": ["t"], "preset": "aider", "command": "x"})
    with pytest.raises(InputError, match="unknown preset"):
        make_spec({"agents": ["a.md"], "tasks": ["t"], "preset": "cursor"})


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "harness", *args], capture_output=True, text=True, env=env
    )


def test_cli_shows_the_template_and_refuses_two_commands() -> None:
    shown = _cli("generate", "--preset", "codex", "--show-command")
    assert shown.returncode == 0 and shown.stdout.strip() == PRESETS["codex"].template
    both = _cli("generate", "--preset", "codex", "--command", "x", "--agent", "backend")
    assert both.returncode == 2 and "not both" in both.stderr
    unknown = _cli("generate", "--preset", "cursor", "--show-command")
    assert unknown.returncode == 2


def test_cli_generate_with_a_preset_end_to_end(bench: dict) -> None:
    out = bench["tmp"] / "cli-out"
    done = _cli(
        "generate",
        "--agent",
        str(bench["agent"]),
        "--task",
        str(bench["task"]),
        "--out",
        str(out),
        "--preset",
        "claude-code",
        "--no-cache",
    )
    assert done.returncode == 0, done.stderr
    assert (out / "app.py").is_file() and not (out / ".claude").exists()
    assert json.loads(bench["record"].read_text())["name"] == "claude"
