"""What the GraphQL probes cost on the GraphQL fixture apps: requests sent by discovery and by
each GraphQL check, and their wall time, with the app started through the local runner.

    PYTHONPATH=. .venv/bin/python bench/bench_graphql.py [app-name ...]

Start-up and installs are not timed. The requests are counted from the probe session's records.
"""

from __future__ import annotations

import argparse
import collections
import time

from harness._paths import fixtures_dir
from harness.apimodel import build_api_model, run_sync
from harness.app import detect_app
from harness.probes import Session, arun_probes
from harness.runner import start_app

APPS = ("notes-apollo-good", "notes-apollo-bad", "notes-ariadne-good", "notes-ariadne-bad")
REQUIREMENTS = {
    "graphql.introspection",
    "graphql.limits",
    "auth.authorization",
    "data.no-sensitive-fields",
    "errors.no-leak",
    "sql.parameterized",
}


def one(app_name: str) -> None:
    profile = detect_app(fixtures_dir() / "apps" / app_name)
    seen: list[Session] = []
    original = Session.__init__

    def keep(self: Session, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        seen.append(self)

    with start_app(profile) as app:
        t = time.perf_counter()
        api = build_api_model(profile, app=app)
        model_s = time.perf_counter() - t
        Session.__init__ = keep  # type: ignore[method-assign]
        try:
            run = run_sync(arun_probes(app, api, requirements=REQUIREMENTS))
        finally:
            Session.__init__ = original  # type: ignore[method-assign]
    counts = collections.Counter(r.check for r in seen[0].records if "graphql" in r.check)
    ms = {r.check: r.duration_ms for r in run.results if "graphql" in r.check}
    print(f"{app_name}: API model {model_s:.2f} s; GraphQL checks:")
    for check in sorted(ms):
        print(f"  {check:36} {counts.get(check, 0):3d} requests  {ms[check] or 0:8.1f} ms")
    print(f"  total {sum(counts.values())} requests (sign-ins counted under the first check)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("apps", nargs="*", default=list(APPS))
    for name in parser.parse_args().apps:
        one(name)


if __name__ == "__main__":
    main()
