"""Time parse + extract per fixture agent, in process after import (median of N runs).

Compares against two named alternatives in the same run:
  - "python-frontmatter + markdown-it parse": reading the frontmatter with python-frontmatter and
    tokenising the body with markdown-it, no extraction at all (the floor of any parser-based
    approach);
  - "naive regex line scan": every "- " / "1. " line matched against the requirement phrases of
    checks/requirements.yaml (fast, but no sections, no nesting, no guards, and it breaks on the
    invalid YAML that four of the five fixtures carry).
Target: under 50 ms per file for parse + extract.

Files: the fixture agents and tests/corpus/agents (other authors' styles); more directories of
agent files (.md/.mdc) can be added with --dir.

Run: PYTHONPATH=. .venv/bin/python bench/bench_extract.py [--runs 30] [--dir DIR ...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import frontmatter
from markdown_it import MarkdownIt

from harness._paths import fixtures_dir
from harness.agent import parse_agent
from harness.catalogue import load_requirements
from harness.checklist import extract_checklist, load_phrasebook

TARGET_MS = 50.0


def _median_ms(func: Callable[[], object], runs: int) -> float:
    """Median CPU time of this process per call: robust when other work shares the machine
    (wall time is printed alongside for ours)."""
    samples = []
    for _ in range(runs):
        start = time.process_time()
        func()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def _median_wall_ms(func: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _ours(path: Path) -> int:
    return len(extract_checklist(parse_agent(path)).items)


_md = MarkdownIt("commonmark").enable("table")


def _frontmatter_markdown_it(path: Path) -> int:
    try:
        post = frontmatter.load(path)
        body = post.content
    except Exception:
        body = path.read_text(encoding="utf-8")
    return len(_md.parse(body))


_PHRASES = [
    (rid, re.compile(re.escape(p), re.I))
    for rid, req in load_requirements().items()
    for p in req.phrases
]
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+(.*)$")


def _naive_scan(path: Path) -> int:
    found = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = _LIST_LINE.match(line)
        if m:
            found.update(rid for rid, rx in _PHRASES if rx.search(m.group(1)))
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dir", action="append", default=[], help="more agent files")
    args = parser.parse_args()
    load_phrasebook()  # compile once, as a long-lived process would
    corpus = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "agents"
    dirs = [fixtures_dir() / "agents", corpus, *map(Path, args.dir)]
    paths = [
        p for d in dirs if d.is_dir() for p in sorted(d.iterdir()) if p.suffix in (".md", ".mdc")
    ]
    for path in paths:  # warm caches
        _ours(path)
    header = (
        f"{'agent':32} {'bytes':>7} {'items':>6} {'ours cpu':>9} {'ours wall':>10} "
        f"{'fm+mdit':>8} {'regex':>7}   (ms, median of {args.runs})"
    )
    print(header)
    print("-" * len(header))
    ours_all = []
    for path in paths:
        ours = _median_ms(lambda p=path: _ours(p), args.runs)
        wall = _median_wall_ms(lambda p=path: _ours(p), args.runs)
        alt = _median_ms(lambda p=path: _frontmatter_markdown_it(p), args.runs)
        naive = _median_ms(lambda p=path: _naive_scan(p), args.runs)
        ours_all.append(ours)
        print(
            f"{path.stem:32} {path.stat().st_size:7d} {_ours(path):6d} "
            f"{ours:9.2f} {wall:10.2f} {alt:8.2f} {naive:7.2f}"
        )
    worst = max(ours_all)
    print("-" * len(header))
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ours_all.sort()
    p95 = ours_all[min(len(ours_all) - 1, round(0.95 * (len(ours_all) - 1)))]
    print(
        f"parse+extract CPU over {len(ours_all)} files: median "
        f"{statistics.median(ours_all):.2f} ms, p95 {p95:.2f} ms, "
        f"worst {worst:.2f} ms per file "
        f"(target < {TARGET_MS:.0f} ms): {'OK' if worst < TARGET_MS else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
