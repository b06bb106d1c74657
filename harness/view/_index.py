"""What lies under a folder: scorecards, batches (with the agents that can be compared) and
diffs, found by their own schema markers, never by running anything."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field

_SKIP = {".git", "node_modules", ".venv", "venv", "__pycache__", "repo", ".cache"}
MAX_FILES = 20_000  # files looked at; a home folder must not stall the viewer
MAX_DEPTH = 8


class CardEntry(BaseModel):
    """One scorecard.json."""

    path: str = Field(description="Relative to the viewed folder.")
    agent: str | None = None
    repo: str = ""
    score: float | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    started_at: str = ""
    mode: str = ""
    in_batch: str | None = Field(default=None, description="The batch folder it belongs to.")


class BatchEntry(BaseModel):
    """One batch folder (its summary.json) and the agent parts a diff can compare."""

    path: str
    agents: list[str] = Field(default_factory=list)
    samples: int = 0
    sample_errors: int = 0


class DiffEntry(BaseModel):
    """One diff written as JSON (`harness diff --format json`)."""

    path: str
    base: str = ""
    candidate: str = ""


class Index(BaseModel):
    root: str
    cards: list[CardEntry] = Field(default_factory=list)
    batches: list[BatchEntry] = Field(default_factory=list)
    diffs: list[DiffEntry] = Field(default_factory=list)
    truncated: bool = False

    def files(self) -> set[str]:
        return {c.path for c in self.cards} | {d.path for d in self.diffs}

    def sides(self) -> list[str]:
        """Folders a diff can take as one side: each agent part of each batch."""
        return [f"{b.path}/{a}" if b.path != "." else a for b in self.batches for a in b.agents]


def _json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def build_index(root: Path) -> Index:
    """Walk ``root`` (bounded in files and depth) and list what the viewer can show."""
    root = root.resolve()
    index = Index(root=str(root))
    seen = 0
    batch_dirs: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        depth = len(here.relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if d not in _SKIP and depth < MAX_DEPTH)
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES:
                index.truncated = True
                return _finish(index, batch_dirs, root)
            if not name.endswith(".json"):
                continue
            path = here / name
            if path.is_symlink():
                continue
            rel = path.relative_to(root).as_posix()
            if name == "scorecard.json":
                data = _json(path)
                if data and "requirements" in data and "run" in data:
                    index.cards.append(_card(rel, data))
            elif name == "summary.json":
                data = _json(path)
                if data and str(data.get("schema", "")).startswith("harness.batch-summary/"):
                    batch_dirs.append(here)
                    index.batches.append(_batch(here, root, data))
            elif name not in ("inputs.json", "batch.json", "error.json"):
                data = _json(path)
                if data and str(data.get("schema", "")).startswith("harness.diff/"):
                    index.diffs.append(
                        DiffEntry(
                            path=rel,
                            base=str((data.get("base") or {}).get("path", "")),
                            candidate=str((data.get("candidate") or {}).get("path", "")),
                        )
                    )
    return _finish(index, batch_dirs, root)


def _finish(index: Index, batch_dirs: list[Path], root: Path) -> Index:
    for card in index.cards:
        where = (root / card.path).resolve()
        owner = next((b for b in batch_dirs if where.is_relative_to(b)), None)
        if owner is not None:
            card.in_batch = owner.relative_to(root).as_posix() or "."
    return index


def _card(rel: str, data: dict) -> CardEntry:
    run = data.get("run") or {}
    return CardEntry(
        path=rel,
        agent=(data.get("agent") or {}).get("name"),
        repo=str((data.get("repo") or {}).get("path", "")),
        score=data.get("score"),
        counts={k: int(v) for k, v in (data.get("counts") or {}).items() if isinstance(v, int)},
        started_at=str(run.get("started_at", "")),
        mode=str(run.get("mode", "")),
    )


def _batch(folder: Path, root: Path, data: dict) -> BatchEntry:
    groups = data.get("groups") or []
    agents = sorted({str(g.get("agent")) for g in groups if g.get("agent")})
    return BatchEntry(
        path=folder.relative_to(root).as_posix() or ".",
        agents=[a for a in agents if (folder / a).is_dir()],
        samples=sum(int(g.get("samples") or 0) for g in groups),
        sample_errors=sum(int(g.get("sample_errors") or 0) for g in groups),
    )
