"""The Ray engine on a real two-node Ray cluster started here (a head and a second raylet with its
own resources, both on 127.0.0.1), with the scripted agent as the generator and the real scorer:

- the same batch on the local pool and on Ray gives the same verdicts, and resumes;
- `harness generate --engine ray` writes the same repo as a local generation;
- Ctrl-C on the driver stops the agents running on the nodes;
- a small live batch on Ray;
- killing the second node while it runs a score loses no sample;
- at the end no raylet or GCS of the cluster is left.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from harness._paths import fixtures_dir
from harness.batch import BatchResult, generate, make_spec, run_batch
from harness.cli import main
from harness.scorecard import Scorecard

# before Ray is imported: no usage reports, and a cluster on 127.0.0.1 is reached there
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
ray = pytest.importorskip("ray", reason="ray is not installed (pip install -e '.[ray]')")
psutil = pytest.importorskip("psutil", reason="psutil (a Ray dependency) is not installed")

SCRIPTED = fixtures_dir() / "scripted-agent"
TASK = fixtures_dir() / "tasks" / "todo-api"
COMMAND = (
    "{python} " + str(SCRIPTED / "generate.py") + " --agent {agent} --prompt {prompt} "
    "--out {out} --seed {seed}"
)
SAMPLES = 5  # per agent; two agents
NODE = {"num_cpus": 1, "object_store_memory": 100 * 1024 * 1024, "node_ip_address": "127.0.0.1"}
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One harness cache for this module, set before the cluster starts so its nodes see it."""
    old = os.environ.get("HARNESS_CACHE_DIR")
    path = tmp_path_factory.mktemp("cache")
    os.environ["HARNESS_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("HARNESS_CACHE_DIR", None)
    else:
        os.environ["HARNESS_CACHE_DIR"] = old


def _cluster_processes(session_dir: str) -> list[Any]:
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
        except (psutil.Error, TypeError):
            continue
        if session_dir in cmdline and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.append(proc)
    return found


@pytest.fixture(scope="module")
def cluster(cache_dir: Path) -> Iterator[Any]:
    from ray.cluster_utils import Cluster

    old_path = os.environ.get("PYTHONPATH")
    # the nodes' workers (started with this environment) import this checkout's harness
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), old_path) if p)
    made = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    made.add_node(**NODE)
    session_dir = made.head_node.get_session_dir_path()
    yield made
    made.shutdown()
    if old_path is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = old_path
    deadline = time.monotonic() + 30
    while _cluster_processes(session_dir) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = [" ".join(p.cmdline())[:120] for p in _cluster_processes(session_dir)]
    assert not left, f"processes of the cluster still running: {left}"


def _spec(**extra: Any) -> Any:
    return make_spec(
        {
            "agents": [str(SCRIPTED / "agent-before.md"), str(SCRIPTED / "agent-after.md")],
            "tasks": [str(TASK)],
            "samples": SAMPLES,
            "command": COMMAND,
            "live": False,
            "workers": 2,
            "contract": str(SCRIPTED / "agent-before.md"),
            "cache": False,  # every sample really generated, on whichever engine
            **extra,
        }
    )


def _verdicts(result: BatchResult) -> dict[tuple[str, int], dict[str, str]]:
    table = {}
    for sample in result.samples:
        assert sample.scorecard, sample.error
        card = Scorecard.model_validate_json(Path(sample.scorecard).read_text())
        table[(sample.agent, sample.sample)] = {
            rid: v.verdict.value for rid, v in card.requirements.items()
        }
    return table


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> BatchResult:
    return run_batch(_spec(), tmp_path_factory.mktemp("local") / "batch", progress=False)


@pytest.fixture(scope="module")
def ray_batch(tmp_path_factory: pytest.TempPathFactory, cluster: Any) -> BatchResult:
    out = tmp_path_factory.mktemp("ray") / "batch"
    return run_batch(_spec(), out, progress=False, engine="ray", ray_address=cluster.address)


def test_same_verdicts_on_ray_as_local(local_batch: BatchResult, ray_batch: BatchResult) -> None:
    assert local_batch.failed == 0 and ray_batch.failed == 0
    assert ray_batch.ran == 2 * SAMPLES
    local, remote = _verdicts(local_batch), _verdicts(ray_batch)
    assert len(remote) == 2 * SAMPLES
    assert remote == local
    # the dropped promise shows: agent-after never hashes passwords
    assert {v["auth.password-hashing"] for (a, _), v in remote.items() if a == "agent-after"} == {
        "fail"
    }
    for sample in ray_batch.samples:
        sample_dir = Path(sample.scorecard).parent
        card = json.loads(Path(sample.scorecard).read_text())
        assert card["repo"]["path"] == str(sample_dir / "repo")  # the batch's copy, not a node's
        assert (sample_dir / "repo" / "app.py").is_file()
        assert (sample_dir / "repo" / "generate.log").is_file()
        assert (sample_dir / "inputs.json").is_file()
    assert (ray_batch.dir / "summary.json").is_file()


def test_ray_batch_resumes(ray_batch: BatchResult, cluster: Any) -> None:
    again = run_batch(
        _spec(), ray_batch.dir, progress=False, engine="ray", ray_address=cluster.address
    )
    assert again.ran == 0 and again.reused == 2 * SAMPLES
    (ray_batch.dir / "agent-after" / "todo-api" / "2" / "scorecard.json").unlink()
    third = run_batch(
        _spec(), ray_batch.dir, progress=False, engine="ray", ray_address=cluster.address
    )
    assert third.ran == 1 and third.reused == 2 * SAMPLES - 1 and third.failed == 0
    assert _verdicts(third) == _verdicts(ray_batch)


def test_generate_on_ray_writes_the_local_repo(tmp_path: Path, cluster: Any) -> None:
    args = ["--agent", str(SCRIPTED / "agent-before.md"), "--task", str(TASK)]
    args += ["--command", COMMAND, "--seed", "3", "--no-cache", "--out", str(tmp_path / "ray")]
    args += ["--engine", "ray", "--ray-address", cluster.address]
    done = CliRunner().invoke(main, ["generate", *args])
    assert done.exit_code == 0, done.output
    assert "generated" in done.output
    local = generate(
        SCRIPTED / "agent-before.md",
        TASK,
        tmp_path / "local",
        command=COMMAND,
        seed=3,
        cache=False,
    )
    for name in ("app.py", "requirements.txt"):
        assert (tmp_path / "ray" / name).read_bytes() == (local.path / name).read_bytes()
    assert "succeeded" in (tmp_path / "ray" / "generate.log").read_text()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_ctrl_c_stops_the_agents_on_every_node(tmp_path: Path, cluster: Any) -> None:
    """An agent that hangs: each one records its pid; Ctrl-C on the driver must end them all."""
    marks = tmp_path / "marks"
    marks.mkdir()
    code = (
        "import os, pathlib, time; "
        f"pathlib.Path({str(marks)!r}, str(os.getpid())).touch(); time.sleep(600)"
    )
    command = "{python} -c " + shlex.quote(code)
    args = [sys.executable, "-m", "harness", "batch", "--agent", str(SCRIPTED / "agent-before.md")]
    args += ["--task", str(TASK), "--samples", "4", "--command", command, "--static"]
    args += ["--no-cache", "--retries", "0", "--out", str(tmp_path / "batch")]
    args += ["--engine", "ray", "--ray-address", cluster.address]
    driver = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 180
        while len(list(marks.iterdir())) < 2 and time.monotonic() < deadline:
            assert driver.poll() is None, driver.stdout.read() if driver.stdout else ""
            time.sleep(0.5)
        agents = [int(p.name) for p in marks.iterdir()]
        assert len(agents) >= 2, "the agents never started on both nodes"
        assert all(_alive(pid) for pid in agents)
        driver.send_signal(signal.SIGINT)
        output, _ = driver.communicate(timeout=120)
    finally:
        if driver.poll() is None:
            driver.kill()
    assert driver.returncode == 130, output
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in agents) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not [pid for pid in agents if _alive(pid)], "agents left running after Ctrl-C"
    assert not list((tmp_path / "batch").rglob("scorecard.json"))


@pytest.mark.live
def test_live_batch_on_ray(tmp_path: Path, cluster: Any) -> None:
    spec = make_spec(
        {
            "agents": [str(SCRIPTED / "agent-before.md")],
            "tasks": [str(TASK)],
            "samples": 2,
            "command": COMMAND,
            "live": True,
        }
    )
    result = run_batch(
        spec, tmp_path / "batch", progress=False, engine="ray", ray_address=cluster.address
    )
    assert result.failed == 0, [s.error for s in result.samples if s.error]
    for sample in result.samples:
        card = Scorecard.model_validate_json(Path(sample.scorecard).read_text())
        assert card.run.mode == "static+live"
        live = [c for v in card.requirements.values() for c in v.checks if c.kind == "live"]
        assert [c for c in live if c.status.value in ("pass", "fail")], "no live check decided"


def _running_task(node: Any, name: str) -> bool:
    raylet = psutil.Process(node.all_processes["raylet"][0].process.pid)
    for child in raylet.children(recursive=True):
        try:
            if f"ray::{name}" in " ".join(child.cmdline()):
                return True
        except psutil.Error:
            continue
    return False


def test_losing_a_node_loses_no_sample(
    tmp_path: Path, cluster: Any, local_batch: BatchResult
) -> None:
    """The second node is killed while it runs a score; its samples are run again elsewhere."""
    second = next(n for n in cluster.worker_nodes)
    killed: dict[str, int] = {}
    stop = threading.Event()
    out = tmp_path / "batch"

    def kill_when_scoring() -> None:
        while not stop.is_set():
            if _running_task(second, "score_task"):
                killed["finished_before"] = len(list(out.rglob("scorecard.json")))
                cluster.remove_node(second, allow_graceful=False)
                return
            time.sleep(0.2)

    killer = threading.Thread(target=kill_when_scoring, daemon=True)
    killer.start()
    try:
        result = run_batch(_spec(), out, progress=False, engine="ray", ray_address=cluster.address)
    finally:
        stop.set()
        killer.join(timeout=60)
    assert "finished_before" in killed, "the second node never ran a score"
    assert killed["finished_before"] < 2 * SAMPLES  # killed mid-batch
    assert result.failed == 0, [s.error for s in result.samples if s.error]
    assert _verdicts(result) == _verdicts(local_batch)
    cluster.add_node(**NODE)  # for any test after this one
