"""Wall time of run_static (semgrep + bandit + own checks, concurrently) against semgrep alone with
the same rules on the same ~2k-line generated repo, median of 3 runs each. Target ratio <= 1.5.

    PYTHONPATH=. .venv/bin/python bench/bench_static.py [--lines 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from harness._paths import fixtures_dir
from harness.static import run_static
from harness.static._catalogue import rules_dir
from harness.static._semgrep import command
from harness.static._tools import locate

SEEDS = ("todo-flask-bad", "todo-express-bad", "bare-flask-single", "bare-express-single")


def build_repo(root: Path, lines: int) -> int:
    """Copies of the reference apps' sources under app_<n>/ until ``lines`` lines of code."""
    sources = [
        p
        for seed in SEEDS
        for p in sorted((fixtures_dir() / "apps" / seed).rglob("*"))
        if p.suffix in (".py", ".js")
    ]
    total, n = 0, 0
    while total < lines:
        for src in sources:
            dest = root / f"app_{n}" / src.relative_to(fixtures_dir() / "apps")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dest)
            total += src.read_text(encoding="utf-8").count("\n")
            if total >= lines:
                break
        n += 1
    return total


def semgrep_alone(repo: Path) -> float:
    binary = locate("semgrep")
    assert binary, "semgrep not found"
    started = time.perf_counter()
    subprocess.run(
        command(binary, repo, rules_dir()),
        capture_output=True,
        check=False,
        env={
            "SEMGREP_ENABLE_VERSION_CHECK": "0",
            "SEMGREP_SEND_METRICS": "off",
            "PATH": "/usr/bin:/bin",
            "HOME": str(Path.home()),
        },
    )
    return time.perf_counter() - started


def harness_static(repo: Path) -> float:
    started = time.perf_counter()
    run = run_static(repo)
    elapsed = time.perf_counter() - started
    errors = [r.check for r in run.results if r.status.value == "error"]
    assert not errors, f"checks errored during the benchmark: {errors}"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        lines = build_repo(repo, args.lines)
        files = sum(1 for _ in repo.rglob("*.*"))
        semgrep_times, harness_times = [], []
        for _ in range(args.runs):  # interleaved, so machine load hits both alike
            semgrep_times.append(semgrep_alone(repo))
            harness_times.append(harness_static(repo))
    sg, hs = statistics.median(semgrep_times), statistics.median(harness_times)
    print(f"repo: {lines} lines in {files} files (copies of {', '.join(SEEDS)})")
    sg_runs = [round(t, 2) for t in semgrep_times]
    hs_runs = [round(t, 2) for t in harness_times]
    print(f"semgrep alone (same rules, same flags): median {sg:.2f}s  runs {sg_runs}")
    print(f"run_static (semgrep + bandit + own checks): median {hs:.2f}s  runs {hs_runs}")
    print(f"ratio run_static / semgrep alone: {hs / sg:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
