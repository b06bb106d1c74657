"""Extraction measured against tests/corpus/agents-other: twelve agent files in styles the
bundled agents do not use (a numbered Rules list, a requirements table, long prose, nested
bullets, NEVER/ALWAYS lines, rules in a frontmatter list, emoji checkboxes, terse keyword lists,
configuration code, declined topics, GraphQL/WebSocket prose, data-protection sections), and
tests/corpus/agents-other2: six more, written and labelled after the first round of changes.

Labels were written from the text alone before extraction was run on them. First runs: recall
0.591 / precision 0.895 on the twelve, 0.526 / 0.811 on the six (after tuning on the twelve);
agents-other/README.md has the per-file misses and what changed. The floors below hold the tuned
figures with a little room."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.agent import parse_agent, parse_agent_text
from harness.checklist import extract_checklist, map_text
from tests.corpus.labelled import agent_files, labels, micro_scores, unknown_labels

FOLDER = Path(__file__).parent / "agents-other"
AGENTS = agent_files(FOLDER)
SECOND = Path(__file__).parent / "agents-other2"
SECOND_AGENTS = agent_files(SECOND)


def _ids(text: str) -> set[str]:
    return set(extract_checklist(parse_agent_text(text, name="t")).requirements)


def test_set_is_labelled_with_known_ids() -> None:
    assert len(AGENTS) == 12
    assert all(labels(p) for p in AGENTS)
    assert unknown_labels(AGENTS) == {}


def test_micro_recall_and_precision() -> None:
    scores = micro_scores(AGENTS)
    print(scores.report)
    print(f"agents-other micro recall {scores.recall:.3f} precision {scores.precision:.3f}")
    assert scores.recall >= 0.98, scores.report
    assert scores.precision >= 0.93, scores.report


def test_rules_in_a_frontmatter_list_are_items() -> None:
    checklist = extract_checklist(parse_agent(FOLDER / "koa-frontmatter-rules.md"))
    items = [i for i in checklist.items if i.kind == "frontmatter"]
    # six sentences under rules:, three mappings under checklist:, nothing from tools:
    assert len(items) == 9, [i.text for i in items]
    assert {i.section[-1] for i in items} == {"rules", "checklist"}
    assert {"data.mass-assignment", "api.idempotency", "http.cors"} <= set(checklist.requirements)


def test_a_list_of_mappings_survives_frontmatter_that_is_not_yaml() -> None:
    agent = parse_agent(FOLDER / "koa-frontmatter-rules.md")
    assert agent.diagnostics, "the file's frontmatter is invalid YAML on purpose"
    assert agent.fields["checklist"][0] == {
        "name": "cors",
        "rule": "Only allow origins listed in ALLOWED_ORIGINS",
    }


def test_frontmatter_keys_that_do_not_name_rules_are_not_read() -> None:
    text = "---\nname: t\nexamples:\n  - Add rate limiting to login\ntools: [bcrypt]\n---\nHi.\n"
    assert _ids(text) == set()


def test_declined_topics_are_not_promises() -> None:
    checklist = extract_checklist(parse_agent(FOLDER / "flask-negations-scope.md"))
    declined = {"ratelimit", "api.pagination", "observability.metrics", "api.versioning"}
    assert not declined & set(checklist.requirements)
    assert {"crypto.strong", "http.cors", "errors.no-leak"} <= set(checklist.requirements)
    section = [d for d in checklist.sections if d.section[-1] == "What we do not need"]
    assert section and not section[0].promises


@pytest.mark.parametrize(
    "text",
    [
        "We do not need rate limiting here; the service sits behind the VPN.",
        "Metrics are not required.",
        "Skip API versioning.",
        "GraphQL is out of scope.",
        "Rate limiting lives at the API gateway, not here.",
    ],
)
def test_declining_wordings_map_to_nothing(text: str) -> None:
    assert map_text(text) == ([], "not-promised")


def test_a_declining_verb_in_a_dont_list_is_a_promise() -> None:
    # "Don't: skip input validation" promises validation
    found, _ = map_text("Skip input validation", polarity="dont")
    assert "validation.input" in [m.requirement for m in found]


def test_code_shown_as_the_way_to_do_it_promises_its_lines() -> None:
    checklist = extract_checklist(parse_agent(FOLDER / "express-config-blocks.md"))
    code = {rid for i in checklist.items if i.kind == "code" for rid in i.requirements}
    assert {"http.security-headers", "ratelimit", "injection.nosql", "errors.handler"} <= code
    assert "robustness.resource-limits" in code


def test_code_shown_as_a_mistake_promises_nothing() -> None:
    body = "Never write this:\n\n```js\napp.use(helmet());\napp.use(cors());\n```\n"
    assert _ids(f"---\nname: t\n---\n{body}") == set()


def test_code_offered_as_an_illustration_promises_nothing() -> None:
    body = "Here is a typical handler:\n\n```js\napp.use(helmet());\n```\n"
    assert _ids(f"---\nname: t\n---\n{body}") == set()
    body = "Keep this in every app:\n\n```js\napp.use(helmet());\n```\n"
    assert _ids(f"---\nname: t\n---\n{body}") == {"http.security-headers"}


def test_commands_are_not_code_promises() -> None:
    body = "Run it like this:\n\n```bash\nnpm run lint && npx helmet-check\n```\n"
    assert _ids(f"---\nname: t\n---\n{body}") == set()


def test_prose_under_topic_headings_is_read_when_the_body_has_no_lists() -> None:
    checklist = extract_checklist(parse_agent(FOLDER / "integrations-hub-sections.md"))
    assert {"injection.ssrf", "injection.nosql", "data.encryption-at-rest"} <= set(
        checklist.requirements
    )
    # the closing section declines rate limiting and templating
    assert not {"ratelimit", "output.xss-encoding"} & set(checklist.requirements)


def test_prose_under_a_topic_heading_stays_unread_beside_rule_lists() -> None:
    # a body that keeps its rules in lists: paragraphs under a plain heading are description
    text = (
        "---\nname: t\n---\n## Rules\n\n- Hash passwords with bcrypt\n\n"
        "## Billing module\n\nThe billing module is rate limited by the payment provider.\n"
    )
    assert _ids(text) == {"auth.password-hashing"}


def test_a_prose_sentence_opening_with_when_is_a_rule() -> None:
    text = (
        "---\nname: t\n---\nWhen something goes wrong the client receives a JSON body with an "
        "error code and a message. You finish every feature with pytest tests.\n"
    )
    assert {"api.error-format", "tests.present"} <= _ids(text)


def test_a_product_called_collaborative_is_not_a_collaboration_section() -> None:
    ids = extract_checklist(parse_agent(FOLDER / "apollo-realtime-prose.md")).requirements
    assert {"graphql.introspection", "graphql.limits", "ws.auth", "ws.origin"} <= set(ids)


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("Querysets are filtered by request.user.", "auth.authorization"),
        ("A viewer cannot edit a board they only read.", "auth.authorization"),
        ("Resolver errors are masked in production.", "errors.no-leak"),
        ("Connections go back to the pool when the request ends.", "db.pooling"),
        ("role and plan are set by the server only", "data.mass-assignment"),
        ('app.use(express.json({ limit: "100kb" }));', "robustness.resource-limits"),
        ("Access tokens: 10 minutes", "auth.token-expiry"),
        ("JWT (15m) + refresh (7d)", "auth.token-refresh"),
        ("Do not use md5 or sha1 anywhere; password hashes use bcrypt.", "crypto.strong"),
        ("Our own API keys are stored as SHA-256 digests.", "data.encryption-at-rest"),
    ],
)
def test_other_authors_wordings_map(text: str, rid: str) -> None:
    assert rid in [m.requirement for m in map_text(text)[0]]


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("Lists can be filtered by the current user.", "api.filtering"),
        ("Response models leave out the password hash.", "auth.password-hashing"),
        ("Credentials MUST be stored as salted hashes (bcrypt).", "data.encryption-at-rest"),
        ("Lists are sorted by createdAt.", "db.timestamps"),
        ("Every request over TLS; HSTS enabled", "http.security-headers"),
    ],
)
def test_other_authors_near_misses_stay_apart(text: str, rid: str) -> None:
    assert rid not in [m.requirement for m in map_text(text)[0]]


def test_second_set_is_labelled_with_known_ids() -> None:
    assert len(SECOND_AGENTS) == 6
    assert all(labels(p) for p in SECOND_AGENTS)
    assert unknown_labels(SECOND_AGENTS) == {}


def test_second_set_micro_recall_and_precision() -> None:
    scores = micro_scores(SECOND_AGENTS)
    print(scores.report)
    print(f"agents-other2 micro recall {scores.recall:.3f} precision {scores.precision:.3f}")
    assert scores.recall >= 0.98, scores.report
    assert scores.precision >= 0.88, scores.report


def test_the_dont_column_of_a_table_is_read_as_dont_items() -> None:
    checklist = extract_checklist(parse_agent(SECOND / "spring-do-dont-table.md"))
    donts = [i for i in checklist.items if i.polarity == "dont"]
    assert len(donts) == 8, [i.text for i in donts]
    leak = next(i for i in donts if i.text.startswith("Return stack traces"))
    assert leak.requirements == ["errors.no-leak"]
    assert {"auth.required", "data.no-sensitive-fields"} <= set(checklist.requirements)


def test_a_table_without_a_dont_column_keeps_one_item_a_row() -> None:
    text = (
        "---\nname: t\n---\n## Rules\n\n| Area | Rule |\n|---|---|\n"
        "| Auth | Hash passwords with bcrypt |\n| Logs | Never log tokens |\n"
    )
    checklist = extract_checklist(parse_agent_text(text, name="t"))
    assert [i.polarity for i in checklist.items] == ["do", "do"]


def test_a_column_title_is_a_dont_column_only_when_it_is_short() -> None:
    text = (
        "---\nname: t\n---\n## Rules\n\n| Rule | Notes (don't skip this) |\n|---|---|\n"
        "| Hash passwords with bcrypt | Log every login |\n"
    )
    checklist = extract_checklist(parse_agent_text(text, name="t"))
    assert [i.polarity for i in checklist.items] == ["do"]


def test_topic_keys_of_the_frontmatter_holding_rule_sentences_are_read() -> None:
    checklist = extract_checklist(parse_agent(SECOND / "hono-frontmatter-groups.md"))
    sections = {i.section[-1] for i in checklist.items if i.kind == "frontmatter"}
    assert sections == {"security", "api", "data"}
    assert {"sql.parameterized", "api.pagination", "http.security-headers"} <= set(
        checklist.requirements
    )


def test_frontmatter_lists_of_names_are_not_rules() -> None:
    text = (
        "---\nname: t\ntags: [bcrypt, jwt, cors, helmet]\nstack:\n  - Express\n  - zod\n---\nHi.\n"
    )
    assert _ids(text) == set()


def test_configuration_names_are_read_as_words() -> None:
    ids = extract_checklist(parse_agent(SECOND / "django-settings-code.md")).requirements
    # CORS_ALLOWED_ORIGINS, DEFAULT_THROTTLE_RATES, SECURE_SSL_REDIRECT
    assert {"http.cors", "ratelimit", "http.https"} <= set(ids)
    # the "Not needed" section declines caching and GraphQL
    assert not {"perf.caching", "graphql.introspection", "graphql.limits"} & set(ids)


# Single sentences written after both sets were tuned, run once: 9 of 20 mapped and 5 of 6 near
# misses stayed apart (agents-other/README.md, "A third probe"); after general widening all do.
THIRD_PROBE = [
    ("Socket clients must present a session cookie before the upgrade completes.", "ws.auth"),
    ("Reject WebSocket upgrades whose Origin is not in ALLOWED_ORIGINS.", "ws.origin"),
    ("Schema introspection stays off outside development.", "graphql.introspection"),
    ("Queries nested beyond six levels are refused.", "graphql.limits"),
    ("Cap each request at 10 aliased fields.", "graphql.limits"),
    ("The image proxy only fetches from our CDN hosts.", "injection.ssrf"),
    ("Never let the client choose the host the server calls.", "injection.ssrf"),
    ("Query objects from the request body are never passed to Mongo as-is.", "injection.nosql"),
    ("The update endpoint ignores isAdmin and ownerId in the payload.", "data.mass-assignment"),
    ("Only name and bio are accepted when a profile is edited.", "data.mass-assignment"),
    ("Webhook secrets are kept encrypted in the database.", "data.encryption-at-rest"),
    ("Personal access tokens are saved only as hashes.", "data.encryption-at-rest"),
    ("Reject JSON bodies larger than 1 MB with 413.", "robustness.resource-limits"),
    ("User-supplied regular expressions are never compiled.", "robustness.resource-limits"),
    (
        "Uploaded archives are checked for their uncompressed size before extraction.",
        "robustness.resource-limits",
    ),
    ("A member may only touch documents of their own workspace.", "auth.authorization"),
    ("Clients never see exception text.", "errors.no-leak"),
    ("Access tokens are valid for fifteen minutes.", "auth.token-expiry"),
    ("Send a Content-Security-Policy on every HTML page.", "http.security-headers"),
    ("No query text is ever assembled from user strings.", "sql.parameterized"),
]
THIRD_PROBE_NEAR_MISSES = [
    ("Rate limiting is handled by the ingress, not this app.", "ratelimit"),
    ("We expose no GraphQL endpoint.", "graphql.limits"),
    ("No WebSockets: polling is enough.", "ws.auth"),
    ("Pagination is not needed for the admin list.", "api.pagination"),
    ("Encrypt traffic with TLS 1.3.", "data.encryption-at-rest"),
    ("Validate e-mail domains against the allow-list at sign-up.", "injection.ssrf"),
]


@pytest.mark.parametrize(("text", "rid"), THIRD_PROBE)
def test_third_probe_maps(text: str, rid: str) -> None:
    assert rid in [m.requirement for m in map_text(text)[0]]


@pytest.mark.parametrize(("text", "rid"), THIRD_PROBE_NEAR_MISSES)
def test_third_probe_near_misses_stay_apart(text: str, rid: str) -> None:
    assert rid not in [m.requirement for m in map_text(text)[0]]
