"""Pure parts of the probes: credential classification, forged tokens, leak patterns, the
registry covering every live requirement, reproducible curl lines."""

from __future__ import annotations

import hashlib
import shlex

import httpx
import pytest
import yaml

from harness._paths import checks_dir
from harness.apimodel._learn import feedback
from harness.catalogue import load_requirements
from harness.probes import curl_line, live_checks
from harness.probes._auth import forge_alg_none, forge_wrong_key, jwt_parts
from harness.probes._signals import leak, sql_error
from harness.probes._storage import classify, judge_scheme

PW = "Pr0be-secret-Xy!"


def test_every_live_requirement_has_a_probe() -> None:
    live = {rid for rid, r in load_requirements().items() if r.live}
    covered = {spec.requirement for spec in live_checks()}
    pending = set(yaml.safe_load((checks_dir() / "live_pending.yaml").read_text()) or {})
    assert live - covered == pending, "checks/live_pending.yaml lists exactly the unprobed ids"
    assert all(spec.kind == "live" and spec.func is not None for spec in live_checks())


@pytest.mark.parametrize(
    ("stored", "scheme", "status"),
    [
        (PW, "plaintext", "fail"),
        (hashlib.md5(PW.encode()).hexdigest(), "md5(password)", "fail"),
        (hashlib.sha256(("s4lt" + PW).encode()).hexdigest(), "sha256(salt+password)", "fail"),
        ("$2b$12$" + "a" * 53, "bcrypt", "pass"),
        ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "argon2", "pass"),
        ("scrypt:32768:8:1$abc$" + "0" * 128, "scrypt", "pass"),
        ("pbkdf2:sha256:600000$salt$" + "0" * 64, "pbkdf2", "pass"),
        ("pbkdf2_sha256$1000$salt$hash=", "pbkdf2", "fail"),
        ("sha256$salt$" + "0" * 64, "sha256", "fail"),
        ("f" * 64, "unknown-hex", "unknown"),
    ],
)
def test_classify_stored_credentials(stored: str, scheme: str, status: str) -> None:
    got = classify(stored, PW, ["s4lt"])
    assert (got[0], got[1]) == (scheme, status)


def test_node_style_scrypt_is_verified() -> None:
    salt = "0123456789abcdef"
    digest = hashlib.scrypt(PW.encode(), salt=salt.encode(), n=16384, r=8, p=1, dklen=64).hex()
    assert classify(f"{salt}:{digest}", PW)[:2] == ("scrypt", "pass")


def test_promised_schemes_accept_stronger_and_refuse_weaker() -> None:
    assert judge_scheme("argon2", "pass", ["bcrypt"])[0] == "pass"
    assert judge_scheme("bcrypt", "pass", ["bcrypt", "argon2"])[0] == "pass"
    assert judge_scheme("pbkdf2", "pass", ["argon2"])[0] == "fail"
    assert judge_scheme("bcrypt", "fail", ["bcrypt"])[0] == "fail"


def test_forged_tokens_keep_the_payload() -> None:
    real = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiI0MiIsImV4cCI6OTk5OTk5OTk5OX0.sig_value_here"
    )
    wrong, none = forge_wrong_key(real), forge_alg_none(real)
    assert jwt_parts(wrong)[1] == {"sub": "42", "exp": 9999999999}
    assert wrong != real and wrong.split(".")[2]
    assert none.endswith(".") and jwt_parts(none) == (
        {"alg": "none", "typ": "JWT"},
        jwt_parts(real)[1],
    )
    assert forge_wrong_key("opaque-token") is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"trace": "Traceback (most recent call last):\\n  File \\"/app/x.py\\", line 3"}', True),
        (
            "<pre>SyntaxError: Unexpected token } in JSON<br> &nbsp;at parse "
            "(/app/node_modules/body-parser/lib/types/json.js:92:19)",
            True,
        ),
        ('{"error": "sqlite3.OperationalError: near \\"x\\": syntax error"}', True),
        ('{"error": {"code": "VALIDATION_ERROR", "message": "title is required"}}', False),
        ('{"detail": [{"type": "int_parsing", "msg": "Input should be a valid integer"}]}', False),
    ],
)
def test_leak_patterns(text: str, found: bool) -> None:
    assert bool(leak(text)) is found


def test_sql_error_patterns() -> None:
    assert sql_error('{"error": "unrecognized token: \\"\'\\""}')
    assert sql_error('SQLITE_ERROR: near "OR": syntax error')
    assert not sql_error('{"items": [], "total": 0}')


def test_validation_feedback_learns_fields() -> None:
    sent = {"username": "u", "password": "p"}
    fastapi = httpx.Response(
        422,
        json={
            "detail": [
                {"type": "missing", "loc": ["body", "email"], "msg": "Field required"},
                {
                    "type": "extra_forbidden",
                    "loc": ["body", "username"],
                    "msg": "Extra inputs are not permitted",
                },
            ]
        },
    )
    fb = feedback(fastapi, sent)
    assert fb.missing == {"email"} and fb.extra == {"username"}
    plain = httpx.Response(400, json={"error": "email and password are required"})
    assert feedback(plain, {"password": "p"}).missing == {"email"}


def test_curl_lines_reproduce_the_request() -> None:
    line = curl_line(
        "curl --unix-socket /tmp/a.sock",
        "POST",
        "http://127.0.0.1:8000/todos?q=' OR '1'='1",
        {"Authorization": "Bearer t"},
        b'{"title": "it\'s"}',
    )
    argv = shlex.split(line)
    assert argv[:3] == ["curl", "--unix-socket", "/tmp/a.sock"]
    assert "http://127.0.0.1:8000/todos?q=' OR '1'='1" in argv
    assert '{"title": "it\'s"}' in argv
    assert "$'\\xff" in curl_line("curl", "POST", "http://127.0.0.1/x", {}, b"\xff\xfe")


def _judged(operations: list[str], requirement: str) -> tuple[str, str]:
    """The live verdict of ``requirement`` for an app known only by its routes; no request is
    sent (every case here stops at discovery), so the app is a name in the curl lines."""
    import asyncio

    from harness.apimodel import ApiModel, AuthFlow, Operation
    from harness.probes import ProbeContext, Session
    from harness.probes._run import _run_one

    ops = [Operation(method=o.split()[0], path=o.split()[1]) for o in operations]
    api = ApiModel(source="static-routes", operations=ops, auth=AuthFlow(kind="none"))

    class NoApp:
        base_url = "http://127.0.0.1:9"
        curl_prefix = "curl"

    async def go() -> tuple[str, str]:
        async with httpx.AsyncClient() as client:
            session = Session(app=NoApp(), api=api, client=client)
            # the REST probe of the requirement (GraphQL ones have their own tests; the
            # resource-exhaustion probes, phase "exhaust", share validation.input/upload)
            [spec] = [
                s
                for s in live_checks({requirement})
                if s.requirement == requirement
                and not s.id.startswith("live.graphql-")
                and s.phase != "exhaust"
            ]
            result = await _run_one(ProbeContext(session, spec))
            assert not session.records, "discovery cases must not send requests"
            return result.status.value, result.message

    return asyncio.run(go())


def test_auth_routes_without_a_learned_sign_in_are_not_checkable() -> None:
    status, message = _judged(
        ["POST /auth/credentials", "POST /auth/new-user", "GET /todos", "POST /todos"],
        "auth.authorization",
    )
    assert status == "not_checkable", message
    assert "POST /auth/credentials" in message and "no sign-in flow" in message


def test_an_app_with_no_users_at_all_is_not_applicable_for_authorization() -> None:
    status, message = _judged(["GET /health", "POST /calculator"], "auth.authorization")
    assert status == "not_applicable", message


def test_routes_without_a_recognised_collection_are_not_checkable() -> None:
    status, message = _judged(["GET /health", "POST /convert", "GET /report"], "validation.input")
    assert status == "not_checkable", message
    assert "POST /convert" in message
    status, message = _judged(["GET /health", "GET /"], "validation.input")
    assert status == "not_applicable", message


def test_an_eval_canary_counts_only_as_a_whole_number() -> None:
    from harness.probes._injection import _canaries, _shows

    n = 1_234_567_891
    marker = dict((kind, m) for kind, _, m in _canaries(n))["python eval"]
    assert marker == str(7 * n) and len(marker) >= 10
    assert _shows(marker, f'{{"result": {marker}}}')
    # inside a longer number (an id, a timestamp's fraction, a token's digits) it is chance
    assert not _shows(marker, f'{{"id": 9{marker}1}}')
    assert not _shows(marker, f'{{"t": "2026-12-04T23:09:49.{marker}5Z"}}')
