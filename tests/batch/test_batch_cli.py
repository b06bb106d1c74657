"""`harness generate`, `harness batch`, `harness diff` through the click entry point."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness._paths import fixtures_dir
from harness.cli import main
from harness.scorecard._model import (
    AgentRef,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Scorecard,
    Verdict,
)

SCRIPTED = fixtures_dir() / "scripted-agent"
TASK = fixtures_dir() / "tasks" / "todo-api"
COMMAND = (
    f"{sys.executable} {SCRIPTED / 'generate.py'} --agent {{agent}} --prompt {{prompt}} "
    "--out {out} --seed {seed}"
)


def card(verdicts: dict[str, str]) -> Scorecard:
    return Scorecard(
        agent=AgentRef(name="a"),
        repo=RepoRef(path="/r"),
        task="todo-api",
        items=[],
        requirements={r: RequirementVerdict(verdict=Verdict(v)) for r, v in verdicts.items()},
        score=None,
        coverage=1.0,
        run=RunInfo(started_at="2025-01-01T00:00:00", duration_s=0.0),
    )


def side(root: Path, values: list[str]) -> Path:
    for i, v in enumerate(values):
        d = root / "todo-api" / str(i)
        d.mkdir(parents=True)
        (d / "scorecard.json").write_text(card({"auth.password-hashing": v}).model_dump_json())
        (d / "inputs.json").write_text(json.dumps({"seed": i}))
    return root


def test_generate_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    args = ["generate", "--agent", str(SCRIPTED / "agent-before.md"), "--task", str(TASK),
            "--out", str(tmp_path / "out"), "--command", COMMAND, "--sample", "2"]  # fmt: skip
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "in 1 attempt(s)" in first.output and (tmp_path / "out" / "app.py").is_file()
    again = CliRunner().invoke(main, [*args[:6], str(tmp_path / "out2"), *args[7:]])
    assert again.exit_code == 0 and "from cache" in again.output


def test_generate_reports_failures_with_exit_codes(tmp_path: Path) -> None:
    args = ["generate", "--agent", str(SCRIPTED / "agent-before.md"), "--task", str(TASK),
            "--out", str(tmp_path / "o"), "--retries", "0", "--no-cache"]  # fmt: skip
    failing = CliRunner().invoke(main, [*args, "--command", "sh -c 'exit 9'"])
    assert failing.exit_code == 3 and "exited with status 9" in failing.output
    missing = CliRunner().invoke(main, [*args, "--command", "no-such-binary-here {out}"])
    assert missing.exit_code == 2 and "cannot run" in missing.output


def test_diff_formats_and_fail_on_regression(tmp_path: Path) -> None:
    base = side(tmp_path / "before", ["pass"] * 9 + ["fail"])
    cand = side(tmp_path / "after", ["fail"] * 10)
    md = CliRunner().invoke(main, ["diff", str(base), str(cand)])
    assert md.exit_code == 0 and "| regression (significant) |" in md.output
    gated = CliRunner().invoke(main, ["diff", str(base), str(cand), "--fail-on-regression"])
    assert gated.exit_code == 1
    out = tmp_path / "report.html"
    html = CliRunner().invoke(main, ["diff", str(base), str(cand), "--format", "html",
                                     "--out", str(out)])  # fmt: skip
    assert html.exit_code == 0 and out.read_text().startswith("<!DOCTYPE html>")
    js = CliRunner().invoke(main, ["diff", str(base), str(cand), "--format", "json"])
    data = json.loads(js.stdout)
    assert data["regressions"] == ["todo-api:auth.password-hashing"]
    # an alpha below the p-value (2 * 0.5**9 = 0.0039) leaves nothing to fail on
    strict = CliRunner().invoke(
        main, ["diff", str(base), str(cand), "--alpha", "0.001", "--fail-on-regression"]
    )
    assert strict.exit_code == 0
    same = CliRunner().invoke(main, ["diff", str(base), str(base), "--fail-on-regression"])
    assert same.exit_code == 0


def test_batch_needs_inputs(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", "--out", str(tmp_path / "b")])
    assert result.exit_code == 2 and "missing: agents, tasks, command" in result.output


@pytest.mark.live
@pytest.mark.slow
def test_diff_gate_fails_when_the_app_no_longer_starts(tmp_path: Path) -> None:
    """Real scorecards: the same app scored live, then a copy that exits at import because it
    now needs a setting nobody gave it. Its live promises turn to error, which the gate fails on
    in every format although not one of them went from pass to fail."""
    from harness import score

    app = fixtures_dir() / "apps" / "bare-flask-single"
    broken = tmp_path / "broken-app"
    shutil.copytree(app, broken)
    source = (broken / "app.py").read_text()
    assert "DATABASE = 'todos.db'" in source
    (broken / "app.py").write_text(
        "import os\n" + source.replace("DATABASE = 'todos.db'", 'DATABASE = os.environ["TODO_DB"]')
    )
    base_card = score("backend", app, out_dir=tmp_path / "base", formats=("json",))
    cand_card = score("backend", broken, out_dir=tmp_path / "cand", formats=("json",))
    assert any("did not start" in n for n in cand_card.run.notes)
    lost = {
        rid
        for rid, v in base_card.requirements.items()
        if v.verdict != Verdict.not_checkable
        and v.verdict != Verdict.error
        and cand_card.requirements[rid].verdict in (Verdict.error, Verdict.not_checkable)
    }
    # decided live before, and now they cannot be (which ones varies: this bare app's one SQLite
    # file sometimes answers a concurrent write with a 500, and the harness then says error)
    assert lost & {"auth.authorization", "sql.parameterized", "output.xss-encoding", "api.crud"}

    base, cand = tmp_path / "base" / "scorecard.json", tmp_path / "cand" / "scorecard.json"
    for fmt in ("md", "html", "json"):
        gated = CliRunner().invoke(
            main, ["diff", str(base), str(cand), "--format", fmt, "--fail-on-regression"]
        )
        assert gated.exit_code == 1, (fmt, gated.output)
        assert "broken (decided before, cannot be decided now)" in gated.stderr
        assert all(rid in gated.stdout for rid in lost), (fmt, lost)
    data = json.loads(CliRunner().invoke(main, ["diff", str(base), str(cand), "--format",
                                                "json"]).stdout)  # fmt: skip
    assert {name.split(":", 1)[1] for name in data["broken"]} == lost
    assert data["regressions"] == [] and data["has_regression"] is True
    # the same app against itself: nothing to fail on
    same = CliRunner().invoke(main, ["diff", str(base), str(base), "--fail-on-regression"])
    assert same.exit_code == 0, same.output


@pytest.mark.parametrize("command", ["batch", "generate"])
def test_ray_options_need_the_ray_engine(tmp_path: Path, command: str) -> None:
    args = [command, "--agent", str(SCRIPTED / "agent-before.md"), "--task", str(TASK)]
    args += ["--command", COMMAND, "--out", str(tmp_path / "out"), "--ray-address", "127.0.0.1:1"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code != 0 and "need --engine ray" in done.output
    assert not (tmp_path / "out").exists()  # refused before anything ran


def test_ray_runtime_env_must_be_a_json_object(tmp_path: Path) -> None:
    args = ["batch", "--agent", str(SCRIPTED / "agent-before.md"), "--task", str(TASK)]
    args += ["--command", COMMAND, "--out", str(tmp_path / "out"), "--engine", "ray"]
    done = CliRunner().invoke(main, [*args, "--ray-runtime-env", "[1, 2]"])
    assert done.exit_code != 0 and "JSON object" in done.output
