"""The CI examples in docs/ci stay in step with the command line they call."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import yaml

from harness.cli import main

DOCS = Path(__file__).parents[2] / "docs" / "ci"


def _commands() -> list[list[str]]:
    workflow = yaml.safe_load((DOCS / "github-actions.yml").read_text(encoding="utf-8"))
    scripts = [s["run"] for s in workflow["jobs"]["harness"]["steps"] if "run" in s]
    hooks = yaml.safe_load((DOCS / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    scripts += [shlex.split(h["entry"])[2] for r in hooks["repos"] for h in r["hooks"]]
    out = []
    for script in scripts:
        script = script.replace("\\\n", " ")
        for part in re.split(r"\|\||;|\n", script):
            words = shlex.split(part)
            if words and words[0] == "harness":
                out.append(words[1:])
    return out


def _options(command: click.Command) -> set[str]:
    return {o for p in command.params for o in getattr(p, "opts", [])}


def test_every_harness_call_in_the_examples_parses() -> None:
    calls = _commands()
    assert {c[0] for c in calls} >= {"score", "gate"}
    for args in calls:
        command = main.commands[args[0]]
        assert isinstance(command, click.Command)
        used = {a.split("=")[0] for a in args[1:] if a.startswith("--")}
        assert used <= _options(command), f"harness {args[0]}: unknown {used - _options(command)}"
