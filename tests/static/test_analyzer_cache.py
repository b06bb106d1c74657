"""The analyzer cache, with the real semgrep and bandit: a second run over the same files reads
the report back and judges the same; any change to a file, or the cache turned off, runs the
analyzer again; a load-dependent skip is never kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.static import _cache, run_static

BAD = '''from flask import Flask, request
import sqlite3

app = Flask(__name__)


@app.get("/users")
def users():
    db = sqlite3.connect("app.db")
    name = request.args["name"]
    return {"rows": db.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()}
'''


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HARNESS_ANALYZER_CACHE", raising=False)
    return tmp_path / "cache" / "analyzers"


def _repo(tmp_path: Path, source: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    (repo / "app.py").write_text(source)
    return repo


def _recalled(run) -> list[str]:
    return [n for n in run.notes if "read back from the harness cache" in n]


def _findings(run) -> list[tuple[str, str, str, int]]:
    return sorted((f.check, f.tool, f.file, f.line) for f in run.findings)


def test_a_second_run_over_the_same_files_reads_both_reports_back(
    tmp_path: Path, cache: Path
) -> None:
    repo = _repo(tmp_path, BAD)
    first = run_static(repo, requirements={"sql.parameterized"})
    assert not _recalled(first)
    assert first.tools["semgrep"] and first.tools["bandit"] not in ("error", "not run")
    assert len(list(cache.glob("*.json"))) == 2  # semgrep's report and bandit's
    second = run_static(repo, requirements={"sql.parameterized"})
    assert {n.split()[0] for n in _recalled(second)} == {"semgrep", "bandit"}
    assert _findings(second) == _findings(first) and _findings(first)
    assert [(r.check, r.status) for r in second.results] == [
        (r.check, r.status) for r in first.results
    ]


def test_a_changed_file_runs_the_analyzers_again(tmp_path: Path, cache: Path) -> None:
    repo = _repo(tmp_path, BAD)
    run_static(repo, requirements={"sql.parameterized"})
    fixed = BAD.replace(
        "\"SELECT * FROM users WHERE name = '\" + name + \"'\")",
        '"SELECT * FROM users WHERE name = ?", (name,))',
    )
    assert fixed != BAD
    (repo / "app.py").write_text(fixed)
    again = run_static(repo, requirements={"sql.parameterized"})
    assert not _recalled(again)
    assert not [f for f in again.findings if f.file == "app.py" and f.line == 11]


def test_the_cache_turned_off_runs_and_keeps_nothing(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_ANALYZER_CACHE", "off")
    repo = _repo(tmp_path, BAD)
    run_static(repo, requirements={"sql.parameterized"})
    again = run_static(repo, requirements={"sql.parameterized"})
    assert not _recalled(again)
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_a_run_that_timed_out_on_a_file_is_not_kept(cache: Path) -> None:
    _cache.keep("a" * 64, 0, b"{}", b"", ["Timeout"])
    _cache.keep("b" * 64, 0, b"{}", b"", ["Syntax error"])
    assert _cache.recall("a" * 64) is None
    assert _cache.recall("b" * 64) is not None


def test_folders_the_scanners_skip_do_not_change_the_key(tmp_path: Path) -> None:
    repo = _repo(tmp_path, BAD)
    argv = ["/bin/true", "scan", "."]  # any existing binary: the key reads its size and time
    before = _cache.key(argv, None, repo)
    (repo / "node_modules").mkdir()
    (repo / "node_modules" / "x.js").write_text("eval(x)")
    assert _cache.key(argv, None, repo) == before
    (repo / "extra.py").write_text("x = 1\n")
    assert _cache.key(argv, None, repo) != before
