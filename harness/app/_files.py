"""The one walk over a repo's files: which directories are never the app's own code, which files
are tests, and how a file is read. Detection, static checks and the live test-suite probe all see
the repo through here, so a skipped directory is skipped everywhere."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

# Directories that hold dependencies, build output or tool state, never the app's own code.
SKIP_DIRS = frozenset(
    {
        "node_modules",
        "bower_components",
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        ".env",
        "__pycache__",
        "site-packages",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cache",
        "dist",
        "build",
        ".next",
        ".nuxt",
        "coverage",
        "htmlcov",
        ".idea",
        ".vscode",
        "vendor",
    }
)
TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec", "specs", "e2e"})
_TEST_FILE = re.compile(
    r"^(test_.*\.(py|[cm]?[jt]sx?)|.*_test\.(py|go)|conftest\.py|.*\.(test|spec)\.[cm]?[jt]sx?)$"
)
MAX_FILES = 20_000
MAX_BYTES = 1_000_000  # larger files are generated or minified, not written by the agent


def skipped_dir(name: str) -> bool:
    return name in SKIP_DIRS or name.endswith(".egg-info")


def list_files(root: Path, *, limit: int = MAX_FILES) -> list[str]:
    """Every file under ``root`` outside skipped directories, as relative posix paths, top down
    (a directory's files, sorted, before its subdirectories). Links are not followed: an
    untrusted repo must not make us read outside it."""
    out: list[str] = []
    for here, dirs, files in os.walk(root):
        base = Path(here)
        dirs[:] = sorted(d for d in dirs if not skipped_dir(d) and not (base / d).is_symlink())
        rel_root = base.relative_to(root)
        for name in sorted(files):
            if (base / name).is_symlink():
                continue
            out.append((rel_root / name).as_posix())
            if len(out) >= limit:
                return out
    return out


def in_hidden_dir(rel: str) -> bool:
    """Under a dot-directory (.github, .devcontainer...): tooling, not the app."""
    return any(part.startswith(".") for part in PurePosixPath(rel).parts[:-1])


def is_test_path(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(TEST_DIRS & set(parts[:-1])) or bool(_TEST_FILE.match(parts[-1]))


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str | None:
    """The file's text; None when unreadable or larger than ``max_bytes``."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
