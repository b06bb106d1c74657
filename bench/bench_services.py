"""A warm full score of a PostgreSQL + Redis app beside the same app on SQLite.

The PostgreSQL app is tests/services/apps/fastapi_pg_redis (compose file, Alembic migrations,
Redis for login throttling); its SQLite twin is made here from the same code: no compose file or
example environment, no psycopg/redis, an in-process counter instead of Redis and
``create_all`` instead of Alembic. Each run is `harness.score` static + live against the bundled
`backend` agent, no reports written; one unmeasured run of each first warms the dependency and
template caches; then N alternating runs. Printed: median and min seconds of each and the
ratio of the medians (target <= 2.0).

Run (as root, with bubblewrap, PostgreSQL and Redis installed: scripts/setup.sh --system):
  PYTHONPATH=. .venv/bin/python bench/bench_services.py [-n 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from harness import score

PG_APP = Path(__file__).resolve().parents[1] / "tests" / "services" / "apps" / "fastapi_pg_redis"
COUNTER = '''
class _Counter:
    def __init__(self):
        self.n = {}

    def ping(self):
        return True

    def incr(self, key):
        self.n[key] = self.n.get(key, 0) + 1
        return self.n[key]

    def expire(self, key, seconds):
        return True


cache = _Counter()
'''


def sqlite_twin(folder: Path) -> Path:
    twin = folder / "notes_sqlite"
    shutil.copytree(PG_APP, twin)
    for name in ("docker-compose.yml", ".env.example", "alembic.ini"):
        (twin / name).unlink()
    shutil.rmtree(twin / "alembic")
    reqs = (twin / "requirements.txt").read_text().splitlines()
    keep = [r for r in reqs if not r.lower().startswith(("psycopg", "redis", "alembic"))]
    (twin / "requirements.txt").write_text("\n".join(keep) + "\n")
    main = (twin / "app" / "main.py").read_text()
    main = main.replace("import redis\n", "")
    main = main.replace('cache = redis.Redis.from_url(os.environ["REDIS_URL"])\n', COUNTER)
    main = main.replace(
        "SessionLocal = sessionmaker(bind=engine)",
        "SessionLocal = sessionmaker(bind=engine)\nfrom app.models import Base\n"
        "Base.metadata.create_all(engine)",
    )
    (twin / "app" / "main.py").write_text(main)
    return twin


def one(app: Path) -> float:
    t = time.perf_counter()
    card = score("backend", app, out_dir=None, formats=())
    errors = [k for k, v in card.requirements.items() if v.verdict.value == "error"]
    if errors:
        raise SystemExit(f"bench_services: {app.name} scored with errors: {errors}")
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-services-") as tmp:
        apps = {"sqlite": sqlite_twin(Path(tmp)), "postgres+redis": PG_APP}
        for app in apps.values():
            one(app)
        times: dict[str, list[float]] = {k: [] for k in apps}
        for _ in range(args.n):
            for label, app in apps.items():
                times[label].append(one(app))
    base = statistics.median(times["sqlite"])
    print(f"{'app':16} {'median s':>9} {'min s':>7} {'ratio':>6}")
    for label, runs in times.items():
        med = statistics.median(runs)
        print(f"{label:16} {med:9.2f} {min(runs):7.2f} {med / base:6.2f}")


if __name__ == "__main__":
    main()
