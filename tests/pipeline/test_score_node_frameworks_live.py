"""Fastify and NestJS (TypeScript, built before start) apps scored end to end in the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import score
from harness.scorecard import Status, Verdict

pytestmark = pytest.mark.live
APPS = Path(__file__).resolve().parents[2] / "fixtures" / "apps"
BAD = (Verdict.failed, Verdict.partial)


def checks(card, rid: str, kind: str, status: Status) -> list:
    return [c for c in card.requirements[rid].checks if c.kind == kind and c.status == status]


def test_fastify_plugins_probed_and_the_planted_injection_found_both_ways(tmp_path: Path) -> None:
    card = score("backend", APPS / "todo-fastify-bad", out_dir=tmp_path, formats=())
    assert card.repo.profile["framework"] == "fastify"
    sql = card.requirements["sql.parameterized"]
    assert sql.verdict == Verdict.failed
    static = checks(card, "sql.parameterized", "static", Status.failed)
    assert any(
        e.finding and e.finding.file == "src/routes/todos.js" for c in static for e in c.evidence
    )
    live = checks(card, "sql.parameterized", "live", Status.failed)
    assert any(e.exchange and "/todos" in e.exchange.url for c in live for e in c.evidence)
    assert card.requirements["auth.password-hashing"].verdict in BAD  # md5
    assert card.requirements["auth.required"].verdict == Verdict.passed  # the preHandler hook


def test_nestjs_typescript_app_is_built_then_served_under_its_global_prefix(tmp_path: Path) -> None:
    card = score("backend", APPS / "notes-nest-ts", out_dir=tmp_path, formats=())
    assert card.repo.profile["framework"] == "nestjs"
    assert any("npm run build" in n for n in card.run.notes), card.run.notes
    # the built app answered: its exception filter turned provoked errors into JSON
    assert checks(card, "errors.handler", "live", Status.passed)
    assert checks(card, "output.xss-encoding", "live", Status.passed)
    assert card.requirements["sql.parameterized"].verdict not in BAD
