"""The gate policy: what a team lets through. A small YAML file, checked strictly: an unknown
key, requirement id or value is an error naming its line, because a typo in a gate must never
quietly turn a check off."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from harness._errors import InputError
from harness.catalogue._requirements import load_requirements
from harness.scorecard._model import Severity

Action = Literal["FAIL", "WARN", "IGNORE"]
ACTIONS: tuple[Action, ...] = ("FAIL", "WARN", "IGNORE")
POLICY_VERSION = 1


class RequirementPolicy(BaseModel):
    action: Action | None = None  # None: derived from the requirement's severity and fail_on
    min_score: float | None = Field(None, ge=0, le=1)


class Policy(BaseModel):
    version: int = POLICY_VERSION
    min_score: float | None = Field(None, ge=0, le=1)
    fail_on: Severity = Severity.high
    errors: Literal["fail", "warn"] = "fail"
    requirements: dict[str, RequirementPolicy] = Field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Check options by check id or requirement id (`harness score --policy` passes them on)."""

    def action_for(self, requirement: str, severity: Severity) -> Action:
        own = self.requirements.get(requirement)
        if own is not None and own.action is not None:
            return own.action
        return "FAIL" if severity.at_least(self.fail_on) else "WARN"

    def min_score_for(self, requirement: str) -> float | None:
        own = self.requirements.get(requirement)
        return own.min_score if own is not None else None


def parse_score(value: Any, where: str) -> float:
    """A score floor: 0..1, or a percentage such as ``"70%"``."""
    text = str(value).strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a score; use 0..1 or a percentage") from None
    if isinstance(value, bool) or not 0 <= number <= 1:
        raise InputError(f"{where}: score {value!r} is out of range; use 0..1 or 0%..100%")
    return number


def parse_severity(value: Any, where: str) -> Severity:
    try:
        return Severity(str(value).strip().lower())
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a severity; use high, medium or low") from None


class _Reader:
    """Walks the YAML node tree so that every error can name its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.loader = yaml.SafeLoader("")

    def at(self, node: yaml.Node) -> str:
        return f"{self.source}:{node.start_mark.line + 1}"

    def scalar(self, node: yaml.Node, key: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise InputError(f"{self.at(node)}: {key} must be a single value, not a list or map")
        return self.loader.construct_object(node)

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode) and self.loader.construct_object(node) is None:
            return []
        if not isinstance(node, yaml.MappingNode):
            raise InputError(f"{self.at(node)}: {what} must be a mapping of key: value")
        seen: set[str] = set()
        out = []
        for key_node, value_node in node.value:
            key = str(self.scalar(key_node, "a key"))
            if key in seen:
                raise InputError(f"{self.at(key_node)}: {key!r} appears twice in {what}")
            seen.add(key)
            out.append((key, key_node, value_node))
        return out


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _action(reader: _Reader, node: yaml.Node, rid: str) -> Action:
    value = reader.scalar(node, rid)
    text = str(value).strip().upper() if isinstance(value, str) else None
    if text not in ACTIONS:
        raise InputError(
            f"{reader.at(node)}: {rid}: {value!r} is not an action; use FAIL, WARN or IGNORE"
        )
    return text  # type: ignore[return-value]


def _requirement(reader: _Reader, node: yaml.Node, rid: str) -> RequirementPolicy:
    if isinstance(node, yaml.ScalarNode):
        return RequirementPolicy(action=_action(reader, node, rid))
    entry = RequirementPolicy()
    for key, key_node, value_node in reader.mapping(node, rid):
        if key == "action":
            entry.action = _action(reader, value_node, rid)
        elif key == "min_score":
            value = reader.scalar(value_node, key)
            entry.min_score = None if value is None else parse_score(value, reader.at(value_node))
        else:
            raise InputError(
                f"{reader.at(key_node)}: {rid}: unknown key {key!r}; use action and min_score"
            )
    return entry


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{source}{line}: policy is not valid YAML: {problem}") from None
    policy = Policy()
    if root is None:
        return policy
    known = load_requirements()
    for key, key_node, value_node in reader.mapping(root, "the policy"):
        where = reader.at(value_node)
        if key == "version":
            value = reader.scalar(value_node, key)
            if value != POLICY_VERSION:
                raise InputError(f"{where}: policy version {value!r} is not {POLICY_VERSION}")
        elif key == "min_score":
            value = reader.scalar(value_node, key)
            policy.min_score = None if value is None else parse_score(value, where)
        elif key == "fail_on":
            policy.fail_on = parse_severity(reader.scalar(value_node, key), where)
        elif key == "errors":
            value = str(reader.scalar(value_node, key)).strip().lower()
            if value not in ("fail", "warn"):
                raise InputError(f"{where}: errors must be fail or warn, not {value!r}")
            policy.errors = value  # type: ignore[assignment]
        elif key == "requirements":
            for rid, rid_node, entry_node in reader.mapping(value_node, "requirements"):
                if rid not in known:
                    raise InputError(
                        f"{reader.at(rid_node)}: unknown requirement id {rid!r}"
                        f"{_suggest(rid, list(known))}; `harness policy init` lists them all"
                    )
                policy.requirements[rid] = _requirement(reader, entry_node, rid)
        elif key == "checks":
            policy.checks = _checks(reader, value_node)
        else:
            known_keys = ["version", "min_score", "fail_on", "errors", "requirements", "checks"]
            raise InputError(
                f"{reader.at(key_node)}: unknown policy key {key!r}{_suggest(key, known_keys)}"
            )
    return policy


def _checks(reader: _Reader, node: yaml.Node) -> dict[str, dict[str, Any]]:
    """The ``checks:`` section: options per check id or requirement id, each validated against
    the check's options model, the error naming its line."""
    from harness._score import load_checks
    from harness.catalogue import check_options, registered_checks

    load_checks()
    specs = registered_checks()
    out: dict[str, dict[str, Any]] = {}
    for cid, cid_node, entry in reader.mapping(node, "checks"):
        values = {
            name: reader.scalar(value_node, name)
            for name, _, value_node in reader.mapping(entry, cid)
        }
        check_options(specs, {cid: values}, where=reader.at(cid_node))
        out[cid] = values
    return out


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"policy {str(path)!r} not found; write one with `harness policy init {path}`"
        ) from None
    return parse_policy(text, str(path))


def policy_template() -> str:
    """A commented policy listing every requirement with its default action."""
    requirements = load_requirements()
    width = max(len(rid) for rid in requirements) + 1
    lines = [
        "# Gate policy for `harness gate SCORECARD --policy FILE` (exit 0 pass, 1 fail, 2 usage).",
        '# The rules are in docs/reports.md, "The gate". Every key is optional.',
        f"version: {POLICY_VERSION}",
        "",
        "# Fail when the overall score (0..1, severity-weighted) is below this; null: no floor.",
        "min_score: null",
        "",
        "# A requirement not listed below FAILs the gate when it fails and its severity is at",
        "# least this (high, medium or low); below it, a failure only WARNs.",
        "fail_on: high",
        "",
        "# A requirement the harness could not check (verdict error) fails the gate; `warn` lets",
        "# it through with a warning.",
        "errors: fail",
        "",
        "# Per requirement: FAIL, WARN or IGNORE, or {action: FAIL, min_score: 0.8} to tolerate a",
        "# partly kept promise scoring at least 0.8. The lines below are the defaults at",
        "# fail_on: high; uncomment one to override it.",
        "requirements:",
    ]
    group = None
    for rid, req in requirements.items():
        if req.group != group:
            group = req.group
            lines.append(f"  # --- {group} ---")
        action = "FAIL" if req.severity == Severity.high else "WARN"
        lines.append(
            f"  # {(rid + ':').ljust(width)} {action:<6} # {req.severity.value}: {req.title}"
        )
    lines += [
        "",
        "# Check options, by check id or requirement id (`harness checks --docs static|probes`",
        "# lists each check's options and defaults). `harness score --policy` applies them; an",
        "# unknown check or option is an error. For example:",
        "checks:",
        "  # live.latency: {requests: 100, concurrency: 10}",
        "  # code.typed.coverage: {min_ratio: 0.8}",
        "  # live.graceful-shutdown: {enabled: false}",
    ]
    return "\n".join(lines) + "\n"
