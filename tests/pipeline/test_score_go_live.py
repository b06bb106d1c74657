"""Go backends scored end to end: built with go build (cached modules), started in the sandbox,
probed live; a monorepo's backend found and named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness import score
from harness.scorecard import Status, Verdict

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        shutil.which("go") is None and not Path("/usr/local/go/bin/go").exists(),
        reason="no Go toolchain (go) on this machine",
    ),
]
APPS = Path(__file__).resolve().parents[2] / "fixtures" / "apps"
BAD = (Verdict.failed, Verdict.partial)


def live_checks(card, rid: str, status: Status) -> list:
    return [c for c in card.requirements[rid].checks if c.kind == "live" and c.status == status]


def ran_live(card) -> None:
    """The app was built and answered: live checks passed, none errored for want of a start."""
    live = [c for r in card.requirements.values() for c in r.checks if c.kind == "live"]
    assert any(c.status == Status.passed for c in live)
    assert not any(c.status == Status.error and "did not start" in c.message for c in live)


def test_gin_app_built_started_and_its_planted_defects_found(tmp_path: Path) -> None:
    card = score("backend", APPS / "todo-gin-bad", out_dir=tmp_path, formats=())
    assert card.run.mode == "static+live"
    assert card.repo.profile["language"] == "go" and card.repo.profile["framework"] == "gin"
    # static: md5 passwords, a literal signing key, CORS * with credentials
    for rid in ("auth.password-hashing", "secrets.no-hardcoded", "http.cors"):
        assert card.requirements[rid].verdict in BAD, (rid, card.requirements[rid].reason)
    pw = [f for c in card.requirements["auth.password-hashing"].checks for e in c.evidence
          if (f := e.finding) is not None]  # fmt: skip
    assert any(f.file == "internal/handlers/auth.go" for f in pw)
    # live: another user's todo is served, logins are never throttled
    assert live_checks(card, "auth.authorization", Status.failed)
    assert live_checks(card, "ratelimit", Status.failed)
    ran_live(card)


def test_chi_app_keeps_what_it_was_written_to_keep(tmp_path: Path) -> None:
    card = score("backend", APPS / "notes-chi-good", out_dir=tmp_path, formats=())
    assert card.repo.profile["framework"] == "chi"
    ran_live(card)
    for rid in ("secrets.no-hardcoded", "injection.command", "sql.parameterized"):
        req = card.requirements[rid]
        assert req.verdict not in BAD, (rid, req.reason)
    # 201 on create, 404 for a missing note, 400 for a bad body, 405 for a wrong method: live
    assert card.requirements["http.status-codes"].verdict == Verdict.passed
    assert live_checks(card, "http.status-codes", Status.passed)


def test_monorepo_backend_is_found_and_named(tmp_path: Path) -> None:
    card = score("backend", APPS / "monorepo-go-web", out_dir=tmp_path, formats=())
    profile = card.repo.profile
    assert Path(profile["root"]).name == "backend"
    assert any(n.startswith("monorepo: scored the backend in backend/") for n in profile["notes"])
    assert card.requirements["auth.password-hashing"].verdict in BAD
    ran_live(card)
