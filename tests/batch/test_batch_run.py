"""Batch mechanics with the scripted agent and a stand-in scorer (the scoring boundary is faked
here; tests/batch/test_batch_acceptance.py runs the real pipeline): layout, resume, failures that
do not abort, parallel workers, and the summary files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness._errors import InputError
from harness._paths import fixtures_dir
from harness.batch import load_spec, make_spec, run_batch
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
    "{python} "
    + str(SCRIPTED / "generate.py")
    + " --agent {agent} --prompt {prompt} --out {out} --seed {seed}"
)


def fake_score(agent, repo, *, task=None, live=True, runner="local", out_dir=None, formats=()):
    """Reads the generated app.py: bcrypt means hashed passwords, "?" placeholders mean
    parameterized SQL. Enough to exercise batch bookkeeping without the real pipeline."""
    source = (Path(repo) / "app.py").read_text()
    verdicts = {
        "auth.password-hashing": "pass" if "bcrypt.hashpw" in source else "fail",
        "sql.parameterized": "fail"
        if "f\"SELECT id FROM users WHERE email = '" in source
        else "pass",
    }
    reqs = {r: RequirementVerdict(verdict=Verdict(v)) for r, v in verdicts.items()}
    return Scorecard(
        agent=AgentRef(name=Path(agent).stem if agent else "catalogue"),
        repo=RepoRef(path=str(repo)),
        task=str(task),
        items=[],
        requirements=reqs,
        score=sum(v == "pass" for v in verdicts.values()) / len(verdicts),
        coverage=1.0,
        run=RunInfo(started_at="2025-01-01T00:00:00", duration_s=0.0),
    )


SCORER = f"{__name__}:fake_score"


def spec(**kw: object):
    data = {
        "agents": [str(SCRIPTED / "agent-before.md"), str(SCRIPTED / "agent-after.md")],
        "tasks": [str(TASK)],
        "samples": 4,
        "command": COMMAND,
        "live": False,
        "workers": 1,
    }
    data.update(kw)
    return make_spec(data)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))


def test_layout_summary_and_resume(tmp_path: Path) -> None:
    out = tmp_path / "batch"
    result = run_batch(spec(), out, scorer=SCORER, progress=False)
    assert (result.ran, result.reused, result.failed) == (8, 0, 0)
    for agent in ("agent-before", "agent-after"):
        for i in range(4):
            d = out / agent / "todo-api" / str(i)
            assert (d / "scorecard.json").is_file() and (d / "repo" / "app.py").is_file()
            assert json.loads((d / "inputs.json").read_text())["seed"] == i
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema"] == "harness.batch-summary/1"
    groups = {g["agent"]: g for g in summary["groups"]}
    before = groups["agent-before"]["requirements"]["auth.password-hashing"]
    after = groups["agent-after"]["requirements"]["auth.password-hashing"]
    # the scripted agent forgets bcrypt only for some seeds; the after prompt never promises it
    assert after["passed"] == 0 and after["n"] == 4
    assert before["passed"] >= 3
    assert (out / "summary.md").read_text().startswith("# Batch summary")
    assert "<table>" in (out / "summary.html").read_text()

    again = run_batch(spec(), out, scorer=SCORER, progress=False)
    assert (again.ran, again.reused) == (0, 8)
    assert again.summary.model_dump() == result.summary.model_dump()

    # a changed input invalidates exactly the samples that depend on it
    copy = tmp_path / "agent-before.md"
    copy.write_text((SCRIPTED / "agent-before.md").read_text() + "\n- Log security events.\n")
    changed = spec(agents=[str(copy), str(SCRIPTED / "agent-after.md")])
    third = run_batch(changed, out, scorer=SCORER, progress=False)
    assert (third.ran, third.reused) == (4, 4)


def test_a_failing_sample_does_not_abort_the_batch(tmp_path: Path) -> None:
    failing = "sh -c 'if [ {sample} = 2 ]; then echo broken >&2; exit 5; fi; " + COMMAND + "'"
    s = spec(command=failing, agents=[str(SCRIPTED / "agent-before.md")], retries=1)
    out = tmp_path / "batch"
    result = run_batch(s, out, scorer=SCORER, progress=False)
    assert (result.ran, result.failed) == (4, 1)
    err = json.loads((out / "agent-before" / "todo-api" / "2" / "error.json").read_text())
    assert err["stage"] == "generate" and "exited with status 5" in err["error"]
    assert "broken" in Path(err["log"]).read_text()
    g = result.summary.groups[0]
    assert g.sample_errors == 1 and g.requirements["auth.password-hashing"].n == 3
    assert "sample 2" in (out / "summary.md").read_text()
    # failed samples are retried on the next run, finished ones are not
    again = run_batch(s, out, scorer=SCORER, progress=False)
    assert (again.ran, again.reused, again.failed) == (1, 3, 1)


def test_scoring_errors_are_recorded(tmp_path: Path) -> None:
    result = run_batch(
        spec(agents=[str(SCRIPTED / "agent-after.md")], samples=2),
        tmp_path / "b",
        scorer=f"{__name__}:broken_score",
        progress=False,
    )
    assert result.failed == 2
    err = json.loads((tmp_path / "b" / "agent-after" / "todo-api" / "0" / "error.json").read_text())
    assert err["stage"] == "score" and "analyzer exploded" in err["error"]


def broken_score(*args, **kwargs):
    raise RuntimeError("analyzer exploded")


def test_parallel_workers_give_the_same_results(tmp_path: Path) -> None:
    serial = run_batch(spec(samples=3), tmp_path / "serial", scorer=SCORER, progress=False)
    parallel = run_batch(
        spec(samples=3, workers=2), tmp_path / "parallel", scorer=SCORER, progress=False
    )
    assert parallel.ran == 6 and parallel.failed == 0

    def outcomes(summary):
        return [(g.agent, g.task, {r: st.outcomes for r, st in g.requirements.items()})
                for g in summary.groups]  # fmt: skip

    assert outcomes(parallel.summary) == outcomes(serial.summary)


def test_progress_lines_when_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run_batch(spec(samples=1), tmp_path / "b", scorer=SCORER, progress=True)
    err = capsys.readouterr().err
    assert "[1/2] agent-before/todo-api/0 ran: ok" in err and "[2/2]" in err


def test_spec_file_paths_and_contract(tmp_path: Path) -> None:
    spec_file = tmp_path / "spec.yaml"
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "a.md").write_text("Hash passwords with bcrypt.\n")
    spec_file.write_text(
        "agents: [agents/a.md, {path: agents/a.md, name: again, seed: 100}]\n"
        f"tasks: [{TASK}]\nsamples: 2\ncontract: agents/a.md\n"
        "command: '{python} {spec_dir}/gen.py {out}'\n"
    )
    s = load_spec(spec_file, samples=3)
    assert s.agents[0].path == tmp_path / "agents" / "a.md"
    assert s.agents[1].name == "again" and s.agents[1].seed == 100
    assert s.samples == 3  # an override wins over the file
    assert s.contract == str(tmp_path / "agents" / "a.md")
    assert s.command == "{python} " + str(tmp_path) + "/gen.py {out}"
    with pytest.raises(InputError, match="samples"):
        make_spec({"agents": ["a"], "tasks": ["t"], "command": "x", "samples": 0})
    with pytest.raises(InputError, match="does not exist"):
        run_batch(make_spec({"agents": ["/nope.md"], "tasks": [str(TASK)], "command": "x"}),
                  tmp_path / "o", scorer=SCORER, progress=False)  # fmt: skip


def test_seeds_per_agent(tmp_path: Path) -> None:
    s = spec(
        agents=[
            {"path": str(SCRIPTED / "agent-before.md")},
            {"path": str(SCRIPTED / "agent-before.md"), "name": "copy", "seed": 1000},
        ],
        samples=2,
    )
    result = run_batch(s, tmp_path / "b", scorer=SCORER, progress=False)
    seeds = {(x.agent, x.sample): x.seed for x in result.samples}
    assert seeds == {("agent-before", 0): 0, ("agent-before", 1): 1, ("copy", 0): 1000,
                     ("copy", 1): 1001}  # fmt: skip
