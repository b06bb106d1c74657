"""The command line as a user meets it: exit codes, one-line errors, where the reports are."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def harness(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_missing_repo_is_a_usage_error_in_one_line() -> None:
    done = harness("score", "/no/such/repo", "--static")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "not a directory" in done.stderr


def test_missing_agent_file_is_a_usage_error(tmp_path: Path) -> None:
    done = harness("score", "todo-fastapi-good", "--agent", str(tmp_path / "nope.md"), "--static")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "nope.md" in done.stderr


def test_unknown_format_is_a_usage_error() -> None:
    done = harness("score", "todo-fastapi-good", "--static", "--format", "pdf")
    assert done.returncode == 2


def test_static_score_gates_and_says_where_the_reports_are(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = harness(
        "score",
        "todo-flask-bad",
        "--agent",
        "backend",
        "--static",
        "--out",
        str(out),
        "--format",
        "json,sarif",
    )
    assert done.returncode == 1, done.stderr  # high-severity promises broken: the gate fails
    assert f"{out}/" in done.stdout and "reports" in done.stdout
    gate = done.stdout[done.stdout.index("gate: failed") :]
    assert "sql.parameterized" in gate  # the gate names what failed
    card = json.loads((out / "scorecard.json").read_text())
    assert card["requirements"]["sql.parameterized"]["verdict"] == "fail"
    assert (out / "scorecard.sarif").exists()


def test_good_app_passes_the_gate_with_a_score_floor(tmp_path: Path) -> None:
    done = harness(
        "score",
        "todo-fastapi-good",
        "--agent",
        "backend-developer",
        "--static",
        "--out",
        str(tmp_path),
        "--format",
        "json",
        "--min-score",
        "0.9",
        "-q",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    card = json.loads((tmp_path / "scorecard.json").read_text())
    assert card["score"] >= 0.9


def test_checks_lists_a_check_for_every_requirement_in_the_vocabulary() -> None:
    from harness.catalogue import load_requirements

    done = harness("checks", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    by_kind: dict[str, set[str]] = {"static": set(), "live": set()}
    for row in rows:
        by_kind[row["kind"]].add(row["requirement"])
    # ids whose live probe is still to be built (checks/live_pending.yaml), and only those
    pending = set(yaml.safe_load((ROOT / "checks" / "live_pending.yaml").read_text()) or {})
    for rid, req in load_requirements().items():
        if req.static:
            assert rid in by_kind["static"], f"{rid} promises static evidence but has no check"
        if req.live and rid in pending:
            assert rid not in by_kind["live"], f"{rid} has a probe: drop it from live_pending.yaml"
        elif req.live:
            assert rid in by_kind["live"], f"{rid} promises live evidence but has no probe"


def test_checks_rejects_an_unknown_requirement() -> None:
    done = harness("checks", "--requirement", "no.such.thing")
    assert done.returncode == 2
    assert "unknown requirement" in done.stderr


# -- nothing to score: a usage error in one line, never a verdict or a gate ----------------------

FRONTMATTER_ONLY = """---
name: backend-dev
description: Builds backend services for web apps.
tools: Read, Write, Edit, Bash
model: sonnet
---
"""
UNRELATED = """---
name: designer
description: Landing page designer
---

You design friendly landing pages with a warm colour palette.
Always ask the user about their brand before you start.
"""


def agent_files(root: Path) -> dict[str, Path]:
    root.mkdir()
    files = {
        "random.md": random.Random(8).randbytes(3000),
        "empty.md": b"",
        "frontmatter.md": FRONTMATTER_ONLY.encode(),
        "blank-body.md": (FRONTMATTER_ONLY + "\n   \n\n").encode(),
        "unrelated.md": UNRELATED.encode(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    return {name: root / name for name in files}


def one_usage_line(done: subprocess.CompletedProcess[str], names: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("harness: error: nothing to score") and names in lines[0]
    assert "Traceback" not in done.stderr and "gate:" not in done.stderr


def test_an_agent_file_without_promises_is_a_usage_error(tmp_path: Path) -> None:
    for name, path in agent_files(tmp_path / "agents").items():
        done = harness(
            "score", "bare-flask-single", "--agent", str(path), "--static",
            "--out", str(tmp_path / "out"), "--format", "json",
        )  # fmt: skip
        one_usage_line(done, name)
        assert not (tmp_path / "out" / "scorecard.json").exists(), name


def repos(root: Path) -> dict[str, Path]:
    made = {name: root / name for name in ("empty", "readme-only", "images-only")}
    for path in made.values():
        path.mkdir(parents=True)
    (made["readme-only"] / "README.md").write_text("# Todo API\n\nRun `python app.py`.\n")
    (made["images-only"] / "static").mkdir()
    (made["images-only"] / "static" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (made["images-only"] / "screenshot.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    return made


def test_a_repo_without_an_app_is_a_usage_error(tmp_path: Path) -> None:
    for name, repo in repos(tmp_path / "repos").items():
        for mode in (["--static"], []):  # detected before anything starts, live or not
            done = harness("score", str(repo), "--agent", "backend", *mode, "--format", "json",
                           "--out", str(tmp_path / "out"))  # fmt: skip
            one_usage_line(done, str(repo))
            assert "no app found" in done.stderr, (name, done.stderr)


def test_an_agent_without_promises_ends_a_live_run_with_one_line(tmp_path: Path) -> None:
    agent = agent_files(tmp_path / "agents")["random.md"]
    done = harness("score", "bare-flask-single", "--agent", str(agent), "--format", "json",
                   "--out", str(tmp_path / "out"))  # fmt: skip
    one_usage_line(done, "random.md")


def test_an_app_with_a_syntax_error_is_still_scored(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    shutil.copytree(ROOT / "fixtures" / "apps" / "bare-flask-single", repo)
    source = (repo / "app.py").read_text()
    (repo / "app.py").write_text(source.replace("def get_db():", "def get_db(:", 1))
    done = harness("score", str(repo), "--agent", "backend", "--static", "--format", "json",
                   "--out", str(tmp_path / "out"), "-q")  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    card = json.loads((tmp_path / "out" / "scorecard.json").read_text())
    assert card["requirements"]
