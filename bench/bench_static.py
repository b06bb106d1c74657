"""Wall time of run_static (semgrep + bandit + own checks, concurrently) against semgrep alone with
the same rules on the same ~2k-line generated repo, median of 3 runs each. Target ratio <= 1.5.
Then the same repo with committed node_modules/ and .venv/ trees (--vendored files each): they
are excluded, so run_static must stay about as fast as on the bare repo. These runs have the
analyzer cache off. Last, run_static over the bare repo with the analyzer cache on, in a fresh
cache folder: the first (cold) run against the repeats that read the reports back.

    PYTHONPATH=. .venv/bin/python bench/bench_static.py [--lines 2000] [--runs 3] [--vendored 2000]
"""

from __future__ import annotations

import argparse
import os
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
        cwd=repo,  # the command scans "." (as run_static does)
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


def harness_static(repo: Path, *, cache: bool = False) -> float:
    os.environ["HARNESS_ANALYZER_CACHE"] = "on" if cache else "off"
    started = time.perf_counter()
    run = run_static(repo)
    elapsed = time.perf_counter() - started
    errors = [r.check for r in run.results if r.status.value == "error"]
    assert not errors, f"checks errored during the benchmark: {errors}"
    return elapsed


def add_vendored(repo: Path, files: int) -> None:
    """Dependency trees as generated repos sometimes commit them, full of analyzer bait."""
    py = "import os\nSECRET_KEY = 'abc'\ndef f(x):\n    os.system('ls ' + x)\n" * 25
    js = "const cp = require('child_process');\nfunction f(x) { cp.exec('ls ' + x); }\n" * 25
    for i in range(files):
        site = repo / ".venv" / "lib" / "python3.11" / "site-packages" / f"pkg{i // 100}"
        mods = repo / "node_modules" / f"pkg{i // 100}"
        site.mkdir(parents=True, exist_ok=True)
        mods.mkdir(parents=True, exist_ok=True)
        (site / f"m{i}.py").write_text(py)
        (mods / f"m{i}.js").write_text(js)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vendored", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        lines = build_repo(repo, args.lines)
        files = sum(1 for _ in repo.rglob("*.*"))
        semgrep_times, harness_times = [], []
        for _ in range(args.runs):  # interleaved, so machine load hits both alike
            semgrep_times.append(semgrep_alone(repo))
            harness_times.append(harness_static(repo))
        os.environ["HARNESS_CACHE_DIR"] = str(Path(tmp) / "cache")  # cold, then warm
        cached_times = [harness_static(repo, cache=True) for _ in range(args.runs + 1)]
        vendored_times = []
        if args.vendored:
            add_vendored(repo, args.vendored)
            vendored_times = [harness_static(repo) for _ in range(args.runs)]
    sg, hs = statistics.median(semgrep_times), statistics.median(harness_times)
    print(f"repo: {lines} lines in {files} files (copies of {', '.join(SEEDS)})")
    sg_runs = [round(t, 2) for t in semgrep_times]
    hs_runs = [round(t, 2) for t in harness_times]
    print(f"semgrep alone (same rules, same flags): median {sg:.2f}s  runs {sg_runs}")
    print(f"run_static (semgrep + bandit + own checks): median {hs:.2f}s  runs {hs_runs}")
    print(f"ratio run_static / semgrep alone: {hs / sg:.2f} (target <= 1.5)")
    warm = statistics.median(cached_times[1:])
    print(
        f"run_static with the analyzer cache: cold {cached_times[0]:.2f}s, warm median "
        f"{warm:.2f}s  runs {[round(t, 2) for t in cached_times[1:]]}  "
        f"ratio warm / cache off {warm / hs:.2f}"
    )
    if vendored_times:
        vd = statistics.median(vendored_times)
        print(
            f"with node_modules/ and .venv/ ({2 * args.vendored} files) committed: run_static "
            f"median {vd:.2f}s  runs {[round(t, 2) for t in vendored_times]}  "
            f"ratio to the bare repo {vd / hs:.2f}"
        )


if __name__ == "__main__":
    main()
