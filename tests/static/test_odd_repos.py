"""run_static on the odd shapes real generated backends come in (real semgrep and bandit runs):
syntax errors, non-UTF-8 bytes and CRLF endings, committed dependency folders, empty repos, and a
check that crashes. None of them may abort the run or turn a requirement into error while the
analyzers ran."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from harness.catalogue import CheckSpec, get_check
from harness.scorecard._model import Status
from harness.static import build_context, run_static
from harness.static._run import run_own

FSTRING_SQL_APP = """import sqlite3
from flask import Flask, request, jsonify

app = Flask(__name__)


@app.route("/users", methods=["POST"])
def users():
    name = request.get_json()["name"]
    conn = sqlite3.connect("u.db")
    rows = conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()
    return jsonify(rows)
"""


def _by_check(run):
    return {r.check: r for r in run.results}


def test_a_syntax_error_is_reported_by_tree_checks_and_semgrep_keeps_going(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        FSTRING_SQL_APP + '\n\n@app.route("/broken")\ndef broken(:\n    return 1\n'
    )
    (tmp_path / "server.js").write_text("const x = {;\n")
    run = run_static(tmp_path)
    results = _by_check(run)
    # bandit gave up on app.py: its checks claim no pass over a file it never read
    errored = [r for r in run.results if r.status is Status.error]
    assert errored and all("app.py" in r.message for r in errored), [r.message for r in errored]
    assert results["injection.command.bandit"].status is Status.error
    assert "no pass over files never read" in results["injection.command.bandit"].message
    assert any(s.startswith("bandit: app.py") for s in run.skipped), run.skipped
    sql = results["sql.parameterized.string-built"]
    assert sql.status is Status.failed  # semgrep parsed what it could of app.py
    assert any(f.file == "app.py" and f.line == 11 for f in run.findings if f.tool == "semgrep")
    validation = results["validation.input.schema"]  # needs the syntax tree of app.py
    assert "do not parse" in validation.message and "app.py (line 16" in validation.message
    assert any("not analysed (syntax error)" in e.message for e in validation.evidence)
    readme = results["docs.setup.readme"]  # reads no syntax tree: says nothing about it
    assert "do not parse" not in readme.message
    assert any("bandit could not scan app.py" in n for n in run.notes)


def test_non_utf8_bytes_and_crlf_endings_are_read_and_located(tmp_path: Path) -> None:
    text = FSTRING_SQL_APP.replace("import sqlite3", "# caf\xe9 \xa9\nimport sqlite3")
    (tmp_path / "app.py").write_bytes(text.replace("\n", "\r\n").encode("latin-1"))
    run = run_static(tmp_path, requirements={"sql.parameterized", "validation.input"})
    results = _by_check(run)
    # bandit cannot decode the latin-1 file: the one check it could not read is an error
    # naming it (it would otherwise pass over a file never read), the others decide
    errored = [r.check for r in run.results if r.status is Status.error]
    assert errored == ["sql.parameterized.bandit"], errored
    assert "app.py" in results["sql.parameterized.bandit"].message
    assert results["sql.parameterized.string-built"].status is Status.failed
    assert {f.line for f in run.findings if f.check.startswith("sql.")} == {12}
    assert results["validation.input.schema"].status is Status.failed  # parsed despite bytes


def test_committed_dependency_folders_are_not_analysed(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from flask import Flask, jsonify\napp = Flask(__name__)\n\n"
        '@app.route("/ping")\ndef ping():\n    return jsonify(ok=True)\n'
    )
    evil_py = "import os\nSECRET_KEY = 'abc'\ndef f(x):\n    os.system('ls ' + x)\n    eval(x)\n"
    evil_js = "const cp = require('child_process');\nfunction f(x) { cp.exec('ls ' + x); }\n"
    for i in range(50):
        pkg = tmp_path / ".venv" / "lib" / "python3.11" / "site-packages" / "evil"
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / f"m{i}.py").write_text(evil_py * 20)
        mod = tmp_path / "node_modules" / "evil"
        mod.mkdir(parents=True, exist_ok=True)
        (mod / f"m{i}.js").write_text(evil_js * 20)
    run = run_static(tmp_path, requirements={"injection.command", "secrets.no-hardcoded"})
    assert run.files_scanned == 1
    assert not run.findings, [f"{f.file}:{f.line}" for f in run.findings]
    results = _by_check(run)
    assert results["injection.command.semgrep"].status is Status.passed
    assert results["injection.command.bandit"].status is Status.passed


def test_empty_and_readme_only_repos_give_no_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    readme = tmp_path / "readme"
    readme.mkdir()
    (readme / "README.md").write_text("# Todo\n\npip install -r requirements.txt\n")
    for repo in (empty, readme):
        run = run_static(repo)
        errors = [f"{r.check}: {r.message}" for r in run.results if r.status is Status.error]
        assert not errors, errors
        assert run.files_scanned == 0
        sql = _by_check(run)["sql.parameterized.string-built"]
        assert sql.status is Status.not_applicable


def test_a_crashing_own_check_is_that_checks_error_and_names_the_exception(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(FSTRING_SQL_APP)
    ctx = build_context(tmp_path, None)

    def explode(ctx, spec):
        return {}["missing"]

    spec = dataclasses.replace(get_check("validation.input.schema"), func=explode)
    result = run_own(spec, ctx)
    assert result.status is Status.error
    assert "KeyError" in result.message and "missing" in result.message
    # the other checks still run on the same context
    other = run_own(get_check("docs.setup.readme"), ctx)
    assert other.status is Status.failed
    assert isinstance(spec, CheckSpec)
