"""The Ray engine: a batch's generations and scores as tasks on a Ray cluster.

Each sample is two tasks: a generation (its repo comes back as bytes) and a score that takes the
generation's result. Both ask for CPUs and memory; scores of the docker runner also ask for the
custom resource ``docker``, which only nodes with an engine offer. A task whose worker or node is
lost is run again by Ray (``max_retries``); a generation whose result was lost with its node is
re-made from lineage. Scorecards are written into the batch folder by this process as they come
back, so an interrupted batch resumes from what finished. Ctrl-C cancels every remote task
(first gently, so that apps and agent processes are stopped, then by force).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness._errors import InputError
from harness.batch._batch import SampleJob, _outcome, prepare_sample, record_failure
from harness.batch._generate import LOG_NAME, GeneratedRepo, GenerateError, _prepare_out
from harness.batch._ray_tasks import generate_task, harness_build, node_check, score_task
from harness.batch._summary import SampleOutcome
from harness.batch._transfer import pack, replace_tree
from harness.scorecard import Scorecard

ENGINES = ("local", "ray")
MB = 1024 * 1024


@dataclass
class RayOptions:
    """Resource requests and limits of the tasks, and how a laptop run starts its own Ray."""

    generate_cpus: float = 1.0
    generate_memory_mb: int = 256
    score_cpus: float = 1.0
    score_memory_mb: int = 512
    docker_resource: str = "docker"  # custom resource of nodes with a Docker engine
    max_retries: int = 3  # runs of a task after its worker or node died
    cancel_grace_s: float = 15.0  # how long cancelled tasks get to stop their apps
    object_store_mb: int = 150  # only for a Ray started here (no address)
    runtime_env: dict[str, Any] | None = None  # e.g. {"pip": [...]} or {"py_modules": [...]}
    check_nodes: bool = True
    nodes: list[dict[str, Any]] = field(default_factory=list)  # filled in: what each node has


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise InputError(
            "the ray engine needs Ray: pip install 'agent-promise-harness[ray]' "
            "(or pip install ray) on this machine and on every node"
        ) from exc
    return ray


def _loopback(address: str) -> bool:
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    return host in ("127.0.0.1", "localhost", "::1")


def _stay_on_loopback() -> None:
    """Ray turns an address of 127.0.0.1 into the host's outward address before it connects;
    a cluster bound to loopback (a laptop, a test) is reached only at 127.0.0.1. Ray reads this
    switch when it is imported, so an already imported Ray gets the same value set directly."""
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    constants = sys.modules.get("ray._private.ray_constants")
    if constants is not None:
        constants.ENABLE_RAY_CLUSTER = False


@contextmanager
def connected(address: str | None, options: RayOptions) -> Iterator[Any]:
    """A Ray connection: to ``address`` ("auto", "127.0.0.1:6379", "ray://host:10001"), else a
    Ray started here for this run and stopped after it."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    local = address is None or _loopback(address)
    if local:
        _stay_on_loopback()
    ray = _import_ray()
    if ray.is_initialized():  # a caller's own connection: use it, leave it open
        yield ray
        return
    kwargs: dict[str, Any] = {
        "log_to_driver": False,
        "logging_level": "warning",
        "configure_logging": True,
    }
    if options.runtime_env:
        kwargs["runtime_env"] = options.runtime_env
    if local:
        kwargs["_node_ip_address"] = "127.0.0.1"
    if address:
        ray.init(address=address, **kwargs)
    else:
        ray.init(
            include_dashboard=False,
            object_store_memory=options.object_store_mb * MB,
            **kwargs,
        )
    try:
        yield ray
    finally:
        ray.shutdown()  # disconnects; stops the cluster only when it was started here


def check_nodes(ray: Any, runner: str, options: RayOptions) -> list[dict[str, Any]]:
    """Run :func:`node_check` on every alive node (which also makes its caches ready) and refuse
    a cluster whose nodes run another harness build or lack the analyzers."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    remote = ray.remote(node_check)
    refs = {
        node["NodeID"]: remote.options(
            num_cpus=0,
            scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False),
        ).remote(runner)
        for node in ray.nodes()
        if node.get("Alive")
    }
    build = harness_build()
    found: list[dict[str, Any]] = []
    problems: list[str] = []
    for node_id, ref in refs.items():
        try:
            facts = ray.get(ref, timeout=300)
        except Exception as exc:
            problems.append(f"node {node_id[:8]}: cannot run the harness there ({exc})")
            continue
        facts["node_id"] = node_id
        found.append(facts)
        where = f"node {node_id[:8]} ({facts['host']})"
        if facts["build"] != build:
            problems.append(f"{where} runs another harness build; install this one on every node")
        missing = [name for name, ok in facts["tools"].items() if not ok and name != "bwrap"]
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}")
        if not facts["cache_writable"]:
            problems.append(f"{where} cannot write its cache {facts['cache_dir']}")
    if problems:
        raise InputError("the Ray cluster is not ready: " + "; ".join(problems))
    return found


def _job_payload(job: SampleJob) -> dict[str, Any]:
    data = job.model_dump(mode="json")
    data["agent_file"] = job.agent.name
    data["task_file"] = job.task.name
    data["contract_file"] = job.contract.name if job.contract else None
    return data


class _Shipper:
    """Each input file or directory put into the object store once per batch."""

    def __init__(self, ray: Any) -> None:
        self.ray = ray
        self.refs: dict[Path, Any] = {}

    def __call__(self, path: Path) -> Any:
        if path not in self.refs:
            self.refs[path] = self.ray.put(pack(path, arcname=path.name))
        return self.refs[path]


def store(job: SampleJob, payload: dict[str, Any]) -> SampleOutcome:
    """Write one finished sample into the batch folder, as run_sample would have."""
    if payload.get("repo") is not None:
        replace_tree(job.dir / "repo", payload["repo"])
    if payload.get("ok"):
        card = Scorecard.model_validate_json(payload["card"])
        (job.dir / "scorecard.json").write_text(payload["card"], encoding="utf-8")
        return _outcome(job, card, None)
    record = dict(payload.get("record") or {})
    if record.get("log"):
        record["log"] = str(job.dir / "repo" / LOG_NAME)  # where the log landed here
    return record_failure(job, record, payload.get("message") or "failed")


def _lost(exc: BaseException) -> dict[str, Any]:
    """A task Ray gave up on (its retries spent): an error record like any other failure."""
    return {
        "ok": False,
        "message": f"ray: {type(exc).__name__}: {str(exc)[:500]}",
        "record": {"stage": "ray", "error": str(exc)[-4000:], "type": type(exc).__name__},
    }


def cancel(ray: Any, refs: list[Any], grace: float) -> None:
    """Cancel ``refs``: KeyboardInterrupt in running tasks (their cleanup stops apps and agent
    process groups), then, after ``grace`` seconds, kill the workers of those still running."""
    if not refs:
        return
    for ref in refs:
        with suppress(Exception):
            ray.cancel(ref, force=False)
    try:
        _done, left = ray.wait(refs, num_returns=len(refs), timeout=grace)
    except Exception:
        left = refs
    for ref in left:
        with suppress(Exception):
            ray.cancel(ref, force=True)


def run_on_ray(
    jobs: list[SampleJob],
    todo: list[int],
    *,
    runner: str,
    address: str | None,
    options: RayOptions,
    on_done: Callable[[int, SampleOutcome], None],
) -> None:
    """Run ``jobs[i]`` for every i in ``todo`` on Ray; ``on_done`` is called as each finishes,
    after its files are in the batch folder."""
    if not todo:
        return
    with connected(address, options) as ray:
        if options.check_nodes:
            options.nodes = check_nodes(ray, runner, options)
        gen_remote = ray.remote(generate_task).options(
            num_cpus=options.generate_cpus,
            memory=options.generate_memory_mb * MB,
            max_retries=options.max_retries,
            retry_exceptions=False,
            scheduling_strategy="SPREAD",
        )
        resources = {options.docker_resource: 1} if runner == "docker" else {}
        if resources and not ray.cluster_resources().get(options.docker_resource):
            # a task asking for a resource no node offers would wait forever
            raise InputError(
                f"runner docker needs nodes offering the resource {options.docker_resource!r}: "
                f"start them with ray start --resources '{{\"{options.docker_resource}\": 1}}'"
            )
        score_remote = ray.remote(score_task).options(
            num_cpus=options.score_cpus,
            memory=options.score_memory_mb * MB,
            resources=resources,
            max_retries=options.max_retries,
            retry_exceptions=False,
            scheduling_strategy="SPREAD",
        )
        ship = _Shipper(ray)
        pending: dict[Any, int] = {}
        generations: list[Any] = []
        try:
            for i in todo:
                job = jobs[i]
                prepare_sample(job)
                payload = _job_payload(job)
                agent, task = ship(job.agent), ship(job.task)
                generated = gen_remote.remote(payload, agent, task)
                contract = ship(job.contract) if job.contract else None
                pending[score_remote.remote(payload, generated, agent, task, contract)] = i
                generations.append(generated)
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
                for ref in ready:
                    i = pending.pop(ref)
                    try:
                        result = ray.get(ref)
                    except Exception as exc:  # retries spent: this sample fails, the batch goes on
                        result = _lost(exc)
                    on_done(i, store(jobs[i], result))
        except BaseException:
            cancel(ray, [*pending, *generations], options.cancel_grace_s)
            raise


def generate_on_ray(
    agent: Path,
    task: Path,
    out_dir: Path,
    *,
    command: str,
    sample: int = 0,
    seed: int | None = None,
    timeout: float = 600.0,
    retries: int = 2,
    cache: bool = True,
    address: str | None = None,
    options: RayOptions | None = None,
) -> GeneratedRepo:
    """:func:`harness.batch.generate` as one task on a Ray cluster; the repo lands in
    ``out_dir`` here. The node's generation cache serves repeats."""
    from harness.batch._generate import task_prompt

    options = options or RayOptions()
    agent, task, out = Path(agent).resolve(), Path(task).resolve(), Path(out_dir).resolve()
    if not agent.is_file():
        raise InputError(f"agent file {agent} does not exist")
    task_prompt(task)
    _prepare_out(out)
    payload = {
        "agent_file": agent.name,
        "task_file": task.name,
        "command": command,
        "sample": sample,
        "seed": sample if seed is None else seed,
        "timeout": timeout,
        "retries": retries,
        "cache": cache,
    }
    started = time.monotonic()
    with connected(address, options) as ray:
        remote = ray.remote(generate_task).options(
            num_cpus=options.generate_cpus,
            memory=options.generate_memory_mb * MB,
            max_retries=options.max_retries,
            retry_exceptions=False,
        )
        ref = remote.remote(
            payload, ray.put(pack(agent, agent.name)), ray.put(pack(task, task.name))
        )
        try:
            result = ray.get(ref)
        except BaseException:
            cancel(ray, [ref], options.cancel_grace_s)
            raise
    if result.get("repo") is not None:
        shutil.rmtree(out)
        replace_tree(out, result["repo"])
    log = out / LOG_NAME
    if not result["ok"]:
        record = result["record"]
        if record.get("type") == "GenerateError":
            raise GenerateError(
                record["error"].rsplit("; see ", 1)[0] + f"; see {log}", log=log, attempts=0
            )
        raise InputError(result["message"])
    return GeneratedRepo(
        path=out,
        cached=result["cached"],
        duration=time.monotonic() - started,
        attempts=result["attempts"],
        log=log,
        cache_key=result["cache_key"],
        command=result["command"],
    )
