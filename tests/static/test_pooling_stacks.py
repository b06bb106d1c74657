"""db.pooling on Go and TypeORM code: pools opened once pass, a connection opened per request
and never closed fails."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.scorecard._model import Status
from harness.static import run_static

APPS = Path(__file__).resolve().parents[1] / "services" / "apps"


def _pooling(repo: Path):
    run = run_static(repo, requirements={"db.pooling"})
    return next(r for r in run.results if r.check == "db.pooling.connections")


def test_a_go_pool_and_a_typeorm_data_source_are_pools() -> None:
    go = _pooling(APPS / "gin_pg")
    assert go.status is Status.passed
    assert "internal/store/store.go" in " ".join(e.message for e in go.evidence)
    assert _pooling(APPS / "nest_typeorm_pg").status is Status.passed


def test_a_go_handler_opening_its_own_connection_fails(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(APPS / "gin_pg", repo)
    notes = repo / "internal" / "api" / "notes.go"
    text = notes.read_text().replace(
        "func (h *Handler) ListNotes(c *gin.Context) {\n\trows, err := h.DB.QueryContext(",
        "func (h *Handler) ListNotes(c *gin.Context) {\n"
        '\tdb, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))\n'
        "\trows, err := db.QueryContext(",
    )
    notes.write_text(text.replace('"net/http"', '"net/http"\n\t"os"'))
    result = _pooling(repo)
    assert result.status is Status.failed
    assert "GET /api/v1/notes" in " ".join(e.message for e in result.evidence)
