"""The requirement vocabulary (checks/requirements.yaml) as typed records."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from harness._paths import checks_dir
from harness.scorecard._model import Severity

EvidenceKind = Literal["static", "live", "both", "manual"]


class Requirement(BaseModel):
    id: str
    group: str
    title: str
    evidence: EvidenceKind
    pass_: str = Field("", alias="pass")
    fail: str = ""
    phrases: list[str] = Field(default_factory=list)
    cwe: list[int] = Field(default_factory=list)
    severity: Severity = Severity.medium

    model_config = {"populate_by_name": True}

    @field_validator("phrases", mode="before")
    @classmethod
    def _phrases_as_text(cls, value: list) -> list[str]:
        # YAML reads "[..., (200, 201)]" as separate scalars, some of them ints
        return [str(v) for v in value or []]

    @property
    def static(self) -> bool:
        return self.evidence in ("static", "both")

    @property
    def live(self) -> bool:
        return self.evidence in ("live", "both")


@cache
def load_requirements(path: Path | None = None) -> dict[str, Requirement]:
    """Every requirement id in the vocabulary, in file order."""
    root = checks_dir()
    vocabulary = yaml.safe_load((path or root / "requirements.yaml").read_text(encoding="utf-8"))
    severities = yaml.safe_load((root / "severity.yaml").read_text(encoding="utf-8")) or {}
    out: dict[str, Requirement] = {}
    for group, entries in vocabulary.items():
        for rid, fields in (entries or {}).items():
            severity = severities.get(rid, severities.get("default", "medium"))
            out[rid] = Requirement(id=rid, group=group, severity=severity, **fields)
    return out
