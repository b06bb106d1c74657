"""Wall time of redact_scorecard on the report tests' sample scorecard grown to several sizes
(n extra failing items, each with its evidence), median of --runs runs; once on a clean card and
once with a private key, an AWS key id and an environment secret in every exchange.

    PYTHONPATH=. .venv/bin/python bench/bench_redact.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "report"))

import fake_secrets as fake
from report_cards import sample_card

from harness.scorecard import Scorecard, redact_scorecard


def leaky(card: Scorecard, env_value: str) -> Scorecard:
    leak = f"{fake.pem_private_key()} {fake.aws_access_key_id()} {env_value}"
    for req in card.requirements.values():
        for check in req.checks:
            for ev in check.evidence:
                if ev.exchange is not None:
                    ev.exchange.body_excerpt += leak
    return card


def timed(card: Scorecard, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        redact_scorecard(card, env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env_value = "env-" + fake.password()
    env = {"BENCH_API_TOKEN": env_value}
    print(f"{'extra items':>11} {'KB':>7} {'clean ms':>9} {'leaky ms':>9}")
    for extra in (0, 200, 1000):
        clean = sample_card(extra)
        size = len(clean.model_dump_json()) // 1024
        dirty = leaky(sample_card(extra), env_value)
        print(
            f"{extra:>11} {size:>7} {timed(clean, env, args.runs) * 1000:>9.1f}"
            f" {timed(dirty, env, args.runs) * 1000:>9.1f}"
        )


if __name__ == "__main__":
    main()
