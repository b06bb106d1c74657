"""GraphQL APIs scored end to end in the sandbox: an Apollo Server 4 + Express app on PostgreSQL
(started privately by the harness) and an Ariadne + FastAPI app on SQLite, each in a clean and a
broken twin. The broken twins serve introspection as deployed, have no depth or alias limit,
expose the password hash on User and let user B read user A's note by id; the Apollo one also
puts stack traces in errors[].extensions, the Ariadne one builds its note search with an
f-string. A third app, Strawberry (code first) with a REST sign-in, keeps every promise but one:
any signed-in user reads any note by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import score
from harness.scorecard import Status, Verdict

pytestmark = pytest.mark.live
APPS = Path(__file__).resolve().parents[2] / "fixtures" / "apps"
AGENT = Path(__file__).parent / "agents" / "graphql-notes.md"

GRAPHQL_CHECKS = {
    "graphql.introspection": "live.graphql-introspection",
    "graphql.limits": "live.graphql-limits",
    "auth.authorization": "live.graphql-object-authorization",
    "data.no-sensitive-fields": "live.graphql-sensitive-fields",
    "errors.no-leak": "live.graphql-errors-no-leak",
    "sql.parameterized": "live.graphql-sql-injection",
}
BROKEN = {
    "notes-apollo-bad": {
        "graphql.introspection": "fail",
        "graphql.limits": "fail",
        "auth.authorization": "fail",
        "data.no-sensitive-fields": "fail",
        "errors.no-leak": "fail",
    },
    "notes-ariadne-bad": {
        "graphql.introspection": "fail",
        "graphql.limits": "fail",
        "auth.authorization": "fail",
        "data.no-sensitive-fields": "fail",
        "sql.parameterized": "fail",
    },
}
CLEAN = ("notes-apollo-good", "notes-ariadne-good")
MIXED = {
    "graphql.introspection": "pass",
    "graphql.limits": "pass",
    "auth.authorization": "fail",
    "data.no-sensitive-fields": "pass",
    "errors.no-leak": "pass",
    "sql.parameterized": "pass",
}


def live_result(card, rid: str):
    check = GRAPHQL_CHECKS[rid]
    (result,) = [c for c in card.requirements[rid].checks if c.check == check]
    return result


def explain(result) -> str:
    return result.message + " | " + " | ".join(e.message for e in result.evidence)


@pytest.mark.parametrize("app", sorted(BROKEN))
def test_the_broken_twin_fails_every_planted_graphql_defect(app: str, tmp_path: Path) -> None:
    card = score(AGENT, APPS / app, out_dir=tmp_path, formats=())
    if "apollo" in app:  # the Apollo twins keep their notes in PostgreSQL, served privately
        assert any("private postgres server" in n for n in card.run.notes), card.run.notes
    for rid, want in BROKEN[app].items():
        result = live_result(card, rid)
        assert result.status == Status(want), f"{rid}: {explain(result)}"
        assert card.requirements[rid].verdict in (Verdict.failed, Verdict.partial), rid
        # evidence is the exchange itself, replayable with curl
        assert any(e.exchange and "/graphql" in e.exchange.curl for e in result.evidence), rid
    depth = live_result(card, "graphql.limits")
    assert "9 nested object levels" in explain(depth)  # just over the promised 7
    assert "501 aliases" in explain(depth)  # 2 fields each: over 1000 complexity points
    hashes = live_result(card, "data.no-sensitive-fields")
    assert "User.passwordHash" in hashes.message


@pytest.mark.parametrize("app", CLEAN)
def test_the_clean_twin_passes_with_its_controls_served(app: str, tmp_path: Path) -> None:
    card = score(AGENT, APPS / app, out_dir=tmp_path, formats=())
    for rid in GRAPHQL_CHECKS:
        result = live_result(card, rid)
        assert result.status == Status.passed, f"{rid}: {explain(result)}"
        assert card.requirements[rid].verdict not in (Verdict.failed, Verdict.partial), rid
    limits = explain(live_result(card, "graphql.limits"))
    assert "refused" in limits and "control" in limits
    authz = explain(live_result(card, "auth.authorization"))
    assert "control: user A read its own Note" in authz


def test_code_first_schema_with_rest_sign_in_is_probed_through_graphql(tmp_path: Path) -> None:
    card = score(AGENT, APPS / "notes-strawberry-rest", out_dir=tmp_path, formats=())
    notes = " ".join(card.run.notes)
    assert "schema from the source: 4 types" in notes, notes  # Strawberry classes read as SDL
    for rid, want in MIXED.items():
        result = live_result(card, rid)
        assert result.status == Status(want), f"{rid}: {explain(result)}"
    # the REST users signed in through /auth/login carried their token to the GraphQL endpoint
    idor = explain(live_result(card, "auth.authorization"))
    assert "user B read user A's Note" in idor and "control: user A read its own Note" in idor
    assert card.requirements["auth.authorization"].verdict == Verdict.failed
    # the endpoint is no REST collection: the REST probe does not error on it
    rest = [c for c in card.requirements["auth.authorization"].checks if c.kind == "live"]
    assert all(c.status != Status.error for c in rest), [c.message for c in rest]


YOGA = {
    "graphql.introspection": "fail",  # Yoga serves introspection unless told otherwise
    "graphql.limits": "fail",
    "data.no-sensitive-fields": "fail",  # User.password, stored as sent
    "auth.authorization": "pass",
    "errors.no-leak": "pass",  # Yoga masks unexpected errors
    "sql.parameterized": "pass",
}


def test_yoga_with_a_string_token_mutation_is_discovered_and_judged(tmp_path: Path) -> None:
    card = score(AGENT, APPS / "notes-yoga-bad", out_dir=tmp_path, formats=())
    for rid, want in YOGA.items():
        result = live_result(card, rid)
        assert result.status == Status(want), f"{rid}: {explain(result)}"
    assert "User.password" in live_result(card, "data.no-sensitive-fields").message
    authz = explain(live_result(card, "auth.authorization"))
    assert "control: user A read its own Note" in authz  # the token came back as a bare String
