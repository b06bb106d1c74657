"""Batch runs: every agent x task x sample is generated, scored and stored, in parallel, resumably.

Layout of a batch directory::

    batch.json                                   the resolved spec
    <agent>/<task>/<sample>/repo/                what the agent wrote (plus generate.log)
    <agent>/<task>/<sample>/inputs.json          content hashes of everything the result depends on
    <agent>/<task>/<sample>/scorecard.json       the scorecard, or error.json when the sample failed
    summary.json, summary.md, summary.html       per agent x task figures

A sample whose scorecard exists and whose inputs hash the same is not run again; a failed sample is
recorded in error.json, never aborts the batch, and is retried on the next run.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from harness._errors import InputError
from harness.batch._generate import (
    JOB_SETTINGS,
    GenerateError,
    content_hash,
    generate,
    task_prompt,
)
from harness.batch._presets import command_from
from harness.batch._summary import BatchSummary, SampleOutcome, summarise
from harness.report import render
from harness.scorecard import Scorecard

if TYPE_CHECKING:
    from harness.batch._ray import RayOptions

Scorer = Callable[..., Scorecard]
DEFAULT_SCORER = "harness:score"


class AgentEntry(BaseModel):
    path: Path
    name: str | None = None  # directory name in the batch; defaults to the file name's stem
    seed: int | None = None  # first seed of this agent's samples; defaults to the batch seed


class BatchSpec(BaseModel):
    """What to run. ``contract`` says whose promises each sample is scored against: "self" (the
    agent that generated it), "none" (no agent: every applicable requirement), or the path of an
    agent file (the same contract for every agent, which is what a before/after comparison of a
    prompt that drops a promise needs)."""

    agents: list[AgentEntry]
    tasks: list[Path]
    samples: int = Field(default=5, ge=1, le=1000)
    command: str
    runner: str = "local"
    live: bool = True
    workers: int | None = Field(default=None, ge=1, le=64)
    seed: int = 0
    contract: str = "self"
    timeout: float = Field(default=600.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    cache: bool = True

    @model_validator(mode="before")
    @classmethod
    def _preset(cls, value: Any) -> Any:
        # a preset is a named command template; the spec keeps the template it stands for
        if isinstance(value, dict) and value.get("preset") is not None:
            value = dict(value)
            value["command"] = command_from(value.get("command"), str(value.pop("preset")))
        return value

    @field_validator("agents", mode="before")
    @classmethod
    def _agent_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"path": v} if isinstance(v, str | Path) else v for v in value]
        return value


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def load_spec(path: Path, **overrides: Any) -> BatchSpec:
    """Read a YAML batch spec. Relative paths are relative to the spec file; ``{spec_dir}`` in the
    command is replaced by the spec file's directory. ``overrides`` (not None) win over the file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read batch spec {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"batch spec {path} must be a YAML mapping (agents, tasks, command, ...)")
    base = path.resolve().parent
    if overrides.get("command") is not None:
        data.pop("preset", None)  # a command given on the command line wins over the file's preset
    data.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(data.get("command"), str):
        data["command"] = data["command"].replace("{spec_dir}", str(base))
    spec = make_spec(data)
    for entry in spec.agents:
        entry.path = _under(base, entry.path)
    spec.tasks = [_under(base, t) for t in spec.tasks]
    if spec.contract not in ("self", "none"):
        spec.contract = str(_under(base, Path(spec.contract)))
    return spec


def _under(base: Path, path: Path) -> Path:
    path = Path(os.path.expanduser(path))
    return (path if path.is_absolute() else base / path).resolve()


def make_spec(data: dict[str, Any]) -> BatchSpec:
    try:
        return BatchSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'spec'}: {e['msg']}" for e in exc.errors()
        )
        raise InputError(f"invalid batch spec: {problems}") from exc


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "item"


class SampleJob(BaseModel):
    """One unit of work, self-contained so that it can cross into a worker process."""

    agent: Path
    agent_name: str
    task: Path
    task_name: str
    sample: int
    seed: int
    contract: Path | None
    command: str
    runner: str
    live: bool
    timeout: float
    retries: int
    cache: bool
    dir: Path
    scorer: str = DEFAULT_SCORER

    def inputs(self) -> dict[str, Any]:
        return {
            "agent_sha256": content_hash(self.agent),
            "task_sha256": content_hash(self.task),
            "contract_sha256": content_hash(self.contract) if self.contract else None,
            "command": self.command,
            "sample": self.sample,
            "seed": self.seed,
            "live": self.live,
            "runner": self.runner,
        }


def fingerprint(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def resolve_scorer(ref: str) -> Scorer:
    module, _, name = ref.partition(":")
    try:
        return getattr(importlib.import_module(module), name or "score")
    except (ImportError, AttributeError) as exc:
        raise InputError(f"cannot load the scoring function {ref!r}: {exc}") from exc


def _outcome(job: SampleJob, card: Scorecard | None, error: str | None) -> SampleOutcome:
    path = job.dir / "scorecard.json"
    if card is None:
        return SampleOutcome(
            agent=job.agent_name, task=job.task_name, sample=job.sample, seed=job.seed, error=error
        )
    return SampleOutcome.from_scorecard(
        card, agent=job.agent_name, task=job.task_name, sample=job.sample, seed=job.seed, path=path
    )


def stored_outcome(job: SampleJob) -> SampleOutcome | None:
    """The stored result of ``job`` if its scorecard exists and its inputs are unchanged."""
    card_path, inputs_path = job.dir / "scorecard.json", job.dir / "inputs.json"
    if not (card_path.is_file() and inputs_path.is_file()):
        return None
    try:
        stored = json.loads(inputs_path.read_text(encoding="utf-8"))
        if stored.get("fingerprint") != fingerprint(job.inputs()):
            return None
        card = Scorecard.model_validate_json(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _outcome(job, card, None)


def prepare_sample(job: SampleJob) -> None:
    """Before a sample starts (here or on a cluster): stale results gone, the inputs recorded."""
    job.dir.mkdir(parents=True, exist_ok=True)
    for stale in ("scorecard.json", "error.json"):
        (job.dir / stale).unlink(missing_ok=True)
    inputs = job.inputs()
    (job.dir / "inputs.json").write_text(
        json.dumps({"fingerprint": fingerprint(inputs), **inputs}, indent=2), encoding="utf-8"
    )


def run_sample(job: SampleJob) -> SampleOutcome:
    """Generate and score one sample; any failure is recorded in error.json and returned."""
    prepare_sample(job)
    stage = "generate"
    started = time.monotonic()
    try:
        settings = job.model_dump(include=set(JOB_SETTINGS))
        repo = generate(job.agent, job.task, job.dir / "repo", **settings)
        stage = "score"
        card = score_repo(
            job.scorer, job.contract, repo.path, task=job.task, live=job.live, runner=job.runner
        )
    except Exception as exc:
        result = failure(stage, exc, started, exc.log if isinstance(exc, GenerateError) else None)
        return record_failure(job, result["record"], result["message"])
    # through the report layer, so that a custom scorer's card is redacted like harness.score's
    (job.dir / "scorecard.json").write_text(render(card, "json"), encoding="utf-8")
    return _outcome(job, card, None)


def score_repo(
    scorer: str, contract: Path | None, repo: Path, *, task: Path, live: bool, runner: str
) -> Scorecard:
    """A generated repo's scorecard from the batch's scoring function (here or on a Ray node); a
    custom function may return it as a dict."""
    card = resolve_scorer(scorer)(
        contract, repo, task=task, live=live, runner=runner, out_dir=None, formats=()
    )
    return card if isinstance(card, Scorecard) else Scorecard.model_validate(card)


def failure(stage: str, exc: BaseException, started: float, log: Path | None) -> dict[str, Any]:
    """A failed sample as a task's result: its one-line message and the record error.json keeps
    (call it where the exception is handled: the record holds its traceback)."""
    record: dict[str, Any] = {
        "stage": stage,
        "error": str(exc),
        "type": type(exc).__name__,
        "duration_s": time.monotonic() - started,
        "traceback": traceback.format_exc()[-4000:],
    }
    if log is not None:
        record["log"] = str(log)
    return {"ok": False, "message": f"{stage}: {exc}", "record": record}


def record_failure(job: SampleJob, record: dict[str, Any], message: str) -> SampleOutcome:
    """Write a failed sample's error.json (here or when a Ray task's result comes back)."""
    (job.dir / "error.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return _outcome(job, None, message)


class BatchResult(BaseModel):
    dir: Path
    summary: BatchSummary
    ran: int
    reused: int
    failed: int
    samples: list[SampleOutcome]


def plan(spec: BatchSpec, batch_dir: Path, scorer: str = DEFAULT_SCORER) -> list[SampleJob]:
    """The jobs of a batch, in a stable order."""
    for entry in spec.agents:
        if not entry.path.is_file():
            raise InputError(f"agent file {entry.path} does not exist")
    for task in spec.tasks:
        task_prompt(task)  # raises a clear error for a task without a prompt
    contract: Path | None = None
    if spec.contract not in ("self", "none"):
        contract = Path(spec.contract)
        if not contract.is_file():
            raise InputError(f"contract agent {contract} does not exist")

    names: dict[str, int] = {}
    jobs: list[SampleJob] = []
    for entry in spec.agents:
        name = slug(entry.name or entry.path.stem)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = f"{name}-{names[name]}"
        first_seed = spec.seed if entry.seed is None else entry.seed
        for task in spec.tasks:
            task_name = slug(task.stem if task.is_file() else task.name)
            for sample in range(spec.samples):
                jobs.append(
                    SampleJob(
                        agent=entry.path.resolve(),
                        agent_name=name,
                        task=task.resolve(),
                        task_name=task_name,
                        sample=sample,
                        seed=first_seed + sample,
                        contract=(
                            entry.path.resolve()
                            if spec.contract == "self"
                            else (contract.resolve() if contract else None)
                        ),
                        command=spec.command,
                        runner=spec.runner,
                        live=spec.live,
                        timeout=spec.timeout,
                        retries=spec.retries,
                        cache=spec.cache,
                        dir=batch_dir / name / task_name / str(sample),
                        scorer=scorer,
                    )
                )
    return jobs


class _Progress:
    """A rich progress bar on a terminal, one plain line per sample otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self._bar: Any = None
        self._task: Any = None

    @contextmanager
    def running(self) -> Iterator[_Progress]:
        if self.enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            with Progress(
                TextColumn("[bold]batch"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
            ) as bar:
                self._bar = bar
                self._task = bar.add_task("", total=self.total)
                yield self
            self._bar = None
        else:
            yield self

    def advance(self, outcome: SampleOutcome, how: str) -> None:
        self.done += 1
        what = f"{outcome.agent}/{outcome.task}/{outcome.sample}"
        if outcome.error:
            status = f"error ({outcome.error[:120]})"
        else:
            status = "ok" if outcome.score is None else f"ok score={outcome.score:.2f}"
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{what} {status}")
        elif self.enabled:
            print(f"[{self.done}/{self.total}] {what} {how}: {status}", file=sys.stderr, flush=True)


def run_batch(
    spec: BatchSpec,
    batch_dir: Path,
    *,
    fresh: bool = False,
    progress: bool = True,
    scorer: str = DEFAULT_SCORER,
    engine: str = "local",
    ray_address: str | None = None,
    ray_options: RayOptions | None = None,
) -> BatchResult:
    """Run (or resume) a batch into ``batch_dir`` and write its summary.

    ``scorer`` names the scoring function as "module:function" (it must be importable in worker
    processes); it is called like :func:`harness.score`. ``engine`` "local" runs a process pool
    here; "ray" runs each generation and score as a task on the Ray cluster at ``ray_address``
    (a Ray started here when None; ``ray_options`` a :class:`harness.batch.RayOptions`).
    """
    if engine not in ("local", "ray"):
        raise InputError(f"unknown engine {engine!r}; use local or ray")
    from harness.batch._render import summary_html, summary_markdown

    batch_dir = Path(batch_dir).resolve()
    batch_dir.mkdir(parents=True, exist_ok=True)
    resolve_scorer(scorer)  # fail early, not once per sample
    jobs = plan(spec, batch_dir, scorer)
    (batch_dir / "batch.json").write_text(spec.model_dump_json(indent=2), encoding="utf-8")

    results: dict[int, SampleOutcome] = {}
    todo: list[int] = []
    for i, job in enumerate(jobs):
        stored = None if fresh else stored_outcome(job)
        if stored is not None:
            results[i] = stored
        else:
            todo.append(i)

    reporter = _Progress(len(jobs), progress)
    workers = spec.workers or default_workers()
    with reporter.running():
        for i in sorted(results):
            reporter.advance(results[i], "reused")
        if engine == "ray":
            from harness.batch._ray import RayOptions, run_on_ray

            def done(i: int, outcome: SampleOutcome) -> None:
                results[i] = outcome
                reporter.advance(outcome, "ran")

            run_on_ray(
                jobs,
                todo,
                runner=spec.runner,
                address=ray_address,
                options=ray_options or RayOptions(),
                on_done=done,
            )
        elif workers == 1 or len(todo) <= 1:
            for i in todo:
                results[i] = run_sample(jobs[i])
                reporter.advance(results[i], "ran")
        else:
            # processes, not threads: scoring starts apps and may install signal handlers
            with ProcessPoolExecutor(
                max_workers=min(workers, len(todo)), mp_context=get_context("spawn")
            ) as pool:
                futures: dict[Future[SampleOutcome], int] = {
                    pool.submit(run_sample, jobs[i]): i for i in todo
                }
                for future in as_completed(futures):
                    i = futures[future]
                    try:
                        results[i] = future.result()
                    except Exception as exc:  # a worker died: record it, keep going
                        results[i] = _outcome(jobs[i], None, f"worker: {exc}")
                    reporter.advance(results[i], "ran")

    samples = [results[i] for i in range(len(jobs))]
    summary = summarise(samples, spec=json.loads(spec.model_dump_json()))
    (batch_dir / "summary.json").write_text(
        summary.model_dump_json(indent=2, by_alias=True), encoding="utf-8"
    )
    (batch_dir / "summary.md").write_text(summary_markdown(summary), encoding="utf-8")
    (batch_dir / "summary.html").write_text(summary_html(summary), encoding="utf-8")
    return BatchResult(
        dir=batch_dir,
        summary=summary,
        ran=len(todo),
        reused=len(jobs) - len(todo),
        failed=sum(1 for s in samples if s.error),
        samples=samples,
    )
