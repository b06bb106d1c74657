"""What the default sandbox costs: a full score with it beside the same score without it.

For each app (default: three reference apps), alternating in the same run, N times each:
  - "netns": the earlier default isolation, a private network and PID namespace only
    (HARNESS_ISOLATION=netns);
  - "sandbox": the current default, bubblewrap (read-only host, private /tmp), an unprivileged
    uid, a control group and a tmpfs for the app's writes (HARNESS_ISOLATION=sandbox).
Each run is `harness.score` static + live against the bundled `backend` agent with no reports
written; dependency caches are warm (one unmeasured run of each first). Printed per app: median
and min seconds of each, and the ratio of the medians (target <= 1.10).

Run (as root, where bubblewrap and cgroups work):
  PYTHONPATH=. .venv/bin/python bench/bench_sandbox.py [-n 5] [app names or dirs...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from harness import score
from harness._paths import fixtures_dir
from harness.runner._jail import bwrap_support

DEFAULT_APPS = ("todo-fastapi-good", "todo-flask-bad", "todo-express-good")


def one(app: str, isolation: str) -> tuple[float, str]:
    os.environ["HARNESS_ISOLATION"] = isolation
    t = time.perf_counter()
    card = score("backend", app, out_dir=None, formats=())
    took = time.perf_counter() - t
    return took, card.run.isolation or "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("apps", nargs="*")
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    ok, why = bwrap_support()
    if not ok:
        raise SystemExit(f"bench_sandbox: no bubblewrap sandbox here ({why})")
    apps = args.apps or [str(fixtures_dir() / "apps" / a) for a in DEFAULT_APPS]
    print(f"{'app':22} {'netns med':>9} {'min':>6} {'sandbox med':>11} {'min':>6} {'ratio':>6}")
    for app in apps:
        for mode in ("netns", "sandbox"):
            one(app, mode)  # warm the caches, not measured
        times: dict[str, list[float]] = {"netns": [], "sandbox": []}
        for _ in range(args.n):
            for mode in ("netns", "sandbox"):
                took, used = one(app, mode)
                if used != mode:
                    raise SystemExit(f"bench_sandbox: asked for {mode}, the score used {used}")
                times[mode].append(took)
        a, b = statistics.median(times["netns"]), statistics.median(times["sandbox"])
        name = os.path.basename(app.rstrip("/"))
        print(
            f"{name:22} {a:9.2f} {min(times['netns']):6.2f} {b:11.2f} "
            f"{min(times['sandbox']):6.2f} {b / a:6.2f}"
        )
    os.environ.pop("HARNESS_ISOLATION", None)


if __name__ == "__main__":
    main()
