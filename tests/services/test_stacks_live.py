"""Production stacks on PostgreSQL scored end to end: a Go (Gin, lib/pq) API with SQL migrations,
Django REST Framework with its own migrations, NestJS + TypeORM with the TypeORM migrations CLI.
Each has planted defects; the verdicts below are what a correct harness must give, and no
requirement may be `error` because of its start."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness import score
from harness.app import detect_app
from harness.runner import LaunchError, start_app
from harness.runner._jail import bwrap_support, is_root
from harness.runner._services import missing_server
from harness.scorecard import Scorecard, Status, Verdict

pytestmark = pytest.mark.live
APPS = Path(__file__).parent / "apps"
JAIL, JAIL_WHY = bwrap_support()
GO = shutil.which("go") or (
    "/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None
)


def _postgres() -> None:
    if not (JAIL and is_root()):
        pytest.skip(f"private servers run in the root sandbox: {JAIL_WHY or 'not root'}")
    why = missing_server("postgres")
    if why:
        pytest.skip(why)


def _verdicts(card: Scorecard) -> dict[str, Verdict]:
    return {rid: req.verdict for rid, req in card.requirements.items()}


def _no_errors(card: Scorecard) -> None:
    errors = {
        rid: [c.message for c in req.checks if c.status == Status.error]
        for rid, req in card.requirements.items()
        if req.verdict == Verdict.error
    }
    assert not errors, errors
    assert card.run.mode == "static+live"
    assert any("private postgres server" in n for n in card.run.notes), card.run.notes


def _live(card: Scorecard, rid: str, status: Status) -> list:
    return [c for c in card.requirements[rid].checks if c.kind == "live" and c.status == status]


def test_gin_on_postgres_with_sql_migrations(tmp_path: Path) -> None:
    _postgres()
    if GO is None:
        pytest.skip("no Go toolchain (go) on this machine")
    card = score("backend", APPS / "gin_pg", out_dir=tmp_path, formats=())
    assert card.repo.profile["framework"] == "gin"
    _no_errors(card)
    v = _verdicts(card)
    # GET /api/v1/notes/search formats ?q= into the SQL text (internal/api/notes.go)
    assert _live(card, "sql.parameterized", Status.failed)
    # GET /api/v1/notes/:id serves any user's note
    assert _live(card, "auth.authorization", Status.failed)
    # bcrypt rows read from PostgreSQL, columns the up migration created
    assert v["auth.password-hashing"] == Verdict.passed
    assert _live(card, "auth.password-hashing", Status.passed)
    assert v["db.timestamps"] == Verdict.passed
    assert v["auth.required"] == Verdict.passed


def test_django_rest_framework_on_postgres(tmp_path: Path) -> None:
    _postgres()
    card = score("backend", APPS / "drf_pg", out_dir=tmp_path, formats=())
    assert card.repo.profile["framework"] == "django"
    _no_errors(card)
    v = _verdicts(card)
    # ProjectViewSet's queryset is every user's projects
    assert _live(card, "auth.authorization", Status.failed)
    # TaskViewSet.search formats ?q= into raw SQL: bandit and the live probe both see it
    assert _live(card, "sql.parameterized", Status.failed)
    # the router's routes, read statically, carry the serializer's fields: records are made
    assert v["db.timestamps"] == Verdict.passed
    assert v["auth.required"] == Verdict.passed
    # simplejwt: a 15 minute access token, refreshed with its "refresh" field
    assert v["auth.token-expiry"] == Verdict.passed
    assert v["auth.token-refresh"] == Verdict.passed
    assert any("manage.py migrate" in n for n in card.run.notes)
    # the README's seed command ran, and succeeded (a failing one stops the start)
    assert any("seed steps" in n and "seed_demo" in n for n in card.run.notes)


def test_nest_typeorm_on_postgres(tmp_path: Path) -> None:
    _postgres()
    card = score("backend", APPS / "nest_typeorm_pg", out_dir=tmp_path, formats=())
    assert card.repo.profile["framework"] == "nestjs"
    _no_errors(card)
    assert any("migrations" in n and "migration:run" in n for n in card.run.notes)
    v = _verdicts(card)
    # UsersService.hash is md5; the stored digest is read from PostgreSQL
    assert _live(card, "auth.password-hashing", Status.failed)
    # NotesService.search interpolates ?q= into a query builder's WHERE
    assert _live(card, "sql.parameterized", Status.failed)
    # what it was written to keep: per-owner notes, DTOs behind a whitelisting ValidationPipe
    assert v["auth.authorization"] == Verdict.passed
    assert v["validation.input"] == Verdict.passed
    assert v["db.timestamps"] == Verdict.passed


def test_a_failing_migration_stops_the_start_and_names_its_command(tmp_path: Path) -> None:
    _postgres()
    app = tmp_path / "app"
    shutil.copytree(APPS / "gin_pg", app)
    if GO is None:
        pytest.skip("no Go toolchain (go) on this machine")
    (app / "migrations" / "0001_init.up.sql").write_text("CREATE TABLE users (id SERIAL,\n")
    with pytest.raises(LaunchError) as caught, start_app(detect_app(app), startup_timeout=120):
        pytest.fail("a start whose migration failed must not be probed")
    assert "psql" in str(caught.value) and "0001_init.up.sql" in str(caught.value)
    assert "syntax error" in caught.value.log_tail
