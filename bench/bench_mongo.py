"""The MongoDB-compatible server's costs: its one-time build, one start, a warm full score.

Printed: whether the FerretDB binary was already built (else the seconds the build took now, the
cold cost a fresh machine pays once in scripts/setup.sh), the median seconds until a fresh
instance accepts connections (N starts on a spare loopback port, each with an empty data
folder), and the median of N warm full scores (static + live) of the Express + Mongoose app in
tests/services/apps/express_mongo_clean, after one unmeasured score that warms node_modules.

Run (as root, with bubblewrap and Go or a built server: scripts/setup.sh --system):
  PYTHONPATH=. .venv/bin/python bench/bench_mongo.py [-n 5]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from harness import score
from harness.runner import build_mongo_server
from harness.runner._mongo import server_binary, server_command

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "tests" / "services" / "apps" / "express_mongo_clean"
AGENT = ROOT / "tests" / "services" / "apps" / "mongo_agent.md"
PORT = 27991


def start_seconds(binary: Path) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-mongo-") as data:
        cmd = [a.replace("27017", str(PORT)) for a in server_command(binary, Path(data))]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", PORT)) == 0:
                        return time.perf_counter() - t
                if proc.poll() is not None:
                    raise SystemExit(f"bench_mongo: the server exited with {proc.returncode}")
                time.sleep(0.005)
        finally:
            proc.terminate()
            proc.wait()


def one_score() -> float:
    t = time.perf_counter()
    card = score(AGENT, APP, out_dir=None, formats=())
    errors = [k for k, v in card.requirements.items() if v.verdict.value == "error"]
    if errors:
        raise SystemExit(f"bench_mongo: {APP.name} scored with errors: {errors}")
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    built = server_binary() is not None
    t = time.perf_counter()
    binary = build_mongo_server()
    build = "already built" if built else f"built now in {time.perf_counter() - t:.1f} s"
    starts = [start_seconds(binary) for _ in range(args.n)]
    one_score()
    scores = [one_score() for _ in range(args.n)]
    print(f"server binary       {build} ({binary})")
    print(f"server start        median {statistics.median(starts):.3f} s, max {max(starts):.3f} s")
    print(f"warm full score     median {statistics.median(scores):.2f} s, min {min(scores):.2f} s")


if __name__ == "__main__":
    main()
