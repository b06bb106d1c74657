"""`harness score` as people and pipes meet it: the scorecard JSON on stdout, scorecard.json
always written, the gate's decision in the reports, a summary that fits 80 columns, -q, -v,
--debug, --color."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clirun import ROOT, harness

APP, AGENT = "todo-flask-bad", "backend"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def static(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return harness("score", APP, "--agent", AGENT, "--static", *args, **kw)


def test_json_goes_to_stdout_and_everything_else_to_stderr(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = static("--json", "--out", str(out), "--format", "html")
    assert done.returncode == 1, done.stderr  # the bundled bad app fails the gate
    card = json.loads(done.stdout)  # the whole of stdout is the scorecard
    assert card["requirements"]["sql.parameterized"]["verdict"] == "fail"
    stored = json.loads((out / "scorecard.json").read_text())  # always written
    assert stored["requirements"].keys() == card["requirements"].keys()
    assert "FAIL gate failed" in done.stderr and f"{out}/" in done.stderr
    # the gate's decision is in the HTML report the run wrote
    assert "Gate FAILED" in (out / "scorecard.html").read_text()
    assert not (out / "scorecard.md").exists()


def test_out_dash_prints_the_scorecard_and_writes_nothing(tmp_path: Path) -> None:
    done = static("-o", "-", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["agent"]["name"] == AGENT
    assert list(tmp_path.iterdir()) == []  # no folder named "-", no reports/
    assert "reports:" not in done.stderr
    refused = static("-o", "-", "--format", "sarif", cwd=tmp_path)
    assert refused.returncode == 2 and "drop --format" in refused.stderr


def test_summary_fits_80_columns_failing_first_reports_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = static("--out", str(out), "--format", "sarif", env={"COLUMNS": "80"})
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    # only a path longer than the terminal may be: alone on its line, never cut
    too_long = [ln for ln in lines if len(ln) > 80 and " " in ln.strip()]
    assert not too_long, too_long
    assert "\x1b[" not in done.stdout  # not a terminal: no colour codes
    assert done.stdout.count("reports") == 1 and "reports" not in done.stderr
    assert f"  {out}/" in lines
    assert lines[-1].startswith("FAIL gate failed")
    text = done.stdout
    assert text.index("needs attention") < text.index("sql.parameterized")
    # by default only what needs attention is listed; passes are left to -v
    assert "the other requirements:" not in text
    card = json.loads((out / "scorecard.json").read_text())
    passed = [r for r, v in card["requirements"].items() if v["verdict"] == "pass"]
    assert passed and not any(re.search(rf"\b{re.escape(r)}\s*$", text, re.M) for r in passed)
    # json always; the gate's decision in the Markdown when it is asked for
    assert sorted(p.name for p in out.iterdir()) == ["scorecard.json", "scorecard.sarif"]


def test_quiet_prints_only_the_verdict_line(tmp_path: Path) -> None:
    quiet = static("-q", "--out", str(tmp_path))
    assert quiet.returncode == 1, quiet.stderr
    assert quiet.stdout.count("\n") == 1 and quiet.stdout.startswith("FAIL gate failed")
    assert quiet.stderr == ""
    # the default formats: scorecard.json and the Markdown, with the gate's decision
    assert "**Gate failed**" in (tmp_path / "scorecard.md").read_text()
    assert (tmp_path / "scorecard.json").exists()


def test_verbose_and_debug_say_more(tmp_path: Path) -> None:
    plain = static("--out", str(tmp_path / "a"))
    verbose = static("-v", "--out", str(tmp_path / "b"))
    debug = static("--debug", "--out", str(tmp_path / "c"))
    assert len(plain.stdout) < len(verbose.stdout) < len(debug.stdout)
    assert "the other requirements:" in verbose.stdout and "gate: " in verbose.stdout
    assert "timings:" in debug.stdout and "[static, " in debug.stdout
    assert "timings:" not in verbose.stdout
    # progress lines go to stderr, never to stdout
    assert "checklist:" in debug.stderr and "checklist:" not in debug.stdout


def test_color_flags_and_no_color(tmp_path: Path) -> None:
    forced = static("--color", "-q", "--out", str(tmp_path / "a"), env={"NO_COLOR": "1"})
    assert ANSI.search(forced.stdout), "--color wins over NO_COLOR"
    off = static("--no-color", "-q", "--out", str(tmp_path / "b"), env={"FORCE_COLOR": "1"})
    assert not ANSI.search(off.stdout)
    assert ANSI.sub("", forced.stdout) == off.stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_real_80_column_terminal(tmp_path: Path) -> None:
    """In tmux at 80 columns no line wraps: joined wrapped lines (-J) are never wider."""
    session = f"harness-test-{tmp_path.name}"[:40]
    done_file = tmp_path / "done"
    command = (
        f"cd {ROOT} && PYTHONPATH={ROOT} python -m harness score {APP} --agent {AGENT} "
        f"--static --out {tmp_path / 'out'} -v; echo $? > {done_file}"
    )
    python_dir = str(Path(sys.executable).parent)
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "50"], check=True)
    try:
        subprocess.run(
            ["tmux", "send-keys", "-t", session, f"export PATH={python_dir}:$PATH; clear; "
             + command, "Enter"], check=True,
        )  # fmt: skip
        for _ in range(600):
            if done_file.exists() and done_file.read_text().strip():
                break
            time.sleep(0.5)
        assert done_file.read_text().strip() == "1"
        joined = subprocess.run(
            ["tmux", "capture-pane", "-p", "-J", "-S", "-2000", "-t", session],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    lines = [ln.rstrip() for ln in joined.splitlines()]
    start = next(n for n, ln in enumerate(lines) if ln.startswith(f"{AGENT} × "))
    shown = lines[start:]
    assert any(ln.startswith("FAIL gate failed") for ln in shown)
    assert not [ln for ln in shown if len(ln) > 80], [ln for ln in shown if len(ln) > 80]
