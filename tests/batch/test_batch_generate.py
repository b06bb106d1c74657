"""`generate` with real subprocesses: placeholders, timeouts that kill the process group, bounded
retries, and the content-keyed cache."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from harness._errors import InputError
from harness.batch import GenerateError, cache_root, expand_command, generate, task_prompt

AGENT_SCRIPT = textwrap.dedent(
    """
    import json, os, pathlib, subprocess, sys, time

    mode, out, counter = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    runs = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(runs + 1))
    print(f"run {runs + 1} mode {mode}")
    print("to stderr", file=sys.stderr)
    if mode == "sleep":
        child = subprocess.Popen(["sleep", "120"])
        (counter.parent / "child.pid").write_text(str(child.pid))
        time.sleep(120)
    if mode == "flaky" and runs < 2:
        sys.exit(3)
    if mode == "fail":
        sys.exit(4)
    if mode == "empty":
        sys.exit(0)
    (out / "app.py").write_text("print('hello')\\n")
    (out / "args.json").write_text(json.dumps({"argv": sys.argv[4:], "cwd": os.getcwd()}))
    """
)


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    script = tmp_path / "agent_script.py"
    script.write_text(AGENT_SCRIPT)
    agent = tmp_path / "agent.md"
    agent.write_text("---\nname: test\n---\nPromise: hash passwords with bcrypt.\n")
    task = tmp_path / "task"
    task.mkdir()
    (task / "prompt.md").write_text("Build a todo API with 'quotes' and spaces.\n")
    return {
        "script": script,
        "agent": agent,
        "task": task,
        "counter": tmp_path / "runs.txt",
        "cache": tmp_path / "cache",
        "out": tmp_path / "out",
    }


def command(s: dict[str, Path], mode: str, extra: str = "") -> str:
    return f"{sys.executable} {s['script']} {mode} {{out}} {s['counter']} {extra}"


def runs(s: dict[str, Path]) -> int:
    return int(s["counter"].read_text()) if s["counter"].exists() else 0


def test_placeholders_cwd_and_log(setup: dict[str, Path]) -> None:
    s = setup
    repo = generate(
        s["agent"],
        s["task"],
        s["out"],
        command=command(s, "ok", "{agent} {prompt} {prompt_text} {sample} {seed} {task}"),
        sample=3,
        cache_dir=s["cache"],
    )
    assert not repo.cached and repo.attempts == 1
    args = json.loads((s["out"] / "args.json").read_text())
    # {prompt_text} stays one argument although it has spaces and quotes
    assert args["argv"] == [
        str(s["agent"].resolve()),
        str((s["task"] / "prompt.md").resolve()),
        "Build a todo API with 'quotes' and spaces.\n",
        "3",
        "3",  # the seed defaults to the sample index
        str(s["task"].resolve()),
    ]
    assert Path(args["cwd"]).resolve() == s["out"].resolve()
    log = repo.log.read_text()
    assert "run 1 mode ok" in log and "to stderr" in log and "attempt 1 succeeded" in log


def test_shell_templates_quote_values(setup: dict[str, Path]) -> None:
    s = setup
    cmd = "sh -c 'printf %s {prompt_text} > prompt_copy.txt; echo {sample} > n.txt'"
    generate(s["agent"], s["task"], s["out"], command=cmd, sample=1, cache_dir=s["cache"])
    assert (s["out"] / "prompt_copy.txt").read_text() == (s["task"] / "prompt.md").read_text()
    assert (s["out"] / "n.txt").read_text().strip() == "1"


def test_expand_command_without_shell() -> None:
    argv = expand_command("gen --out {out} --p {prompt_text} {unknown}", {
        "out": "/tmp/a b", "prompt_text": "x; rm -rf /", "agent": "", "prompt": "", "sample": "0",
        "seed": "0", "task": "", "python": "py",
    })  # fmt: skip
    assert argv == ["gen", "--out", "/tmp/a b", "--p", "x; rm -rf /", "{unknown}"]


def test_timeout_kills_the_process_group(setup: dict[str, Path]) -> None:
    s = setup
    started = time.monotonic()
    with pytest.raises(GenerateError) as info:
        generate(
            s["agent"],
            s["task"],
            s["out"],
            command=command(s, "sleep"),
            timeout=1.5,
            retries=0,
            cache_dir=s["cache"],
        )
    assert time.monotonic() - started < 20
    assert "timed out" in str(info.value) and info.value.attempts == 1
    child = int((s["counter"].parent / "child.pid").read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().split()[2]
        except FileNotFoundError:
            break
        if state == "Z":
            break  # dead, waiting to be reaped by init
        time.sleep(0.1)
    else:
        os.kill(child, 9)
        pytest.fail("the agent's child process survived the timeout")
    assert not s["cache"].exists() or not any(s["cache"].iterdir())


def test_retries_with_backoff_then_success(setup: dict[str, Path]) -> None:
    s = setup
    started = time.monotonic()
    repo = generate(
        s["agent"],
        s["task"],
        s["out"],
        command=command(s, "flaky"),
        retries=3,
        backoff=0.2,
        cache_dir=s["cache"],
    )
    assert repo.attempts == 3 and runs(s) == 3
    assert time.monotonic() - started >= 0.2 + 0.4  # backoff doubled between attempts
    log = repo.log.read_text()
    assert log.count("failed: exited with status 3") == 2 and "retrying in 0.4 s" in log


def test_retries_are_bounded(setup: dict[str, Path]) -> None:
    s = setup
    with pytest.raises(GenerateError) as info:
        generate(
            s["agent"],
            s["task"],
            s["out"],
            command=command(s, "fail"),
            retries=2,
            backoff=0.01,
            cache_dir=s["cache"],
        )
    assert info.value.attempts == 3 and runs(s) == 3
    assert "exited with status 4" in str(info.value)


def test_empty_output_is_a_failure(setup: dict[str, Path]) -> None:
    s = setup
    with pytest.raises(GenerateError, match="wrote no files"):
        generate(s["agent"], s["task"], s["out"], command=command(s, "empty"), retries=0,
                 cache_dir=s["cache"])  # fmt: skip


def test_cache_reuses_outputs_and_keys_on_content(setup: dict[str, Path], tmp_path: Path) -> None:
    s = setup
    cmd = command(s, "ok")
    first = generate(s["agent"], s["task"], s["out"], command=cmd, cache_dir=s["cache"])
    second = generate(s["agent"], s["task"], tmp_path / "again", command=cmd, cache_dir=s["cache"])
    assert not first.cached and second.cached and second.attempts == 0
    assert runs(s) == 1  # the command did not run again
    assert (tmp_path / "again" / "app.py").read_text() == (s["out"] / "app.py").read_text()
    assert "reused cached output" in second.log.read_text()

    # each input of the key forces a new run: sample, seed, command, task and agent content
    generate(s["agent"], s["task"], tmp_path / "o1", command=cmd, sample=1, cache_dir=s["cache"])
    generate(s["agent"], s["task"], tmp_path / "o2", command=cmd, seed=99, cache_dir=s["cache"])
    generate(s["agent"], s["task"], tmp_path / "o3", command=cmd + " x", cache_dir=s["cache"])
    (s["task"] / "prompt.md").write_text("another task\n")
    generate(s["agent"], s["task"], tmp_path / "o4", command=cmd, cache_dir=s["cache"])
    s["agent"].write_text("---\nname: test\n---\nPromise: nothing.\n")
    generate(s["agent"], s["task"], tmp_path / "o5", command=cmd, cache_dir=s["cache"])
    assert runs(s) == 6
    # a byte-identical copy of the agent under another name is the same input
    copy = tmp_path / "copy.md"
    copy.write_bytes(s["agent"].read_bytes())
    assert generate(copy, s["task"], tmp_path / "o6", command=cmd, cache_dir=s["cache"]).cached
    # and the cache can be bypassed
    generate(s["agent"], s["task"], tmp_path / "o7", command=cmd, cache=False, cache_dir=s["cache"])
    assert runs(s) == 7


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "c"))
    assert cache_root() == tmp_path / "c" / "generate"
    monkeypatch.delenv("HARNESS_CACHE_DIR")
    assert cache_root() == Path.home() / ".cache" / "agent-harness" / "generate"


def test_refuses_foreign_output_dir_and_missing_command(setup: dict[str, Path]) -> None:
    s = setup
    s["out"].mkdir()
    (s["out"] / "precious.txt").write_text("keep me")
    with pytest.raises(InputError, match="not empty"):
        generate(s["agent"], s["task"], s["out"], command=command(s, "ok"), cache_dir=s["cache"])
    assert (s["out"] / "precious.txt").read_text() == "keep me"
    with pytest.raises(InputError, match="cannot run"):
        generate(s["agent"], s["task"], s["task"].parent / "o", command="no-such-agent-cmd {out}",
                 cache_dir=s["cache"])  # fmt: skip


def test_task_prompt_lookup(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "README.md").write_text("x")
    (tmp_path / "a" / "task.md").write_text("y")
    assert task_prompt(tmp_path / "a").name == "task.md"
    (tmp_path / "b").mkdir()
    with pytest.raises(InputError, match=r"prompt\.md"):
        task_prompt(tmp_path / "b")
