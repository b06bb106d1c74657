"""What runs on a Ray node: one generation, one score, and the per-node check and warm-up.

Each function takes plain data and returns plain data (dicts of str/bytes), so that it crosses
any process or machine boundary; none of them imports Ray. Failures of the work itself (an agent
that writes nothing, an app that does not start) come back as an error record, never as an
exception: Ray retries only what it should, a task whose worker or node was lost.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness.batch._batch import failure, score_repo
from harness.batch._generate import JOB_SETTINGS, GenerateError, generate
from harness.batch._transfer import materialise, pack, replace_paths, scratch_root, unpack

Payload = dict[str, Any]


def harness_build() -> str:
    """A fingerprint of the harness code this process imports: every node must run the same."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for file in sorted(root.rglob("*.py")):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def _inputs_root() -> Path:
    from harness.runner._deps import cache_dir

    return cache_dir() / "ray-inputs"


def node_check(runner: str) -> Payload:
    """What this node has, and its caches made ready: the harness build, the analyzers, the
    sandbox, Docker when the runner needs it. Runs once per node before a batch."""
    from harness.runner._deps import cache_dir

    bindir = Path(sys.executable).parent
    tools = {
        name: bool(shutil.which(name) or (bindir / name).exists()) for name in ("bandit", "semgrep")
    }
    tools["bwrap"] = bool(shutil.which("bwrap"))
    if runner == "docker":
        tools["docker"] = bool(shutil.which("docker")) or Path("/var/run/docker.sock").exists()
    cache = cache_dir()
    writable = True
    try:
        for sub in ("generate", "ray-inputs", "locks"):
            (cache / sub).mkdir(parents=True, exist_ok=True)
    except OSError:
        writable = False
    return {
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "build": harness_build(),
        "cache_dir": str(cache),
        "cache_writable": writable,
        "tools": tools,
        "pid": os.getpid(),
    }


def generate_task(job: Payload, agent_blob: bytes, task_blob: bytes) -> Payload:
    """Generate one sample into node scratch space and return the repo as tar bytes."""
    agent = materialise(agent_blob, job["agent_file"], _inputs_root())
    task = materialise(task_blob, job["task_file"], _inputs_root())
    work = Path(tempfile.mkdtemp(prefix="harness-gen-", dir=scratch_root()))
    started = time.monotonic()
    try:
        try:
            settings = {key: job[key] for key in JOB_SETTINGS}
            repo = generate(agent, task, work / "repo", **settings)
        except Exception as exc:
            log = work / "repo" / "generate.log"
            result = failure(
                "generate", exc, started, log if isinstance(exc, GenerateError) else None
            )
            if (work / "repo").is_dir():
                result["repo"] = pack(work / "repo")
            return result
        return {
            "ok": True,
            "repo": pack(repo.path),
            "cached": repo.cached,
            "attempts": repo.attempts,
            "duration": repo.duration,
            "cache_key": repo.cache_key,
            "command": repo.command,
            "host": socket.gethostname(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def score_task(
    job: Payload,
    generated: Payload,
    agent_blob: bytes,
    task_blob: bytes,
    contract_blob: bytes | None,
) -> Payload:
    """Score a generated repo on this node; the scorecard comes back as rendered JSON whose paths
    name the batch's own files, plus the repo it judged."""
    from harness.report import render

    if not generated["ok"]:
        return generated
    agent = materialise(agent_blob, job["agent_file"], _inputs_root())
    task = materialise(task_blob, job["task_file"], _inputs_root())
    contract = (
        materialise(contract_blob, job["contract_file"], _inputs_root())
        if contract_blob is not None
        else None
    )
    work = Path(tempfile.mkdtemp(prefix="harness-score-", dir=scratch_root()))
    started = time.monotonic()
    try:
        repo = unpack(generated["repo"], work / "repo")
        try:
            card = score_repo(
                job["scorer"], contract, repo, task=task, live=job["live"], runner=job["runner"]
            )
        except Exception as exc:
            result = failure("score", exc, started, None)
            result["repo"] = generated["repo"]
            return result
        mapping = {repo: Path(job["dir"]) / "repo", task: Path(job["task"])}
        mapping[agent] = Path(job["agent"])
        if contract is not None and job.get("contract"):
            mapping[contract] = Path(job["contract"])
        # through the report layer, so that a custom scorer's card is redacted like harness.score's
        text = replace_paths(render(card, "json"), mapping)
        return {"ok": True, "card": text, "repo": generated["repo"], "host": socket.gethostname()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
