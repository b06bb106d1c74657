"""Settings from [tool.harness] or harness.toml: where they are found, what is refused, and
that flags win over the environment, which wins over the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from clirun import ROOT, harness

from harness._errors import InputError
from harness.cli._config import find_config

APP = ROOT / "fixtures" / "apps" / "todo-flask-bad"


def _repo(tmp_path: Path, config: str, name: str = "harness.toml") -> Path:
    repo = tmp_path / "project" / "backend"
    shutil.copytree(APP, repo)
    (tmp_path / "project" / ".git").mkdir()  # the repository root: the search stops there
    (tmp_path / "project" / name).write_text(config)
    return repo


def test_found_from_the_repo_up_to_its_git_root(tmp_path: Path) -> None:
    repo = _repo(tmp_path, '[tool.harness]\nagent = "backend"\n', "pyproject.toml")
    found = find_config(repo, tmp_path)
    assert found.path == tmp_path / "project" / "pyproject.toml"
    assert found.values == {"agent": "backend"}
    # above the git root nothing is read
    (tmp_path / "harness.toml").write_text('agent = "other"\n')
    (tmp_path / "project" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(repo).path is None
    # the current folder is the second place looked at
    assert find_config(repo, tmp_path).path == tmp_path / "harness.toml"


def test_harness_toml_takes_top_level_keys_or_a_harness_table(tmp_path: Path) -> None:
    (tmp_path / "harness.toml").write_text('[harness]\nstartup-timeout = 90\nformat = ["sarif"]\n')
    assert find_config(tmp_path).values == {"startup-timeout": 90, "format": ["sarif"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agnet = 'backend'\n", "unknown key 'agnet'"),
        ("startup-timeout = 'soon'\n", "startup-timeout must be a int or float"),
        ("static = 'yes'\n", "static must be a bool"),
        ("fail-on = 'critical'\n", "fail-on must be one of high, medium, low"),
        ("format = [1]\n", "must be a list of strings"),
        ("agent = \n", "not valid TOML"),
    ],
)
def test_bad_settings_are_input_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "harness.toml").write_text(text)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        find_config(tmp_path)


def test_unknown_key_is_exit_2_in_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "[tool.harness]\nretries = 3\n", "pyproject.toml")
    done = harness("score", str(repo), "--static")
    assert done.returncode == 2
    assert done.stderr.startswith("harness: error: ") and "unknown key 'retries'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_flags_beat_environment_beat_file(tmp_path: Path) -> None:
    # the file: a bundled agent by name, static only, SARIF, a report folder next to it
    repo = _repo(
        tmp_path,
        'agent = "backend"\nstatic = true\nformat = ["sarif"]\nout = "reports/here"\n'
        'fail-on = "low"\n',
    )
    here = tmp_path / "project" / "reports" / "here"
    done = harness("score", str(repo), "-q", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in here.iterdir()) == ["scorecard.json", "scorecard.sarif"]
    card = json.loads((here / "scorecard.json").read_text())
    assert card["agent"]["name"] == "backend" and card["run"]["mode"] == "static"
    shutil.rmtree(here)

    # the environment beats the file
    done = harness("score", str(repo), "-q", cwd=tmp_path, env={"HARNESS_FORMAT": "junit"})
    assert sorted(p.name for p in here.iterdir()) == ["junit.xml", "scorecard.json"]
    shutil.rmtree(here)

    # a flag beats both
    flag = harness("score", str(repo), "-q", "--format", "html", cwd=tmp_path,
                   env={"HARNESS_FORMAT": "junit"})  # fmt: skip
    assert flag.returncode == 1, flag.stderr
    assert sorted(p.name for p in here.iterdir()) == ["scorecard.html", "scorecard.json"]


def test_gate_reads_the_file_of_the_current_folder(tmp_path: Path) -> None:
    card = tmp_path / "card.json"
    done = harness("score", "todo-flask-bad", "--agent", "backend", "--static", "-o", "-")
    card.write_text(done.stdout)
    (tmp_path / "harness.toml").write_text("min-score = 0.5\n")
    strict = harness("gate", str(card), cwd=tmp_path)
    assert strict.returncode == 1 and "below min_score 0.50" in strict.stdout
    relaxed = harness("gate", str(card), cwd=tmp_path, env={"HARNESS_MIN_SCORE": "0.1"})
    assert "below min_score" not in relaxed.stdout
    flagged = harness("gate", str(card), "--min-score", "0.5", cwd=tmp_path,
                      env={"HARNESS_MIN_SCORE": "0.1"})  # fmt: skip
    assert "below min_score 0.50" in flagged.stdout
