"""The checklist: every promise an agent makes, mapped to requirement ids."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from harness.agent._model import Agent

CHECKLIST_SCHEMA_VERSION = 1


class Mapping(BaseModel):
    """Why an item maps to a requirement: the phrase (or keyword rule) that matched."""

    requirement: str
    phrase: str  # the words of the item that matched
    rule: str = "phrase"  # phrase | keyword | context | example
    pattern: str | None = None  # the pattern in checks/phrases.yaml that matched


class ChecklistItem(BaseModel):
    id: str  # stable within the checklist: "i1", "i2", ... in document order
    text: str
    section: list[str] = Field(default_factory=list)  # heading path
    line: int | None = None  # 1-based line in the agent file
    polarity: Literal["do", "dont"] = "do"
    # bullet | numbered | task | bold-lead | sentence | enumeration | frontmatter | code
    kind: str = "bullet"
    context: list[str] = Field(default_factory=list)  # parent list items' words
    requirements: list[str] = Field(default_factory=list)
    mappings: list[Mapping] = Field(default_factory=list)
    # why it maps to nothing: not-about-code | not-promised | too-vague | unknown
    reason: str | None = None


class RequirementUse(BaseModel):
    """A requirement the agent promises: which items promise it, with the agent's specifics."""

    items: list[str] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)


class SectionDecision(BaseModel):
    """Whether a section's lists were read as promises, and why."""

    section: list[str]
    line: int | None = None
    promises: bool
    reason: str
    items: int = 0  # list items (or sentences) the decision covers
    # For sections read as not promising: the requirements their items would have mapped to, so a
    # stricter reader can see what was left out (e.g. "Rate limiting" under "Expertise Areas").
    weak_requirements: list[str] = Field(default_factory=list)


class Checklist(BaseModel):
    schema_version: int = CHECKLIST_SCHEMA_VERSION
    agent: Agent
    items: list[ChecklistItem] = Field(default_factory=list)
    requirements: dict[str, RequirementUse] = Field(default_factory=dict)
    sections: list[SectionDecision] = Field(default_factory=list)

    def params(self, requirement: str) -> dict[str, Any]:
        use = self.requirements.get(requirement)
        return use.params if use else {}
