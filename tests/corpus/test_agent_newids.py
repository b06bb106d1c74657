"""Extraction of the GraphQL, WebSocket, NoSQL, SSRF, mass-assignment and encryption-at-rest
promises, measured against tests/corpus/agents-newids (10 agent files in other authors' styles,
labelled before any phrase for these ids was tuned against them).

First run (phrases written from the vocabulary's wordings only): recall 0.774, precision 1.000
over the eight new ids; after general tuning 1.000 / 1.000 (see that directory's README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.agent import parse_agent
from harness.checklist import extract_checklist, map_text
from tests.corpus.labelled import agent_files, labels, micro_scores, unknown_labels

FOLDER = Path(__file__).parent / "agents-newids"
AGENTS = agent_files(FOLDER)
NEW_IDS = {
    "injection.nosql",
    "injection.ssrf",
    "data.mass-assignment",
    "graphql.introspection",
    "graphql.limits",
    "ws.auth",
    "ws.origin",
    "data.encryption-at-rest",
}


def test_set_is_labelled_with_known_ids() -> None:
    assert len(AGENTS) == 10
    assert all(labels(p) for p in AGENTS)
    assert unknown_labels(AGENTS) == {}


def test_new_ids_recall_and_precision() -> None:
    hits = expected_total = found_total = 0
    report = []
    for path in AGENTS:
        expected = labels(path) & NEW_IDS
        found = set(extract_checklist(parse_agent(path)).requirements) & NEW_IDS
        hits += len(expected & found)
        expected_total += len(expected)
        found_total += len(found)
        report.append(
            f"{path.stem}: missing {sorted(expected - found)} extra {sorted(found - expected)}"
        )
    recall, precision = hits / expected_total, hits / found_total
    print(f"new ids recall {recall:.3f} precision {precision:.3f}")
    assert expected_total >= 30
    assert recall >= 0.95, report
    assert precision >= 0.95, report


def test_all_ids_on_the_set() -> None:
    scores = micro_scores(AGENTS)
    print(scores.report)
    assert scores.recall >= 0.95, scores.report
    assert scores.precision >= 0.85, scores.report


def _params(name: str, rid: str) -> dict:
    return extract_checklist(parse_agent(FOLDER / name)).requirements[rid].params


def test_graphql_limits_are_the_agents_own() -> None:
    assert _params("apollo-graphql-engineer.md", "graphql.limits") == {
        "max_depth": 7,
        "max_complexity": 1000,
    }
    assert _params("yoga-checklist.md", "graphql.limits") == {
        "max_depth": 10,
        "max_aliases": 15,
        "max_batch": 5,
    }


def test_origin_and_host_allow_lists_are_read() -> None:
    assert _params("socketio-chat-dev.md", "ws.origin") == {
        "origins": ["https://chat.example.com", "https://admin.example.com"]
    }
    assert _params("go-gateway.md", "ws.origin") == {"settings": ["ALLOWED_WS_ORIGINS"]}
    assert _params("link-preview-flask.md", "injection.ssrf") == {
        "allowed_hosts": ["news.example.org", "cdn.example.net"],
        "settings": ["PREVIEW_ALLOWLIST"],
    }


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("Disable introspection in production.", "graphql.introspection"),
        ("Turn off GraphiQL and the playground outside development.", "graphql.introspection"),
        ("Query depth limiting on the GraphQL server.", "graphql.limits"),
        ("Complexity analysis rejects expensive operations.", "graphql.limits"),
        ("Cap aliases at 20 per operation.", "graphql.limits"),
        ("Authenticate socket connections with the session JWT.", "ws.auth"),
        ("Validate the handshake before accepting the upgrade.", "ws.auth"),
        ("Users cannot join a channel they are not a member of.", "ws.auth"),
        ("Origin allow-list for websockets.", "ws.origin"),
        ("Protect against cross-site WebSocket hijacking.", "ws.origin"),
        ("Whitelist DTO fields.", "data.mass-assignment"),
        ("Never trust client-provided roles.", "data.mass-assignment"),
        ("ValidationPipe with whitelist: true and forbidNonWhitelisted.", "data.mass-assignment"),
        ("Never spread req.body into Model.create.", "data.mass-assignment"),
        ("Validate URLs before fetching them.", "injection.ssrf"),
        (
            "Block requests to private and loopback IP ranges from the preview fetcher.",
            "injection.ssrf",
        ),
        ("Apply mongo-sanitize to every request.", "injection.nosql"),
        ("Prevent injection attacks (SQL, NoSQL, command).", "injection.nosql"),
        ("Reject $ne and $gt operators in login payloads.", "injection.nosql"),
        ("Encrypt sensitive data at rest.", "data.encryption-at-rest"),
        ("Field-level encryption for SSNs.", "data.encryption-at-rest"),
        (
            "Never store API keys in plaintext; keep only their SHA-256 digest.",
            "data.encryption-at-rest",
        ),
        ("Hash API keys before storing them.", "data.encryption-at-rest"),
    ],
)
def test_wordings_map(text: str, rid: str) -> None:
    assert rid in [m.requirement for m in map_text(text)[0]]


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("Encrypt passwords before saving them.", "data.encryption-at-rest"),
        ("All traffic is encrypted in transit with TLS 1.2+.", "data.encryption-at-rest"),
        ("Build GraphQL APIs with Apollo Server.", "graphql.limits"),
        ("Build GraphQL APIs with Apollo Server.", "graphql.introspection"),
        ("Use DataLoader to avoid N+1 queries.", "graphql.limits"),
        ("Add real-time notifications over WebSockets.", "ws.auth"),
        ("Store documents in MongoDB through Mongoose models.", "injection.nosql"),
        ("CORS allows only the SPA origin.", "ws.origin"),
        ("Origin allow-list for websockets.", "http.cors"),
        ("Authenticate socket connections with the session JWT.", "auth.required"),
        ("Calls to third-party APIs get a 5 second timeout.", "injection.ssrf"),
        ("Validate request bodies with zod.", "data.mass-assignment"),
        ("NoSQL injection: sanitize every Mongo filter.", "sql.parameterized"),
        ("Complete the TLS handshake before any data.", "ws.auth"),
        ("In-depth knowledge of Node internals.", "graphql.limits"),
        ("Only accept http and https URLs in the preview fetcher.", "http.https"),
    ],
)
def test_near_misses_stay_apart(text: str, rid: str) -> None:
    assert rid not in [m.requirement for m in map_text(text)[0]]


# Wordings written after the set above was tuned, as a second probe of generality: on its first
# run 11 of 27 mapped (recall 0.41); the phrase data was then widened with general patterns.
SECOND_PROBE = [
    ("Turn off schema introspection on prod builds", "graphql.introspection"),
    ("Do not expose the GraphQL schema publicly in production", "graphql.introspection"),
    ("Protect the GraphQL endpoint against deeply nested queries", "graphql.limits"),
    ("Reject queries nested more than 5 levels", "graphql.limits"),
    ("Use persisted queries in production", "graphql.limits"),
    ("Apply a query cost budget per request", "graphql.limits"),
    ("Prevent batching attacks on the GraphQL endpoint", "graphql.limits"),
    ("Require a valid JWT when the WebSocket connects", "ws.auth"),
    ("Socket.IO middleware verifies the token before connection", "ws.auth"),
    ("Authorize every subscription against the user permissions", "ws.auth"),
    ("Only room members receive broadcast messages", "ws.auth"),
    ("Check the Origin header on upgrade requests", "ws.origin"),
    ("Reject WebSocket connections from unknown origins", "ws.origin"),
    ("Never bind request bodies directly to ORM models", "data.mass-assignment"),
    ("Use DTOs to control which fields clients can update", "data.mass-assignment"),
    ("Prevent privilege escalation via role fields in the signup payload", "data.mass-assignment"),
    ("Explicitly define allowed fields for create and update operations", "data.mass-assignment"),
    ("Protect against server side request forgery", "injection.ssrf"),
    ("Do not let users make the server fetch arbitrary URLs", "injection.ssrf"),
    ("Webhook destinations must be validated against a domain allowlist", "injection.ssrf"),
    ("Sanitize Mongo queries against operator injection", "injection.nosql"),
    ("Never pass user input directly into MongoDB queries", "injection.nosql"),
    ("Use mongoose strictQuery and sanitizeFilter", "injection.nosql"),
    ("Encrypt PII columns in the database", "data.encryption-at-rest"),
    ("Store OAuth tokens encrypted with KMS-managed keys", "data.encryption-at-rest"),
    ("Enable database encryption at rest", "data.encryption-at-rest"),
    ("Credit card numbers are never stored in plain text", "data.encryption-at-rest"),
]


@pytest.mark.parametrize(("text", "rid"), SECOND_PROBE)
def test_second_probe_wordings_map(text: str, rid: str) -> None:
    assert rid in [m.requirement for m in map_text(text)[0]]


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("Avoid deeply nested SQL subqueries; use joins.", "graphql.limits"),
        ("Users with a premium subscription can access reports.", "ws.auth"),
        ("Allow-list e-mail domains at sign-up.", "injection.ssrf"),
        ("Responses only include allowed fields.", "data.mass-assignment"),
        ("Use automatic persisted queries for caching.", "graphql.limits"),
        ("Store sessions in Redis.", "data.encryption-at-rest"),
    ],
)
def test_second_probe_near_misses_stay_apart(text: str, rid: str) -> None:
    assert rid not in [m.requirement for m in map_text(text)[0]]


def test_depth_in_levels_is_a_parameter() -> None:
    checklist = extract_checklist(parse_agent(FOLDER.parent / "agents" / "graphql-agent.md"))
    assert checklist.requirements["graphql.limits"].params == {"max_depth": 8}


def test_dataloader_promises_query_efficiency_not_limits() -> None:
    ids = [m.requirement for m in map_text("Batch resolver lookups with DataLoader.")[0]]
    assert ids == ["db.query-efficiency"]
