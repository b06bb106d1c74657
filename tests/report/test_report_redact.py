"""Redaction of host secrets: each rule on what it must catch and on what it must leave alone,
then the scorecard pass and every report format built on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import fake_secrets as fake
import jsonschema
import pytest
from click.testing import CliRunner
from report_cards import sample_card

from harness.cli import main
from harness.report import FORMATS, SCHEMA_FILE, load_scorecard, render, write_reports
from harness.scorecard import (
    REDACTION_RULES,
    Evidence,
    Exchange,
    Scorecard,
    Status,
    redact_scorecard,
)
from harness.scorecard._redact import Redactor, env_rule, env_secret_values

ROOT = Path(__file__).resolve().parents[2]


def redact(text: str, environ: dict[str, str] | None = None) -> tuple[str, dict[str, int]]:
    redactor = Redactor.for_host(environ or {})
    out = redactor.text(text)
    return out, {k: v for k, v in redactor.counts.items() if v}


# (rule id, a function giving (text around the secret, the secret itself))
def _aws_secret() -> tuple[str, str]:
    s = fake.aws_secret_access_key()
    return f"[default]\naws_access_key_id = x\naws_secret_access_key = {s}\n", s


def _imds_secret() -> tuple[str, str]:
    s = fake.aws_secret_access_key()
    return f'{{"Code" : "Success", "SecretAccessKey" : "{s}", "Expiration" : "x"}}', s


def _shadow() -> tuple[str, str]:
    h = fake.crypt_hash()
    return f"root:{h}:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n", h


def _netrc() -> tuple[str, str]:
    p = fake.password()
    return f"machine git.example.com\n  login robot\n  password {p}\n", p


def _netrc_one_line() -> tuple[str, str]:
    p = fake.password()
    return f"machine api.example.com login bob password {p}", p


def _pgpass() -> tuple[str, str]:
    p = fake.password()
    return f"db.internal:5432:app:app_user:{p}\n", p


def _docker() -> tuple[str, str]:
    a = fake.docker_auth()
    return json.dumps({"auths": {"registry.example.com": {"auth": a}}}, indent=2), a


def _wrapped(make: Callable[[], str], before: str = "leak: ", after: str = " end") -> Callable:
    def build() -> tuple[str, str]:
        s = make()
        return before + s + after, s

    return build


CASES: list[tuple[str, Callable[[], tuple[str, str]]]] = [
    ("pem-private-key", _wrapped(fake.pem_private_key)),
    ("pem-private-key", _wrapped(lambda: fake.pem_private_key("EC "))),
    ("pem-private-key", _wrapped(lambda: fake.pem_private_key(""))),
    ("pem-private-key", _wrapped(lambda: fake.pem_private_key("ENCRYPTED "))),
    ("openssh-private-key", _wrapped(fake.openssh_private_key)),
    ("putty-private-key", _wrapped(fake.putty_private_key)),
    ("aws-access-key-id", _wrapped(fake.aws_access_key_id)),
    ("aws-access-key-id", _wrapped(lambda: fake.aws_access_key_id("ASIA"))),
    ("aws-secret-access-key", _aws_secret),
    ("aws-secret-access-key", _imds_secret),
    ("github-token", _wrapped(fake.github_token)),
    ("github-token", _wrapped(lambda: fake.github_token("gho_"))),
    ("github-token", _wrapped(lambda: fake.github_token("ghs_"))),
    ("github-token", _wrapped(lambda: fake.github_token("ghu_"))),
    ("github-token", _wrapped(fake.github_fine_grained_token)),
    ("gitlab-token", _wrapped(fake.gitlab_token)),
    ("slack-token", _wrapped(fake.slack_token)),
    ("google-api-key", _wrapped(fake.google_api_key)),
    ("stripe-live-key", _wrapped(fake.stripe_live_key)),
    ("stripe-live-key", _wrapped(lambda: fake.stripe_live_key("rk"))),
    ("shadow-hash", _shadow),
    ("netrc-password", _netrc),
    ("netrc-password", _netrc_one_line),
    ("pgpass-password", _pgpass),
    ("docker-auth", _docker),
]
CASE_IDS = [f"{rule}-{n}" for n, (rule, _) in enumerate(CASES)]


@pytest.mark.parametrize(("rule", "build"), CASES, ids=CASE_IDS)
def test_each_rule_replaces_its_secret(rule: str, build: Callable[[], tuple[str, str]]) -> None:
    text, secret = build()
    out, counts = redact(text)
    assert secret.strip() not in out
    assert f"[redacted: {rule}]" in out
    assert counts == {rule: 1}


@pytest.mark.parametrize(("rule", "build"), CASES, ids=CASE_IDS)
def test_each_rule_also_finds_its_secret_json_escaped(
    rule: str, build: Callable[[], tuple[str, str]]
) -> None:
    """An app that serves the file inside a JSON string: newlines become \\n, quotes \\"."""
    text, secret = build()
    body = json.dumps({"file": text})
    out, counts = redact(body)
    assert json.dumps(secret.strip())[1:-1] not in out
    assert counts == {rule: 1}
    json.loads(out)  # the excerpt stays well-formed JSON


@pytest.mark.parametrize(("rule", "build"), CASES, ids=CASE_IDS)
def test_a_second_pass_finds_nothing_more(rule: str, build: Callable[[], tuple[str, str]]) -> None:
    for text in (build()[0], json.dumps({"file": build()[0]})):
        once, _ = redact(text)
        twice, counts = redact(once)
        assert (twice, counts) == (once, {}), rule


def test_labels_around_a_secret_stay_readable() -> None:
    text, _ = _aws_secret()
    out, _ = redact(text)
    assert "aws_secret_access_key = [redacted: aws-secret-access-key]" in out
    shadow, _ = _shadow()
    out, _ = redact(shadow)
    assert out.startswith("root:[redacted: shadow-hash]:19700:0:99999:7:::")
    assert "daemon:*:19700" in out


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_a_key_clipped_before_its_end_line_is_redacted_whole(keep: float) -> None:
    key = fake.pem_private_key()
    clipped = key[: int(len(key) * keep)]
    body = clipped.split("-----", 2)[2]  # the key material after the BEGIN line
    out, counts = redact("excerpt: " + clipped + "…")
    assert counts == {"pem-private-key": 1}
    assert out == "excerpt: [redacted: pem-private-key]…"
    assert body.strip().splitlines()[0] not in out


@pytest.mark.parametrize("escaped", [False, True])
def test_a_log_tail_that_starts_inside_a_key_loses_its_lines(escaped: bool) -> None:
    """``log_tail`` keeps the end of a log: the BEGIN line may be gone, the END line is there."""
    key = fake.pem_private_key()
    tail = "…" + key[len(key) // 3 :] + "127.0.0.1 - GET / 200\n"
    text = json.dumps(tail)[1:-1] if escaped else tail
    out, counts = redact(text)
    assert counts == {"pem-private-key": 1}
    full_lines = [ln for ln in key.splitlines()[1:-1] if len(ln) == 64]
    assert not [ln for ln in full_lines[len(full_lines) // 2 :] if ln in out]
    assert "GET / 200" in out


def test_two_keys_in_one_text_are_two_redactions_and_text_between_stays() -> None:
    out, counts = redact(fake.pem_private_key() + "between\n" + fake.openssh_private_key())
    assert counts == {"pem-private-key": 1, "openssh-private-key": 1}
    assert "between" in out


# Ordinary evidence that looks a little like a secret and must stay as it is.
NEAR_MISSES = [
    '{"username": "probe_1", "password": "[hidden]"}',
    # a hash the app stores for its own user is the evidence of the hashing and leak checks
    '{"id": 3, "password_hash": "$2b$12$' + "a" * 53 + '"}',
    "pbkdf2:sha256:600000$" + "b" * 16 + "$" + "c" * 64,
    # a JWT issued to the probe, and the curl line that replays it
    "curl -sS -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU' "
    "'http://127.0.0.1:5000/todos/1'",
    "canary hp-canary-7f3a9c1e2b in the response",
    # public halves and look-alikes
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n"
    "-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYD\n",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEPUBLICKEYONLY user@host",
    "pk_live_" + "d" * 24 + " is a publishable key",
    "sk_test_" + "e" * 24,
    "AKIA1234 is too short to be a key id",
    "the private key is stored in the vault",
    "by default password is required; the machine password is rotated",
    '{"session_token": "' + "9f" * 64 + '"}',  # an app's own session, not AWS
    # a docker "auth" that is not base64 of user:password, and a session token kept in "auth"
    '{"auth": "' + "f" * 32 + '"}',
    '{"auth": "Bearer abc.def.ghi"}',
    # shadow-like lines with no hash in them, and colon-separated text that is no .pgpass line
    "root:x:0:0:root:/root:/bin/bash\nalice:!:19700:0:99999:7:::\nbob:*:19700::::::",
    "app.py:12:5:E501:line",
    "2024-05-01T10:20:30:40:50 worker started",
    "GET http://127.0.0.1:5000/a:b:c:d 200",
    'Traceback (most recent call last):\n  File "/app/app.py", line 41, in create\n',
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_ordinary_evidence_is_left_alone(text: str) -> None:
    out, counts = redact(text)
    assert out == text
    assert counts == {}


def test_rules_are_data_with_unique_ids_and_reasons() -> None:
    ids = [r.id for r in REDACTION_RULES]
    assert len(ids) == len(set(ids))
    assert all(r.why and r.pattern.pattern for r in REDACTION_RULES)


# --- the harness's own environment --------------------------------------------------------


def test_secret_looking_environment_values_are_chosen_and_others_not(tmp_path: Path) -> None:
    env = {
        "MY_API_TOKEN": "tok-" + fake.password(),
        "DB_PASSWORD": "hunter2-long-enough",
        "SERVICE_AUTH": "auth-" + fake.password(),
        "AWS_SECRET_ACCESS_KEY": fake.aws_secret_access_key(),
        "SHORT_KEY": "abc1234",  # under 8 characters
        "SOME_KEY_COUNT": "12345678",  # a number
        "FEATURE_TOKEN_ENABLED": "false",
        "SSH_AUTH_SOCK": str(tmp_path),  # an existing path, not a secret
        "HOME": "/root-ish-value-but-not-secret-name",
        "GREETING": "hello-world-not-secret",
    }
    chosen = set(env_secret_values(env))
    wanted = {"MY_API_TOKEN", "DB_PASSWORD", "SERVICE_AUTH", "AWS_SECRET_ACCESS_KEY"}
    assert chosen == {env[n] for n in wanted}


def test_environment_values_are_replaced_verbatim_escaped_and_url_encoded() -> None:
    value = 'p@ss"word/with+odd&chars'
    env = {"DEPLOY_PASSWORD": value}
    text = (
        f"raw {value} | json {json.dumps(value)} | url "
        "http://127.0.0.1/?q=p%40ss%22word%2Fwith%2Bodd%26chars | again " + value
    )
    out, counts = redact(text, env)
    assert "ss" not in out.replace("[redacted: env-secret]", "")
    assert counts == {"env-secret": 4}


def test_no_secret_environment_gives_no_environment_rule() -> None:
    assert env_rule([]) is None
    assert [r.id for r in Redactor.for_host({"PATH": "/usr/bin:/bin"}).rules] == [
        r.id for r in REDACTION_RULES
    ]


# --- the scorecard pass -------------------------------------------------------------------


def _leaky_card(secrets_in: dict[str, str]) -> Scorecard:
    """The sample scorecard with secrets placed where an app's output ends up: a response body,
    a response header, evidence data, a static snippet, a run note."""
    card = sample_card()
    key, aws, token = secrets_in["pem"], secrets_in["aws"], secrets_in["env"]
    exchange = Exchange(
        method="GET",
        url="http://127.0.0.1:5000/debug",
        curl="curl -sS 'http://127.0.0.1:5000/debug'",
        status=200,
        response_headers={"X-Debug": token},
        body_excerpt=json.dumps({"key": key, "aws": aws}),
    )
    leak = Evidence(
        kind="live",
        message=f"debug route answered {aws} {token}",
        exchange=exchange,
        data={"log_tail": f"boot {token}"},
    )
    for req in card.requirements.values():
        if req.checks:
            req.checks[0].evidence.append(leak)
            req.evidence.append(leak)
    card.items[0].evidence.append(leak)
    card.findings[0].snippet += f"  # {aws}"
    card.run.notes.append(f"app printed {key[:120]}")
    return card


def _material() -> dict[str, str]:
    return {
        "pem": fake.pem_private_key(),
        "aws": fake.aws_access_key_id(),
        "env": "env-" + fake.password(),
    }


def _secret_parts(material: dict[str, str]) -> list[str]:
    """Pieces that must not appear anywhere: every line of the key body, the ids, the value."""
    key_lines = [ln for ln in material["pem"].splitlines() if ln and not ln.startswith("-----")]
    return [*key_lines, material["aws"], material["env"]]


def test_scorecard_redaction_keeps_the_judgement_and_counts_per_rule() -> None:
    material = _material()
    card = _leaky_card(material)
    env = {"HARNESS_PROBE_TOKEN_FOR_TEST": material["env"]}
    redacted = redact_scorecard(card, env)

    dumped = redacted.model_dump_json()
    for part in _secret_parts(material):
        assert part not in dumped
        assert part in card.model_dump_json()  # the input was not changed in place
    assert redacted.redactions["pem-private-key"] >= 2
    assert redacted.redactions["aws-access-key-id"] >= 2
    assert redacted.redactions["env-secret"] >= 2
    # verdicts, scores and finding fingerprints are as judged
    assert {k: (v.verdict, v.score) for k, v in redacted.requirements.items()} == {
        k: (v.verdict, v.score) for k, v in card.requirements.items()
    }
    assert [i.verdict for i in redacted.items] == [i.verdict for i in card.items]
    assert [f.fingerprint for f in redacted.findings] == [f.fingerprint for f in card.findings]
    assert redacted.score == card.score


def test_redaction_is_idempotent_and_a_clean_card_is_untouched() -> None:
    material = _material()
    env = {"X_SECRET": material["env"]}
    once = redact_scorecard(_leaky_card(material), env)
    twice = redact_scorecard(once, env)
    assert twice == once
    clean = sample_card()
    assert redact_scorecard(clean, env) is clean
    assert clean.redactions == {}


def test_an_old_scorecard_without_the_field_still_loads(tmp_path: Path) -> None:
    data = json.loads(sample_card().model_dump_json())
    del data["redactions"]
    path = tmp_path / "scorecard.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_scorecard(path).redactions == {}
    schema = json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(data))


# --- every report format ------------------------------------------------------------------


def test_every_format_written_is_redacted_and_says_how_much(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    material = _material()
    monkeypatch.setenv("HARNESS_TEST_DEPLOY_TOKEN", material["env"])
    written = write_reports(_leaky_card(material), tmp_path, FORMATS)
    assert set(written) == set(FORMATS)
    for path in written.values():
        text = path.read_text(encoding="utf-8")
        for part in _secret_parts(material):
            assert part not in text, (path.name, part[:12])
            assert json.dumps(part)[1:-1] not in text, (path.name, part[:12])
        assert "[redacted: pem-private-key]" in text or path.suffix == ".sarif", path.name
    card = load_scorecard(written["json"])
    assert card.redactions["env-secret"] >= 2
    assert "host secrets redacted" in written["html"].read_text(encoding="utf-8")
    assert "redacted " in written["md"].read_text(encoding="utf-8")
    schema = json.loads((ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(data))


@pytest.mark.parametrize("fmt", FORMATS)
def test_harness_report_redacts_a_stored_scorecard_that_was_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A scorecard written elsewhere (an older harness, a custom scorer) is redacted when it is
    rendered again."""
    material = _material()
    stored = tmp_path / "scorecard.json"
    stored.write_text(_leaky_card(material).model_dump_json(), encoding="utf-8")
    assert material["aws"] in stored.read_text(encoding="utf-8")
    monkeypatch.setenv("OTHER_SERVICE_SECRET", material["env"])
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(main, ["report", str(stored), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for part in _secret_parts(material):
        assert part not in text


def test_render_of_a_card_with_a_failed_live_check_keeps_its_status() -> None:
    material = _material()
    card = _leaky_card(material)
    failed = [c for r in card.requirements.values() for c in r.checks if c.status == Status.failed]
    assert failed
    data = json.loads(render(card, "json"))
    statuses = [c["status"] for r in data["requirements"].values() for c in r["checks"]]
    assert statuses.count("fail") == len(failed)


def test_harness_gate_on_a_stored_scorecard_names_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate's reasons quote failure messages; those come from the redacted card."""
    material = _material()
    card = _leaky_card(material)
    stored = tmp_path / "scorecard.json"
    stored.write_text(card.model_dump_json(), encoding="utf-8")
    monkeypatch.setenv("GATE_TEST_API_KEY", material["env"])
    md = tmp_path / "gate.md"
    result = CliRunner().invoke(main, ["gate", str(stored), "--md", str(md)])
    assert result.exit_code == 1, result.output  # the sample breaks high-severity promises
    assert "[redacted: aws-access-key-id]" in result.output
    for text in (result.output, md.read_text(encoding="utf-8")):
        for part in _secret_parts(material):
            assert part not in text
