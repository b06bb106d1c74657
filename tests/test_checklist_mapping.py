"""Wordings from other authors' styles map to the right requirement ids; vague, process and
descriptive wordings map to nothing, with a reason."""

from __future__ import annotations

import pytest

from harness.checklist import map_text
from harness.checklist._patterns import compile_pattern, to_regex

POSITIVE = [
    ("Never store plaintext passwords", "do", "auth.password-hashing"),
    ("Passwords are salted and hashed (argon2id preferred)", "do", "auth.password-hashing"),
    ("Always use prepared statements", "do", "sql.parameterized"),
    ("No string-built SQL: bind every value", "do", "sql.parameterized"),
    ("Build queries with f-strings", "dont", "sql.parameterized"),
    ("Protect login against brute force", "do", "ratelimit"),
    ("Throttle the password-reset endpoint", "do", "ratelimit"),
    ("Allow at most 10 requests per minute per IP", "do", "ratelimit"),
    ("Return 201 on creation", "do", "http.status-codes"),
    ("Respond with 404 when a record does not exist", "do", "http.status-codes"),
    ("Never answer 200 with an error body", "do", "http.status-codes"),
    ("Apply helmet", "do", "http.security-headers"),
    (
        "Send X-Content-Type-Options: nosniff and a Content-Security-Policy",
        "do",
        "http.security-headers",
    ),
    ("Remove the X-Powered-By header", "do", "http.security-headers"),
    ("Lock CORS down to the frontend origin", "do", "http.cors"),
    ("Use SameSite cookies or CSRF tokens", "do", "http.csrf"),
    ("Leak stack traces to clients", "dont", "errors.no-leak"),
    ("Error responses must not reveal internal details", "do", "errors.no-leak"),
    ("Run with debug mode off in production", "do", "errors.no-leak"),
    ("Strip password hashes from every response", "do", "data.no-sensitive-fields"),
    ("Never return the password field in API output", "do", "data.no-sensitive-fields"),
    ("Read secrets from the environment, never from source", "do", "secrets.no-hardcoded"),
    ("Commit API keys to the repository", "dont", "secrets.no-hardcoded"),
    ("Load configuration with dotenv", "do", "secrets.no-hardcoded"),
    ("Never commit API keys", "do", "secrets.no-hardcoded"),
    (
        "Protect against resource exhaustion (zip bombs, huge uploads)",
        "do",
        "robustness.resource-limits",
    ),
    ("Limit request size to 1 MB", "do", "robustness.resource-limits"),
    ("Prevent DoS through unbounded page sizes", "do", "robustness.resource-limits"),
    ("Compile user input as a regex (ReDoS)", "dont", "robustness.resource-limits"),
    ("Put credentials in config files that are committed", "dont", "secrets.no-hardcoded"),
    ("Logs must avoid plaintext secrets", "do", "logging.no-sensitive"),
    ("Card numbers are never stored or logged", "do", "logging.no-sensitive"),
    ("Avoid verbs in URLs (use HTTP methods)", "do", "api.restful"),
    ("Encrypt all API traffic", "do", "http.https"),
    ("Use Knex query builder bindings for every query", "do", "sql.parameterized"),
    ("A @ControllerAdvice turns exceptions into ProblemDetail responses", "do", "api.error-format"),
    ("Every outbound HTTP call gets a context.WithTimeout of 5s", "do", "resilience.outbound"),
    ("Pundit policies for record-level access", "do", "auth.authorization"),
    ("Reject malformed JSON with a 400", "do", "validation.input"),
    ("Every request body goes through a Zod schema", "do", "validation.input"),
    ("Don't trust anything coming from the client", "do", "validation.input"),
    ("Check uploaded files for MIME type and size", "do", "validation.upload"),
    ("Cap upload size at 5 MB", "do", "validation.upload"),
    ("Never pass user input to a shell", "do", "injection.command"),
    ("Avoid eval()", "do", "injection.command"),
    ("Escape user content before rendering HTML", "do", "output.xss-encoding"),
    ("Prevent cross-site scripting", "do", "output.xss-encoding"),
    ("Protected routes require a valid bearer token", "do", "auth.required"),
    ("Verify JWT signatures on every request", "do", "auth.required"),
    ("Users may only edit their own posts", "do", "auth.authorization"),
    ("Enforce least privilege for admin routes", "do", "auth.authorization"),
    ("Access tokens are short-lived (15 minutes)", "do", "auth.token-expiry"),
    ("Sessions time out after 30 minutes of inactivity", "do", "auth.token-expiry"),
    ("Issue refresh tokens and rotate them", "do", "auth.token-refresh"),
    ("Generate reset tokens with a CSPRNG", "do", "auth.secure-random"),
    ("Use Math.random for tokens", "dont", "auth.secure-random"),
    ("Require passwords of at least 12 characters", "do", "auth.password-policy"),
    ("Use AES-256-GCM for data at rest", "do", "crypto.strong"),
    ("Never disable TLS certificate verification", "do", "crypto.strong"),
    ("Run npm audit and pin dependency versions", "do", "deps.no-vulnerable"),
    ("Write an audit trail of admin actions", "do", "logging.audit"),
    ("Log every failed login attempt", "do", "logging.audit"),
    ("Redact tokens from log output", "do", "logging.no-sensitive"),
    ("Log passwords", "dont", "logging.no-sensitive"),
    ("Wrap third-party calls in a circuit breaker", "do", "resilience.outbound"),
    ("Set timeouts on outbound HTTP requests", "do", "resilience.outbound"),
    ("Wrap every payload as {success, data, error}", "do", "api.envelope"),
    ('Responses look like { "data": ..., "meta": ... }', "do", "api.envelope"),
    ("Errors follow RFC 7807 problem details", "do", "api.error-format"),
    ("Return machine-readable error codes", "do", "api.error-format"),
    ("List endpoints are paginated (limit/offset)", "do", "api.pagination"),
    ("Support sorting by created date", "do", "api.filtering"),
    ("Expose full CRUD for each resource", "do", "api.crud"),
    ("Prefix routes with /api/v1", "do", "api.versioning"),
    ("Use plural nouns for resource paths", "do", "api.restful"),
    ("Ship an OpenAPI spec", "do", "api.docs"),
    ("Provide a /health endpoint", "do", "api.health"),
    ("Accept Idempotency-Key headers on payments", "do", "api.idempotency"),
    ("Keep p95 latency under 200ms", "do", "perf.latency"),
    ("Send ETag headers on GET responses", "do", "perf.caching"),
    ("Propagate a request ID through logs", "do", "observability.metrics"),
    ("Expose Prometheus metrics", "do", "observability.metrics"),
    ("Handle SIGTERM and drain in-flight requests", "do", "lifecycle.graceful-shutdown"),
    ("Register a global exception handler", "do", "errors.handler"),
    ("Use structlog for logging", "do", "logging.present"),
    ("Route handlers stay thin and delegate to services", "do", "code.layering"),
    ("Annotate every function with type hints", "do", "code.typed"),
    ("Never block the event loop", "do", "code.async-io"),
    ("Put a path comment on the first line of each file", "do", "code.file-header"),
    ("Manage schema changes with Alembic", "do", "db.migrations"),
    ("Wrap multi-table writes in a transaction", "do", "db.transactions"),
    ("Add a unique index on email", "do", "db.constraints"),
    ("Every table has created_at and updated_at", "do", "db.timestamps"),
    ("Use soft deletes (deleted_at)", "do", "db.soft-delete"),
    ("Reuse one connection pool", "do", "db.pooling"),
    ("Ship pytest tests for each endpoint", "do", "tests.present"),
    ("Keep coverage above 80%", "do", "tests.present"),
    ("Include a README with curl examples", "do", "docs.setup"),
    ("Generate a typed API client for the frontend", "do", "frontend.client"),
    ("Prevent N+1 queries with eager loading", "do", "db.query-efficiency"),
    ("Gracefully handle malformed requests without crashing", "do", "robustness.no-crash"),
]

NEGATIVE = [
    ("Security best practices", "too-vague"),
    ("Write clean, maintainable code", "too-vague"),
    ("Follow the project's conventions", "too-vague"),
    ("Protect against common vulnerabilities", "too-vague"),
    ("Ask clarifying questions when requirements are unclear", "not-about-code"),
    ("Communicate with the frontend team about contracts", "not-about-code"),
    ("Understand the business requirements first", "not-about-code"),
    ("Identify the data entities and their relationships", "not-about-code"),
    ("Use dependency injection", "unknown"),
    ("Users log in with their email", "unknown"),
]


@pytest.mark.parametrize(("text", "polarity", "requirement"), POSITIVE)
def test_wording_maps_to_requirement(text: str, polarity: str, requirement: str) -> None:
    mappings, reason = map_text(text, polarity)
    assert requirement in [m.requirement for m in mappings], (text, mappings, reason)
    assert reason is None
    mapping = next(m for m in mappings if m.requirement == requirement)
    assert mapping.phrase and mapping.phrase.lower() in f"never {text}".lower()
    assert mapping.pattern


@pytest.mark.parametrize(("text", "reason"), NEGATIVE)
def test_wording_maps_to_nothing_with_reason(text: str, reason: str) -> None:
    mappings, why = map_text(text)
    assert mappings == [], (text, mappings)
    assert why == reason


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [
        (
            "Validate file uploads with proper type and size checks",
            "validation.upload",
            "validation.input",
        ),
        ("Use dependency injection for testability", None, "sql.parameterized"),
        ("Set up database migrations and version control", "db.migrations", "api.versioning"),
        ("Handle API versioning and deprecation from external services", None, "api.versioning"),
        ("Logging for debugging and monitoring", "logging.present", "observability.metrics"),
        ("Respect the payment provider's rate limits", None, "ratelimit"),
        ("Include rate limiting on auth endpoints", "ratelimit", "auth.required"),
        (
            "Create consistent error response formats across all endpoints",
            "api.error-format",
            "api.envelope",
        ),
        ("Migration files with proper rollback strategies", "db.migrations", "db.transactions"),
        ("Never log passwords", "logging.no-sensitive", "logging.present"),
        ("Add password strength validation", "auth.password-policy", "validation.input"),
        ("Suggest test cases for critical paths", None, "tests.present"),
        ("Validation constraints on the model", "db.constraints", "validation.input"),
        ("Return 100 items per page at most", "api.pagination", "http.status-codes"),
        ("Never expose stack traces", "errors.no-leak", "observability.metrics"),
        ("Limit MIME types of uploads", "validation.upload", "code.typed"),
        ("Sensitive data encrypted at rest", "crypto.strong", "api.restful"),
        ("URL: https://api.example.com/v1/forecast", None, "api.versioning"),
        ("Optimize model calls with 300-token response limits", None, "data.no-sensitive-fields"),
        ("Consider the impact on API costs and rate limits", None, "ratelimit"),
        ("Structured JSON logs to stdout", "logging.present", "api.envelope"),
        ("202 Accepted: Request accepted for async processing", None, "code.async-io"),
        ("Environment validation on startup", None, "validation.input"),
        ("Pydantic v2 models for every request", "validation.input", "api.versioning"),
        ("Apply rate limiting to every endpoint", "ratelimit", "robustness.resource-limits"),
    ],
)
def test_guards_keep_near_misses_apart(text: str, wanted: str | None, unwanted: str) -> None:
    ids = [m.requirement for m in map_text(text)[0]]
    if wanted:
        assert wanted in ids, (text, ids)
    assert unwanted not in ids, (text, ids)


def test_pattern_syntax() -> None:
    assert compile_pattern("rate limit*").search("Rate-limiting everywhere")
    assert compile_pattern("hard ?cod*").search("no hardcoded keys")
    assert compile_pattern("status code").search("HTTP status codes")
    assert compile_pattern("validat* ... input").search("validate all of the user inputs")
    assert not compile_pattern("validat* ... input").search("validate a b c d e f input")
    assert not compile_pattern("cors").search("scorsese")
    assert to_regex("re:^x$") == "^x$"
