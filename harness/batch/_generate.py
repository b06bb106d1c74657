"""Run any code-generating agent through a command template and collect the repo it writes.

The template names the agent file, the task prompt and the output directory with placeholders; the
command runs without a shell (unless the template itself invokes one), in the output directory, in
its own process group so that a timeout kills everything it started. Outputs are cached by the
content of their inputs, so a re-run of a batch reuses what was already generated.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from harness._errors import HarnessError, InputError
from harness.batch._presets import agent_name

PLACEHOLDERS = (
    "agent",
    "agent_name",
    "prompt",
    "prompt_text",
    "out",
    "sample",
    "seed",
    "task",
    "python",
)
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_SHELLS = {"sh", "bash", "dash", "zsh", "ksh"}
_PROMPT_NAMES = (
    "prompt.md",
    "task.md",
    "PROMPT.md",
    "TASK.md",
    "prompt.txt",
    "task.txt",
    "README.md",
)
_IGNORED = {".git", "__pycache__", ".DS_Store", "node_modules", ".venv"}
LOG_NAME = "generate.log"
# The keyword arguments of generate() that a batch job (or a Ray task's payload) carries.
JOB_SETTINGS = ("command", "sample", "seed", "timeout", "retries", "cache")
_MAX_BACKOFF_S = 30.0


class GeneratedRepo(BaseModel):
    """A repo an agent wrote, and how it came about."""

    path: Path
    cached: bool
    duration: float  # seconds spent here (copying, when cached)
    attempts: int  # command runs made here; 0 when the output came from the cache
    log: Path
    cache_key: str
    command: list[str]


class GenerateError(HarnessError):
    """The agent command failed on every attempt."""

    def __init__(self, message: str, *, log: Path, attempts: int) -> None:
        super().__init__(message)
        self.log = log
        self.attempts = attempts


def cache_root() -> Path:
    """Where generated outputs are cached: $HARNESS_CACHE_DIR/generate, else
    ~/.cache/agent-harness/generate."""
    base = os.environ.get("HARNESS_CACHE_DIR")
    root = Path(base) if base else Path.home() / ".cache" / "agent-harness"
    return root / "generate"


def task_prompt(task: Path) -> Path:
    """The prompt file of a task: the task itself when it is a file, else the first of
    prompt.md, task.md, ... README.md in the task directory, else its only markdown file."""
    if task.is_file():
        return task
    if not task.is_dir():
        raise InputError(f"task {task} does not exist; pass a task directory or a prompt file")
    for name in _PROMPT_NAMES:
        if (task / name).is_file():
            return task / name
    markdown = sorted(task.glob("*.md"))
    if len(markdown) == 1:
        return markdown[0]
    raise InputError(
        f"task {task} has no prompt file; add a prompt.md (or task.md, README.md) describing it"
    )


def content_hash(path: Path) -> str:
    """sha256 of a file's bytes, or of a directory's relative paths and file contents."""
    digest = hashlib.sha256()
    if path.is_file():
        digest.update(path.read_bytes())
        return digest.hexdigest()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        rel = file.relative_to(path)
        if _IGNORED.intersection(rel.parts):
            continue
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(agent_hash: str, task_hash: str, sample: int, seed: int, command: str) -> str:
    """The cache key of one generation. The seed belongs to it: a different seed asks for an
    independent sample, which must not be served from another seed's output."""
    raw = json.dumps(
        {
            "agent": agent_hash,
            "task": task_hash,
            "sample": sample,
            "seed": seed,
            "command": command,
        },
        sort_keys=True,
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def expand_command(command: str, values: dict[str, str]) -> list[str]:
    """Split ``command`` like a shell would and fill in the placeholders.

    Each placeholder fills part of one argument, whatever its value contains. When the template
    runs a shell itself (``sh -c '...'``), values inside the script are shell-quoted.
    """
    try:
        tokens = shlex.split(command)
    except ValueError as exc:
        raise InputError(f"cannot parse the command template {command!r}: {exc}") from exc
    if not tokens:
        raise InputError("the command template is empty; give the command that runs the agent")
    script_at = -1
    if Path(tokens[0]).name in _SHELLS and "-c" in tokens[1:]:
        script_at = tokens.index("-c", 1) + 1

    def fill(token: str, quote: bool) -> str:
        return _PLACEHOLDER.sub(
            lambda m: shlex.quote(values[m.group(1)]) if quote else values[m.group(1)], token
        )

    return [fill(tok, i == script_at) for i, tok in enumerate(tokens)]


def _kill_group(proc: subprocess.Popen[bytes], grace: float = 2.0) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left of it."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # children that outlived the leader still carry its group id
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _clear(out: Path) -> None:
    for entry in out.iterdir():
        if entry.name == LOG_NAME:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _produced_files(out: Path) -> bool:
    return any(p.name != LOG_NAME for p in out.iterdir())


def _run_once(
    argv: list[str], out: Path, timeout: float, log: Path, env: dict[str, str]
) -> str | None:
    """One run of the command; ``None`` on success, else why it failed."""
    with log.open("ab") as sink:
        try:
            proc = subprocess.Popen(
                argv,
                cwd=out,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise InputError(
                f"cannot run {argv[0]!r}: {exc.strerror}; check the command template"
            ) from exc
        except PermissionError as exc:
            raise InputError(f"cannot run {argv[0]!r}: permission denied") from exc
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return f"timed out after {timeout:g} s (process group killed)"
        except BaseException:
            _kill_group(proc)
            raise
        _kill_group(proc, grace=0.0)  # nothing it started may outlive it
    if code != 0:
        return f"exited with status {code}"
    if not _produced_files(out):
        return "exited 0 but wrote no files into the output directory"
    return None


def _log_line(log: Path, text: str) -> None:
    with log.open("a", encoding="utf-8") as sink:
        sink.write(f"[harness] {text}\n")


def _prepare_out(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()) and not (out / LOG_NAME).exists():
        raise InputError(
            f"output directory {out} is not empty and was not written by `harness generate`; "
            "pass an empty or new directory"
        )
    _clear(out)
    (out / LOG_NAME).write_text("", encoding="utf-8")


def _store(cache_dir: Path, key: str, out: Path, meta: dict[str, object]) -> None:
    """Copy a fresh output into the cache; an entry is complete or absent (atomic rename)."""
    target = cache_dir / key
    if target.exists():
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache_dir))
    try:
        shutil.copytree(out, staging / "repo", symlinks=True)
        (staging / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another worker stored it first, or disk full


def generate(
    agent: Path,
    task_dir: Path,
    out_dir: Path,
    *,
    command: str,
    sample: int = 0,
    seed: int | None = None,
    timeout: float = 600.0,
    retries: int = 2,
    backoff: float = 1.0,
    cache: bool = True,
    cache_dir: Path | None = None,
) -> GeneratedRepo:
    """Run the agent command once for ``sample`` and return the repo it wrote into ``out_dir``.

    Placeholders in ``command``: {agent} agent file, {agent_name} its name (frontmatter ``name``
    or file name), {prompt} task prompt file, {prompt_text} its
    text, {out} output directory, {sample} index, {seed} (defaults to the sample index), {task}
    task directory, {python} this interpreter. A failed or timed-out run is retried up to
    ``retries`` times with exponential backoff; when all fail, :class:`GenerateError` is raised.
    """
    agent, task_dir, out = Path(agent), Path(task_dir), Path(out_dir).resolve()
    if not agent.is_file():
        raise InputError(f"agent file {agent} does not exist")
    if timeout <= 0:
        raise InputError("timeout must be positive")
    if not 0 <= retries <= 10:
        raise InputError("retries must be between 0 and 10")
    prompt = task_prompt(task_dir)
    seed = sample if seed is None else seed
    key = cache_key(content_hash(agent), content_hash(task_dir), sample, seed, command)
    values = {
        "agent": str(agent.resolve()),
        "agent_name": agent_name(agent),
        "prompt": str(prompt.resolve()),
        "prompt_text": prompt.read_text(encoding="utf-8", errors="replace"),
        "out": str(out),
        "sample": str(sample),
        "seed": str(seed),
        "task": str(task_dir.resolve()),
        "python": sys.executable,
    }
    argv = expand_command(command, values)
    cache_dir = cache_dir or cache_root()
    log = out / LOG_NAME
    started = time.monotonic()
    _prepare_out(out)

    made = functools.partial(GeneratedRepo, path=out, log=log, cache_key=key, command=argv)
    entry = cache_dir / key
    if cache and (entry / "repo").is_dir():
        _clear(out)
        shutil.copytree(entry / "repo", out, symlinks=True, dirs_exist_ok=True)
        _log_line(log, f"reused cached output {key} from {entry}")
        return made(cached=True, duration=time.monotonic() - started, attempts=0)

    env = dict(os.environ, HARNESS_SAMPLE=str(sample), HARNESS_SEED=str(seed))
    reason = ""
    attempts = 0
    for attempt in range(1, retries + 2):
        attempts = attempt
        if attempt > 1:
            pause = min(_MAX_BACKOFF_S, backoff * 2 ** (attempt - 2))
            _log_line(log, f"retrying in {pause:g} s")
            time.sleep(pause)
            _clear(out)
        _log_line(log, f"attempt {attempt}: {shlex.join(argv)}")
        failure = _run_once(argv, out, timeout, log, env)
        if failure is None:
            duration = time.monotonic() - started
            _log_line(log, f"attempt {attempt} succeeded in {duration:.1f} s")
            if cache:
                meta = {
                    "key": key,
                    "command": command,
                    "argv": argv,
                    "sample": sample,
                    "seed": seed,
                    "duration_s": duration,
                }
                _store(cache_dir, key, out, meta)
            return made(cached=False, duration=duration, attempts=attempt)
        reason = failure
        _log_line(log, f"attempt {attempt} failed: {failure}")
    raise GenerateError(
        f"the agent command failed {attempts} time(s), last: {reason}; see {log}",
        log=log,
        attempts=attempts,
    )
