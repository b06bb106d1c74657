"""checks/static.yaml as typed records: the named facts and the data checks (semgrep rules,
bandit test ids and presence checks), registered in the one check registry."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from harness._paths import checks_dir
from harness.catalogue import CheckSpec, register
from harness.scorecard._model import Severity
from harness.static._model import SourceFile, StaticContext


class DataCheck(BaseModel):
    """One entry of checks/static.yaml ``checks``."""

    id: str
    requirement: str
    tool: Literal["semgrep", "bandit", "harness"]
    title: str
    languages: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    applies_when: str | None = None
    absent: str = ""
    good: str | None = None
    safe_when_absent: str | None = None  # if applies_when is absent but this fact holds: pass
    keep_snippet: str | None = None
    drop_snippet: str | None = None
    drop_when: list[str] = Field(default_factory=list)  # named provers (_evaluate.DROP_PROVERS)
    severity: Severity | None = None
    requires: list[str] = Field(default_factory=list)  # presence checks: facts that must hold
    missing: str = ""  # presence checks: why it fails when a required fact is absent
    forbids: list[str] = Field(default_factory=list)  # presence checks: facts that fail it
    fails: str = ""  # docs: when it fails, where the title and rules do not say it all
    passes: str = ""  # docs: when it passes, likewise


class Catalogue(BaseModel):
    facts: dict[str, dict[str, list[str] | str]]
    checks: dict[str, DataCheck]

    def rule_to_check(self, tool: str) -> dict[str, str]:
        return {r: c.id for c in self.checks.values() if c.tool == tool for r in c.rules}


@cache
def requirement_severity(requirement: str) -> Severity:
    data = yaml.safe_load((checks_dir() / "severity.yaml").read_text(encoding="utf-8")) or {}
    return Severity(data.get(requirement, data.get("default", "medium")))


@cache
def load_catalogue(path: Path | None = None) -> Catalogue:
    raw = yaml.safe_load((path or checks_dir() / "static.yaml").read_text(encoding="utf-8"))
    checks = {cid: DataCheck(id=cid, **fields) for cid, fields in (raw.get("checks") or {}).items()}
    catalogue = Catalogue(facts=raw.get("facts") or {}, checks=checks)
    for check in checks.values():
        for name in [
            check.applies_when,
            check.good,
            check.safe_when_absent,
            *check.requires,
            *check.forbids,
        ]:
            if name and name not in catalogue.facts:
                raise ValueError(
                    f"checks/static.yaml: check {check.id} names unknown fact {name!r}"
                )
    return catalogue


def rules_dir() -> Path:
    return checks_dir() / "semgrep"


def register_data_checks() -> list[CheckSpec]:
    specs = []
    for c in load_catalogue().checks.values():
        specs.append(
            register(
                CheckSpec(
                    id=c.id,
                    requirement=c.requirement,
                    kind="static",
                    title=c.title,
                    severity=c.severity or requirement_severity(c.requirement),
                    languages=tuple(c.languages),
                    tool=c.tool,
                    rules=tuple(c.rules),
                )
            )
        )
    return specs


def _fact_languages(key: str) -> tuple[str, ...]:
    return ("javascript", "typescript") if key == "javascript" else (key,)


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    def scoped(p: str) -> str:  # a leading (?i) must become a scoped flag inside an alternation
        return f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})"

    return re.compile("|".join(scoped(p) for p in patterns), re.M)


def compute_facts(files: list[SourceFile], *, limit: int = 50) -> dict[str, list]:
    """Every fact's locations (at most ``limit`` each) over the files."""
    out: dict[str, list] = {}
    for name, per_language in load_catalogue().facts.items():
        found: list = []
        skip = (
            re.compile(per_language["exclude_paths"]) if "exclude_paths" in per_language else None
        )
        for key, patterns in per_language.items():
            if key == "exclude_paths":
                continue
            rx = _compiled(tuple(patterns))
            for f in files:
                if f.language not in _fact_languages(key) or (skip and skip.search(f.path)):
                    continue
                for m in rx.finditer(f.text):
                    found.append(f.location(f.line_of(m.start())))
                    if len(found) >= limit:
                        break
                if len(found) >= limit:
                    break
        if found:
            out[name] = found
    return out


def attach_facts(ctx: StaticContext) -> None:
    ctx.facts = compute_facts(ctx.files)
