"""The Ray engine against the local process pool, on this machine: the same batch of the scripted
agent (two agents, N samples in all, generation not cached) run

- on the local pool (``workers`` processes),
- on Ray with one node offering ``workers`` CPUs (the engine's overhead),
- on Ray with two nodes offering half the CPUs each (what spreading across nodes costs),
- optionally (``--kill``) on two nodes again, the second killed while it runs a score,

printed side by side with the wall time of each relative to the local pool and whether every
verdict matches the local run. The clusters are started before the clock runs, as a real cluster
would be; the per-batch node check is inside the time.

    RAY_USAGE_STATS_ENABLED=0 .venv/bin/python bench/bench_ray.py --samples 40 --kill

Acceptance (issue: Ray cluster): 40 samples on two local nodes, a node killed, verdicts identical
to the local engine, at most 15 % more wall time than the local pool.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # reach 127.0.0.1 as such

from harness._paths import fixtures_dir
from harness.batch import BatchResult, make_spec, run_batch
from harness.scorecard import Scorecard

SCRIPTED = fixtures_dir() / "scripted-agent"
TASK = fixtures_dir() / "tasks" / "todo-api"
COMMAND = (
    "{python} " + str(SCRIPTED / "generate.py") + " --agent {agent} --prompt {prompt} "
    "--out {out} --seed {seed}"
)
MB = 1024 * 1024


def spec(samples: int, workers: int, live: bool) -> Any:
    return make_spec(
        {
            "agents": [str(SCRIPTED / "agent-before.md"), str(SCRIPTED / "agent-after.md")],
            "tasks": [str(TASK)],
            "samples": max(1, samples // 2),
            "command": COMMAND,
            "live": live,
            "workers": workers,
            "contract": str(SCRIPTED / "agent-before.md"),
            "cache": False,
        }
    )


def verdicts(result: BatchResult) -> dict[tuple[str, int], dict[str, str]]:
    table = {}
    for sample in result.samples:
        if not sample.scorecard:
            continue
        card = Scorecard.model_validate_json(Path(sample.scorecard).read_text())
        table[(sample.agent, sample.sample)] = {
            r: v.verdict.value for r, v in card.requirements.items()
        }
    return table


def start_cluster(cpus: list[int]) -> Any:
    from ray.cluster_utils import Cluster

    node = {"object_store_memory": 150 * MB, "node_ip_address": "127.0.0.1"}
    cluster = Cluster(
        initialize_head=True,
        head_node_args={**node, "num_cpus": cpus[0], "include_dashboard": False},
    )
    for n in cpus[1:]:
        cluster.add_node(**node, num_cpus=n)
    return cluster


def killer(cluster: Any, out: Path, stop: threading.Event, note: dict[str, Any]) -> None:
    """Kill the second node once one of its workers runs a score (the rest of the batch then
    runs on the head alone: no replacement node, which Ray can start only from the main thread
    here)."""
    import psutil

    node = next(iter(cluster.worker_nodes))
    raylet = psutil.Process(node.all_processes["raylet"][0].process.pid)
    while not stop.is_set():
        try:
            busy = any(
                "ray::score_task" in " ".join(c.cmdline()) for c in raylet.children(recursive=True)
            )
        except psutil.Error:
            busy = False
        if busy:
            note["finished_before_kill"] = len(list(out.rglob("scorecard.json")))
            note["killed_at_s"] = time.monotonic() - note["t0"]
            cluster.remove_node(node, allow_graceful=False)
            return
        time.sleep(0.2)


def timed(label: str, run: Any) -> tuple[float, BatchResult]:
    print(f"running: {label} ...", file=sys.stderr, flush=True)
    t = time.perf_counter()
    result = run()
    return time.perf_counter() - t, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=12, help="samples in all (two agents)")
    parser.add_argument("--workers", type=int, default=2, help="local processes = Ray CPUs")
    parser.add_argument("--live", action="store_true", help="score live too (default static)")
    parser.add_argument("--kill", action="store_true", help="also a two-node run losing a node")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-ray-"))
    os.environ["HARNESS_CACHE_DIR"] = str(root / "cache")  # before any cluster starts
    batch = spec(args.samples, args.workers, args.live)
    rows: list[tuple[str, float, BatchResult, str]] = []
    try:
        _run_all(args, root, batch, rows)
        table(rows, args.live)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def _run_all(args: Any, root: Path, batch: Any, rows: list[Any]) -> None:
    wall, local = timed("local pool", lambda: run_batch(batch, root / "local", progress=False))
    rows.append((f"local pool, {args.workers} processes", wall, local, ""))
    print(f"  local pool: {wall:.1f} s, {local.failed} failed", file=sys.stderr, flush=True)

    half = max(1, args.workers // 2)
    layouts = [("ray, 1 node", [args.workers]), ("ray, 2 nodes", [half, half])]
    if args.kill:
        layouts.append(("ray, 2 nodes, 1 killed", [half, half]))
    for label, cpus in layouts:
        cluster = start_cluster(cpus)
        out = root / label.replace(" ", "").replace(",", "-")
        note: dict[str, Any] = {"t0": time.monotonic()}
        stop = threading.Event()
        thread = None
        if "killed" in label:
            thread = threading.Thread(target=killer, args=(cluster, out, stop, note))
            thread.start()
        try:
            note["t0"] = time.monotonic()
            wall, result = timed(
                label,
                lambda out=out, cluster=cluster: run_batch(
                    batch, out, progress=False, engine="ray", ray_address=cluster.address
                ),
            )
        finally:
            stop.set()
            if thread:
                thread.join(timeout=60)
            cluster.shutdown()
        extra = ""
        if "finished_before_kill" in note:
            extra = (
                f"node killed at {note['killed_at_s']:.0f} s with "
                f"{note['finished_before_kill']} done, not replaced"
            )
        elif "killed" in label:
            extra = "the second node never ran a score: not killed"
        rows.append((f"{label} ({'+'.join(map(str, cpus))} CPUs)", wall, result, extra))
        print(
            f"  {rows[-1][0]}: {wall:.1f} s, {result.failed} failed {extra}",
            file=sys.stderr,
            flush=True,
        )


def table(rows: list[Any], live: bool) -> None:
    base_wall, base = rows[0][1], verdicts(rows[0][2])
    n = len(rows[0][2].samples)
    print(f"\n{n} samples, {'static+live' if live else 'static'} scoring, cores: "
          f"{os.cpu_count()}")  # fmt: skip
    print(f"{'run':<40} {'wall s':>8} {'vs local':>9} {'failed':>7} {'same verdicts':>14}  notes")
    for label, wall, result, extra in rows:
        same = verdicts(result) == base and len(verdicts(result)) == n
        print(
            f"{label:<40} {wall:>8.1f} {100 * (wall / base_wall - 1):>+8.1f}% "
            f"{result.failed:>7} {'yes' if same else 'NO':>14}  {extra}"
        )


if __name__ == "__main__":
    sys.exit(main())
