"""Help and `extract` for people: examples in every --help, exit codes at the top, 80 columns,
bundled names wherever a path is taken."""

from __future__ import annotations

import json
import sys

import pytest
from clirun import ROOT, harness

COMMANDS = [
    [], ["score"], ["extract"], ["report"], ["gate"], ["diff"], ["batch"], ["generate"],
    ["checks"], ["policy", "init"], ["baseline", "update"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "harness")
def test_every_help_has_examples_and_fits_80_columns(command: list[str]) -> None:
    done = harness(*command, "--help", env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert "Examples:" in done.stdout
    assert not [ln for ln in done.stdout.splitlines() if len(ln) > 80]


def test_exit_codes_are_in_the_top_help() -> None:
    text = harness("--help").stdout
    for code in ("0  passed", "1  the gate failed", "2  usage", "3  harness error"):
        assert code in text


def test_extract_takes_a_bundled_name_like_score() -> None:
    by_name = harness("extract", "backend", "--format", "json")
    by_path = harness("extract", str(ROOT / "fixtures" / "agents" / "backend.md"), "--format",
                      "json")  # fmt: skip
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == json.loads(by_path.stdout)


def test_extract_in_80_columns_keeps_promises_and_ids_whole() -> None:
    done = harness("extract", "backend", env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert not [ln for ln in lines if len(ln) > 80]
    flat = " ".join(done.stdout.split())
    data = json.loads(harness("extract", "backend", "--format", "json").stdout)
    long_items = [i for i in data["items"] if len(i["text"]) > 40]
    assert long_items
    for item in long_items:  # the whole promise, not 14 characters of it
        assert " ".join(item["text"].split()) in flat, item["text"]
    for item in data["items"]:
        for rid in item["requirements"]:  # ids never cut
            assert any(rid in ln.split() or f"{rid}," in ln.split() for ln in lines), rid


def test_generate_takes_bundled_names(tmp_path) -> None:
    scripted = ROOT / "fixtures" / "scripted-agent" / "generate.py"
    command = f"{sys.executable} {scripted} --agent {{agent}} --prompt {{prompt}} --out {{out}}"
    done = harness(
        "generate", "--agent", "backend", "--task", "todo-api", "--out", str(tmp_path / "o"),
        "--command", command, "--no-cache", env={"HARNESS_CACHE_DIR": str(tmp_path / "c")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "o" / "generate.log").read_text()
    assert str(ROOT / "fixtures" / "agents" / "backend.md") in log, log[:2000]
    assert (tmp_path / "o" / "app.py").is_file()
