"""Cold and warm start of every reference app under the local runner.

For each app in fixtures/apps (or the folders given), in the same run:
  - "cold": an empty harness cache (a fresh HARNESS_CACHE_DIR), i.e. what a runner without a
    dependency cache pays on every start: a new virtualenv + pip install, or npm install;
    package downloads come from pip's/npm's own caches when those are warm (pass --no-pkg-cache
    to bypass them as well);
  - "warm": the same app again with the cache the cold start built.
Printed per app: install seconds, start seconds (spawn to first HTTP answer), total.

Run: PYTHONPATH=. .venv/bin/python bench/bench_local_runner.py [--no-pkg-cache] [app dirs...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from harness._paths import fixtures_dir
from harness.app import detect_app
from harness.runner import LaunchError, start_app


def one_start(app_dir: Path) -> dict[str, float | str]:
    profile = detect_app(app_dir)
    t = time.monotonic()
    try:
        with start_app(profile, startup_timeout=120) as app:
            timings = dict(app.timings)
            isolation = app.isolation
    except LaunchError as exc:
        return {"error": str(exc)[:80]}
    timings["wall"] = round(time.monotonic() - t, 2)  # with teardown
    return {**timings, "isolation": isolation}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("apps", nargs="*", type=Path)
    parser.add_argument("--no-pkg-cache", action="store_true")
    args = parser.parse_args()
    apps = args.apps or sorted(
        d for d in (fixtures_dir() / "apps").iterdir() if d.is_dir() and not d.name.startswith(".")
    )
    cache = Path(tempfile.mkdtemp(prefix="harness-bench-cache-"))
    os.environ["HARNESS_CACHE_DIR"] = str(cache)
    if args.no_pkg_cache:
        os.environ["PIP_NO_CACHE_DIR"] = "1"
        os.environ["NPM_CONFIG_CACHE"] = str(cache / "npm-cache")
    print(f"{'app':24} {'run':5} {'install s':>9} {'start s':>8} {'total s':>8}  isolation")
    try:
        for app_dir in apps:
            for label in ("cold", "warm"):
                r = one_start(app_dir)
                if "error" in r:
                    print(f"{app_dir.name:24} {label:5} LaunchError: {r['error']}")
                    break
                print(
                    f"{app_dir.name:24} {label:5} {r['install']:9.2f} {r['start']:8.2f} "
                    f"{r['total']:8.2f}  {r['isolation']}"
                )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
