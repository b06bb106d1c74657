"""Labelled agent sets: each <name>.md (or .mdc) has a <name>.labels.yaml listing the requirement
ids it promises, written from the text alone. Shared by the corpus tests that measure extraction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.agent import parse_agent
from harness.catalogue import load_requirements
from harness.checklist import extract_checklist


def agent_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".mdc") and p.stem != "README")


def labels(path: Path) -> set[str]:
    data = yaml.safe_load(path.with_suffix(".labels.yaml").read_text(encoding="utf-8"))
    return set(data.get("requirements") or [])


def unknown_labels(paths: list[Path]) -> dict[str, set[str]]:
    """Label ids that are not in the vocabulary, per file (a labelling slip)."""
    known = set(load_requirements())
    return {p.name: labels(p) - known for p in paths if labels(p) - known}


@dataclass
class Scores:
    recall: float
    precision: float
    report: str  # one line per agent: what was missing and what was extra


def micro_scores(paths: list[Path]) -> Scores:
    """Micro-averaged recall and precision of the extracted requirement sets against labels."""
    hits = expected_total = found_total = 0
    lines = []
    for path in paths:
        expected = labels(path)
        found = set(extract_checklist(parse_agent(path)).requirements)
        hits += len(expected & found)
        expected_total += len(expected)
        found_total += len(found)
        lines.append(
            f"{path.stem:26} expected {len(expected):2} found {len(found):2} "
            f"missing {sorted(expected - found)} extra {sorted(found - expected)}"
        )
    return Scores(
        recall=hits / expected_total if expected_total else 1.0,
        precision=hits / found_total if found_total else 1.0,
        report="\n".join(lines),
    )
