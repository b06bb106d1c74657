"""A parsed agent definition."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from harness._errors import InputError


class Diagnostic(BaseModel):
    """A problem met while reading an agent file; parsing goes on past it."""

    line: int | None = None
    message: str
    severity: str = "warning"  # warning | error


class Agent(BaseModel):
    """An agent definition: frontmatter fields and markdown body.

    ``body_line`` is the 1-based line of the file where the body starts, so that lines reported
    for checklist items point into the original file.
    """

    name: str
    path: str | None = None
    sha256: str
    fields: dict[str, Any] = Field(default_factory=dict)
    description: str = ""
    tools: list[str] = Field(default_factory=list)
    model: str | None = None
    color: str | None = None
    body: str = ""
    body_line: int = 1
    diagnostics: list[Diagnostic] = Field(default_factory=list)


class AgentFileError(InputError):
    """The agent file cannot be read at all (missing, a directory, unreadable)."""
