"""Which files of a repo static verification reads: sources and schema files, tests apart, as
the one walker of ``harness.app`` lists them."""

from __future__ import annotations

from pathlib import Path

from harness.app import is_test_path, read_text
from harness.static._model import SourceFile

EXTENSIONS = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".go": "go",
    ".sql": "sql",
    ".prisma": "prisma",
}


def load_sources(repo: Path, all_files: list[str]) -> tuple[list[SourceFile], list[str]]:
    """Source and schema files (tests excluded) and the list of test files."""
    sources: list[SourceFile] = []
    tests: list[str] = []
    for rel in all_files:
        if rel.endswith(".d.ts"):
            continue
        language = EXTENSIONS.get(Path(rel).suffix.lower())
        if language is None:
            continue
        if is_test_path(rel):
            tests.append(rel)
            continue
        text = read_text(repo / rel)
        if text is not None:
            sources.append(SourceFile(rel, language, text))
    return sources, tests
