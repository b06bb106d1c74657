"""Generation presets: the agent CLIs people use, each as a documented command template.

A preset is only a command template (see :func:`harness.batch.generate`), so a batch, the Ray
engine and the output cache treat it like any template a user writes; ``harness generate --preset
NAME --show-command`` prints it for copying and editing. Where a CLI reads agent definitions from
the project folder (Claude Code subagents, OpenCode agents, Codex's ``AGENTS.md``, Gemini's
``GEMINI.md``), the template first runs ``harness install-agent`` to put the agent file there in
the CLI's own format, and removes it after the run, so that the output holds only what the agent
wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness._errors import InputError
from harness.agent import parse_agent

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class InstallTarget:
    """Where one agent CLI reads an agent definition inside the project folder."""

    name: str
    path: str  # relative to the output folder; ``{agent_name}`` is filled in
    frontmatter: bool  # a markdown file with YAML frontmatter (else the body alone)
    extra: tuple[tuple[str, str], ...] = ()  # frontmatter fields this CLI requires


TARGETS: dict[str, InstallTarget] = {
    t.name: t
    for t in (
        InstallTarget("claude-code", ".claude/agents/{agent_name}.md", frontmatter=True),
        InstallTarget(
            "opencode",
            ".opencode/agent/{agent_name}.md",
            frontmatter=True,
            extra=(("mode", "primary"),),
        ),
        InstallTarget("codex", "AGENTS.md", frontmatter=False),
        InstallTarget("gemini", "GEMINI.md", frontmatter=False),
    )
}


@dataclass(frozen=True)
class Preset:
    """A named command template for one agent CLI."""

    name: str
    executable: str
    template: str
    about: str


def _wrapped(target: str, run: str) -> str:
    """``run`` between installing the agent file for ``target`` and removing it; the CLI's exit
    status is the command's."""
    install = f"{{python}} -m harness install-agent --for {target} {{agent}} ."
    return f"sh -c '{install} && {run}; status=$?; {install} --remove; exit $status'"


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "claude-code",
            "claude",
            _wrapped(
                "claude-code",
                'claude -p "Use the {agent_name} subagent for this task, in the current '
                'directory. "{prompt_text} --permission-mode bypassPermissions '
                "--output-format json",
            ),
            "Claude Code, headless (`claude -p`); the agent file installed as a project subagent "
            "under .claude/agents/ and named in the prompt.",
        ),
        Preset(
            "codex",
            "codex",
            _wrapped(
                "codex",
                "codex exec --sandbox workspace-write --skip-git-repo-check {prompt_text} "
                "</dev/null",
            ),
            "Codex CLI, non-interactive (`codex exec`); the agent file's body as AGENTS.md.",
        ),
        Preset(
            "aider",
            "aider",
            "aider --yes-always --no-git --no-auto-commits --no-check-update --read {agent} "
            "--message-file {prompt}",
            "Aider, one message (`--message-file`); the agent file as read-only context.",
        ),
        Preset(
            "opencode",
            "opencode",
            _wrapped("opencode", "opencode run --agent {agent_name} {prompt_text}"),
            "OpenCode, non-interactive (`opencode run`); the agent file installed as a primary "
            "agent under .opencode/agent/.",
        ),
        Preset(
            "gemini",
            "gemini",
            _wrapped("gemini", "gemini -p {prompt_text} --yolo"),
            "Gemini CLI, non-interactive (`gemini -p`); the agent file's body as GEMINI.md.",
        ),
    )
}


def preset_command(name: str) -> str:
    """The command template of preset ``name``."""
    try:
        return PRESETS[name].template
    except KeyError:
        raise InputError(
            f"unknown preset {name!r}; choose one of {', '.join(sorted(PRESETS))}"
        ) from None


def command_from(command: str | None, preset: str | None) -> str | None:
    """The template to run: ``command`` or ``preset``'s, never both."""
    if command and preset:
        raise InputError("give --command or --preset, not both")
    return preset_command(preset) if preset else command


def agent_name(agent: Path) -> str:
    """The name an agent CLI knows the agent by: its frontmatter ``name`` when that is a plain
    identifier, else its file name."""
    name = parse_agent(agent).fields.get("name")
    if isinstance(name, str) and _SLUG.match(name.strip().lower()):
        return name.strip().lower()
    stem = re.sub(r"[^a-z0-9_-]+", "-", agent.stem.lower()).strip("-_")
    return stem or "agent"


def _rendered(agent: Path, target: InstallTarget) -> str:
    parsed = parse_agent(agent)
    body = parsed.body.strip() + "\n"
    if not target.frontmatter:
        return body
    front: dict[str, object] = {
        "name": agent_name(agent),
        "description": parsed.description.strip() or f"{agent_name(agent)} agent",
    }
    if parsed.tools:
        front["tools"] = ", ".join(parsed.tools)
    if parsed.model:
        front["model"] = parsed.model
    front.update(dict(target.extra))
    if target.name == "opencode":
        front.pop("name")  # OpenCode names an agent by its file; tools there are a mapping
        front.pop("tools", None)
        front.pop("model", None)  # its model ids are provider/model, not Claude aliases
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{header}---\n\n{body}"


def install_agent(agent: Path, folder: Path, target: str, *, remove: bool = False) -> Path:
    """Write ``agent`` where the CLI ``target`` reads it inside ``folder`` (or, with ``remove``,
    delete that file if it still holds what was installed, and the folders left empty)."""
    if target not in TARGETS:
        raise InputError(f"unknown target {target!r}; choose one of {', '.join(sorted(TARGETS))}")
    spec = TARGETS[target]
    path = folder / spec.path.format(agent_name=agent_name(agent))
    text = _rendered(agent, spec)
    if remove:
        # an agent that rewrote the file made it part of its output
        if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == text:
            path.unlink()
            for parent in path.parents:
                if parent == folder or not parent.is_relative_to(folder):
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break
        return path
    if path.exists():
        raise InputError(f"{path} already exists; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
