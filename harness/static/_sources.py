"""Which files of a repo static verification reads, and a first guess at the app's language and
framework when no profile is handed in."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from harness.app._model import AppProfile
from harness.static._model import SourceFile

# Directories that hold dependencies, build output or tool state, never the app's own code.
EXCLUDED_DIRS = frozenset(
    {
        "node_modules",
        ".venv",
        "venv",
        "env",
        ".env",
        "dist",
        "build",
        "__pycache__",
        ".git",
        ".hg",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        "coverage",
        ".next",
        ".cache",
        "bower_components",
    }
)
TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "specs", "e2e"})
TEST_FILE = re.compile(r"^(test_.*\.py|.*_test\.py|conftest\.py|.*\.(test|spec)\.[cm]?[jt]sx?)$")
EXTENSIONS = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".sql": "sql",
    ".prisma": "prisma",
}
MAX_BYTES = 1_000_000  # larger files are generated or minified, not written by the agent
MAX_FILES = 20_000


def is_test_path(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in TEST_DIRS for p in parts[:-1]) or bool(TEST_FILE.match(parts[-1]))


def walk(repo: Path) -> list[str]:
    """Every file under ``repo`` outside excluded directories, as sorted relative posix paths."""
    out: list[str] = []
    for root, dirs, files in os.walk(repo):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_DIRS and not d.endswith(".egg-info"))
        rel_root = Path(root).relative_to(repo)
        for name in sorted(files):
            out.append((rel_root / name).as_posix())
            if len(out) >= MAX_FILES:
                return out
    return out


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
        path = repo / rel
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        sources.append(SourceFile(rel, language, text))
    return sources, tests


_FRAMEWORKS = (
    ("fastapi", re.compile(r"^\s*(from|import)\s+fastapi\b", re.M)),
    ("django", re.compile(r"^\s*(from|import)\s+django\b", re.M)),
    ("flask", re.compile(r"^\s*(from|import)\s+flask\b", re.M)),
    ("express", re.compile(r"""require\(\s*['"]express['"]\s*\)|from\s+['"]express['"]""")),
)


def guess_profile(repo: Path, sources: list[SourceFile]) -> AppProfile:
    """Language by file count, framework by imports: enough for static checks when the app
    detection stage has not run."""
    counts = Counter(
        f.language for f in sources if f.language in ("python", "javascript", "typescript")
    )
    language = counts.most_common(1)[0][0] if counts else "unknown"
    framework = "unknown"
    for name, rx in _FRAMEWORKS:
        if any(rx.search(f.text) for f in sources):
            framework = name
            break
    return AppProfile(
        root=str(repo),
        language=language,  # type: ignore[arg-type]
        framework=framework,  # type: ignore[arg-type]
        source_files=[f.path for f in sources],
        notes=["profile guessed by harness.static (no profile given)"],
    )
