"""Where a file of the scored repo is, as report formats name it: relative to a source root
(the git root above the repo unless told otherwise), so that code-scanning views and CI test
reporters find it in the repository."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def repo_relative(file: str, repo: str, prefix: str = "") -> str:
    """``file`` (absolute, or relative to the scored repo) relative to the source root: the
    repo's own path below that root (``prefix``, e.g. ``backend``) comes first."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path(repo))
        except ValueError:
            return path.as_posix()
    inside = PurePosixPath(path.as_posix()).as_posix().lstrip("/")
    if inside in ("", "."):
        return prefix or "."
    return f"{prefix}/{inside}" if prefix else inside


def source_root_of(repo: str | Path, given: str | Path | None = None) -> Path:
    """The folder SARIF URIs are relative to: ``given``, else the nearest folder at or above the
    repo holding ``.git`` (code scanning places results relative to the repository root), else
    the repo itself."""
    if given is not None:
        return Path(given).resolve()
    folder = Path(repo).resolve()
    if not folder.is_dir():
        return folder  # a card scored elsewhere: nothing here to find a root from
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def repo_prefix(repo: str, root: Path) -> str:
    try:
        inside = Path(repo).resolve().relative_to(root)
    except ValueError:
        return ""  # the repo is not below the root: paths stay relative to the repo
    return "" if str(inside) == "." else inside.as_posix()
