"""Full score (static + live) of a small fixture app, dependencies cached: median wall time,
printed beside the app's own bare startup time (start_app to ready, then stop) in the same run.

    .venv/bin/python bench/bench_score.py [--app todo-fastapi-good] [--runs 5]

Target (issue: live verification): median full score <= 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import resolve_repo, score
from harness.app import detect_app
from harness.runner import start_app


def bare_startup(repo: Path) -> float:
    profile = detect_app(repo)
    t = time.perf_counter()
    with start_app(profile):
        ready = time.perf_counter() - t
    return ready


def full_score(repo: Path, agent: str, task: str) -> float:
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        score(agent, repo, task=task, live=True, out_dir=out, formats=("json",))
        return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", default="todo-fastapi-good")
    parser.add_argument("--agent", default="backend")
    parser.add_argument("--task", default="todo-api")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    repo = resolve_repo(args.app)

    full_score(repo, args.agent, args.task)  # warm the dependency cache
    starts = [bare_startup(repo) for _ in range(args.runs)]
    scores = [full_score(repo, args.agent, args.task) for _ in range(args.runs)]
    start_med, score_med = statistics.median(starts), statistics.median(scores)
    print(f"app: {args.app}  agent: {args.agent}  runs: {args.runs}")
    print(f"bare startup (start_app to ready)  median {start_med:6.2f} s  min {min(starts):.2f}")
    print(f"full score (static + live)         median {score_med:6.2f} s  min {min(scores):.2f}")
    print(
        f"score / startup ratio: {score_med / start_med:.1f}x   target: median <= 5 s -> "
        f"{'met' if score_med <= 5 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
