"""What static verification works on and hands back: the repo's source files, the context a check
receives, and the run's result."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from harness.app._model import AppProfile
from harness.scorecard._model import CheckResult, Finding

SOURCE_LANGUAGES = ("python", "javascript", "typescript", "go")


class StaticRun(BaseModel):
    """Results of every static check that ran, the located findings behind them, the analyzer
    versions and where the time went."""

    results: list[CheckResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    tools: dict[str, str] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    files_scanned: int = 0
    notes: list[str] = Field(default_factory=list)
    # files an analyzer could not read (parse errors, timeouts): "semgrep: app.py (Syntax error)"
    skipped: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Location:
    """Where something was seen: a file relative to the repo, a 1-based line and the line's text."""

    file: str
    line: int
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class SourceFile:
    """One file the checks read. ``language`` is python, javascript, typescript, or a schema
    language (sql, prisma) for files that only facts look at."""

    path: str
    language: str
    text: str
    is_test: bool = False
    tree_misses: int = 0

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def _parsed(self) -> tuple[ast.Module | None, str | None]:
        if self.language != "python":
            return None, None
        try:
            return ast.parse(self.text), None
        except SyntaxError as exc:
            return None, f"line {exc.lineno}: {exc.msg}"
        except (ValueError, RecursionError, MemoryError) as exc:
            return None, f"{type(exc).__name__}: {exc}"

    @property
    def tree(self) -> ast.Module | None:
        """The Python syntax tree, or None when the file does not parse (or is not Python).
        Asking for the tree of a file that does not parse is counted in ``tree_misses`` so that
        a check can say which files it could not look into."""
        tree, error = self._parsed
        if error is not None:
            self.tree_misses += 1
        return tree

    @property
    def parse_error(self) -> str | None:
        """Why the Python file does not parse (None when it does, or is not Python)."""
        return self._parsed[1]

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def location(self, line: int) -> Location:
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return Location(self.path, line, text[:200])

    def search(self, pattern: str | re.Pattern[str]) -> list[Location]:
        rx = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        return [self.location(self.line_of(m.start())) for m in rx.finditer(self.text)]


@dataclass
class StaticContext:
    """Everything a static check may look at. Checks read; they never change the repo."""

    repo: Path
    profile: AppProfile
    files: list[SourceFile]  # sources (tests excluded) plus schema files
    test_files: list[str]  # relative paths of test files
    all_files: list[str]  # every file outside excluded directories, relative
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, list[Location]] = field(default_factory=dict, repr=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def sources(self) -> list[SourceFile]:
        return [f for f in self.files if f.language in SOURCE_LANGUAGES]

    def sources_in(self, *languages: str) -> list[SourceFile]:
        return [f for f in self.files if f.language in languages]

    @cached_property
    def languages(self) -> set[str]:
        return {f.language for f in self.sources}

    def file(self, path: str) -> SourceFile | None:
        return next((f for f in self.files if f.path == path), None)

    def options_for(self, check_id: str, defaults: dict[str, Any]) -> dict[str, Any]:
        return {**defaults, **self.options.get(check_id, {})}

    def param(self, requirement: str, name: str, default: Any = None) -> Any:
        return (self.params.get(requirement) or {}).get(name, default)

    def fact(self, name: str) -> list[Location]:
        """Where a named fact (checks/static.yaml) holds; empty when it does not."""
        return self.facts.get(name, [])

    def search(self, pattern: str, *languages: str) -> list[Location]:
        """Matches of a regex over the source files (of the given languages, default all)."""
        rx = re.compile(pattern, re.M)
        files = self.sources_in(*languages) if languages else self.sources
        return [loc for f in files for loc in f.search(rx)]
