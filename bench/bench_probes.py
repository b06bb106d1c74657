"""How long the live probe suite takes on a reference app: phases run concurrently (the default)
against every probe run one after the other, on the same app, in the same process.

    PYTHONPATH=. .venv/bin/python bench/bench_probes.py [app-name] [--rounds N]

Each round starts the app afresh through the local runner (start-up is not timed), builds the API
model (timed apart) and runs the probes; prints per-round figures and the medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

from harness._paths import fixtures_dir
from harness.apimodel import build_api_model, run_sync
from harness.app import detect_app
from harness.probes import arun_probes
from harness.runner import start_app


def one(app_name: str, concurrent: bool) -> tuple[float, float, float, int]:
    repo = fixtures_dir() / "apps" / app_name
    profile = detect_app(repo)
    with start_app(profile) as app:
        t = time.perf_counter()
        api = build_api_model(profile, task_dir=fixtures_dir() / "tasks" / "todo-api", app=app)
        model_s = time.perf_counter() - t
        t = time.perf_counter()
        run = run_sync(arun_probes(app, api, concurrent=concurrent))
        total = time.perf_counter() - t
    burst = run.timings.get("phase.burst", 0.0) + run.timings.get("phase.shutdown", 0.0)
    return model_s, total, total - burst, len(run.results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", nargs="?", default="todo-flask-bad")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {"concurrent": [], "sequential": []}
    for r in range(args.rounds):
        for mode in ("concurrent", "sequential"):
            model_s, total, without, n = one(args.app, mode == "concurrent")
            figures[mode].append(total)
            print(
                f"round {r + 1} {mode:10} model {model_s:5.2f} s  probes {total:5.2f} s "
                f"(without burst+shutdown {without:5.2f} s)  {n} checks"
            )
    for mode, values in figures.items():
        print(f"median {mode:10} {statistics.median(values):5.2f} s over {len(values)} rounds")
    ratio = statistics.median(figures["sequential"]) / statistics.median(figures["concurrent"])
    print(f"concurrent phases are {ratio:.2f}x faster than one probe at a time on {args.app}")


if __name__ == "__main__":
    main()
