"""Time the live XSS probe per generated-style app (tests/corpus/apps), each started through the
real runner (sandbox), and print its verdict next to the one its expected.yaml states.

The probe sends a control and two payloads per input (14 routes, 4 fields each at most) and reads
up to 24 pages back; this shows what that costs on single-file apps.

Run: PYTHONPATH=. .venv/bin/python bench/bench_xss.py [--dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import yaml

from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.runner import start_app

HERE = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "apps"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, default=HERE)
    args = ap.parse_args()
    times: list[float] = []
    agree = 0
    apps = sorted(p.parent for p in args.dir.glob("*/expected.yaml"))
    for repo in apps:
        expected = yaml.safe_load((repo / "expected.yaml").read_text()) or {}
        want = (expected.get("live") or {}).get("output.xss-encoding", "-")
        profile = detect_app(repo)
        with start_app(profile) as app:
            api = build_api_model(profile, app=app)
            run = run_probes(app, api, requirements={"output.xss-encoding"})
        for r in run.results:
            times.append(r.duration_ms / 1000)
            agree += want in ("-", r.status.value)
            print(f"{repo.name:34s} {r.status.value:6s} (expected {want:6s}) {times[-1]:6.2f} s")
    if times:
        print(
            f"{len(times)} apps: median {statistics.median(times):.2f} s, max {max(times):.2f} s; "
            f"{agree}/{len(times)} as expected (or no expectation)"
        )


if __name__ == "__main__":
    main()
