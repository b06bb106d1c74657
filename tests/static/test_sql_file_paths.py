"""A formatted file name is not SQL text: a migration runner that reads
``DIR / f"{version}.down.sql"`` and executes the file's statements builds no query from data,
while an f-string statement next to it still fails (real semgrep)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scorecard._model import Status
from harness.static import run_static

RUNNER = """
import os
import sqlite3
from pathlib import Path

DIR = Path(__file__).parent / "migrations"


def statements(path: Path) -> list[str]:
    return [s for s in path.read_text().split(";") if s.strip()]


def down(conn: sqlite3.Connection, version: str) -> None:
    for stmt in statements(DIR / f"{version}.down.sql"):
        conn.execute(stmt)
    with open(os.path.join("migrations", f"{version}.up.sql")) as fh:
        conn.executescript(fh.read())
    conn.executescript("BEGIN;" + (DIR / "seed.sql").read_text())
    conn.execute("DELETE FROM schema_migrations WHERE version = ?", (version,))
"""

BUILT = """

def purge(conn: sqlite3.Connection, table: str) -> None:
    conn.execute(f"DELETE FROM {table} WHERE deleted_at IS NOT NULL")
"""


def _semgrep_verdict(tmp_path: Path, source: str):
    (tmp_path / "migrate.py").write_text(source)
    run = run_static(tmp_path, requirements={"sql.parameterized"})
    return next(r for r in run.results if r.check == "sql.parameterized.string-built")


@pytest.mark.slow
def test_sql_read_from_a_formatted_file_name_passes(tmp_path: Path) -> None:
    result = _semgrep_verdict(tmp_path, RUNNER)
    assert result.status is Status.passed, [e.message for e in result.evidence]


@pytest.mark.slow
def test_an_f_string_statement_beside_it_still_fails(tmp_path: Path) -> None:
    result = _semgrep_verdict(tmp_path, RUNNER + BUILT)
    assert result.status is Status.failed
    lines = {e.finding.line for e in result.evidence if e.finding is not None}
    assert lines == {23}, lines


JS_RUNNER = """const fs = require('node:fs');
const path = require('node:path');
const db = require('./db');

const DIR = path.join(__dirname, 'migrations');

function up(version) {
  const sql = fs.readFileSync(path.join(DIR, `${version}.up.sql`), 'utf8');
  db.exec(sql);
}

function purge(table) {
  db.exec(`DELETE FROM ${table} WHERE deleted_at IS NOT NULL`);
}

module.exports = { up, purge };
"""


@pytest.mark.slow
def test_javascript_migration_files_pass_and_a_template_statement_fails(tmp_path: Path) -> None:
    (tmp_path / "migrate.js").write_text(JS_RUNNER)
    run = run_static(tmp_path, requirements={"sql.parameterized"})
    result = next(r for r in run.results if r.check == "sql.parameterized.string-built")
    assert result.status is Status.failed
    lines = {e.finding.line for e in result.evidence if e.finding is not None}
    assert lines == {13}, lines  # the DELETE, not the migration read at line 8
