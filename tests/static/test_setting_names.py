"""A literal fallback on a setting is not a hardcoded secret; on a secret it is. The names are
told apart by one list of qualifiers, used by the bandit prover and mirrored in the semgrep
rules; semgrep runs for real here, line by line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.static import _semgrep
from harness.static._catalogue import rules_dir
from harness.static._setting_names import (
    QUALIFIERS,
    non_secret_setting_reason,
    setting_qualifier,
)

SECRETS = ["JWT_SECRET", "SECRET_KEY", "DB_PASSWORD", "API_KEY", "STRIPE_API_KEY",
           "JWT_PRIVATE_KEY", "REFRESH_TOKEN_SECRET", "ADMIN_PASSWORD", "githubToken"]  # fmt: skip
SETTINGS = {
    "JWT_ALGORITHM": "ALGORITHM",
    "ACCESS_TOKEN_EXPIRE_MINUTES": "EXPIRE",
    "JWT_EXPIRES_IN": "EXPIRES",
    "REFRESH_TOKEN_TTL_DAYS": "TTL",
    "PASSWORD_MIN_LENGTH": "MIN",
    "API_KEY_HEADER": "HEADER",
    "PRIVATE_KEY_PATH": "PATH",
    "TOKEN_URL": "URL",
    "tokenUrl": "URL",
    "JWT_ISSUER": "ISSUER",
}


def test_secret_names_and_setting_names_are_told_apart() -> None:
    for name in SECRETS:
        assert setting_qualifier(name) is None, name
    for name, qualifier in SETTINGS.items():
        assert setting_qualifier(name) == qualifier, name


def test_the_bandit_prover_reads_one_assignment() -> None:
    reason = non_secret_setting_reason('TOKEN_ALGORITHM = "HS256"')
    assert reason is not None and "TOKEN_ALGORITHM" in reason and "ALGORITHM" in reason
    assert non_secret_setting_reason('    reset_path: str = "/auth/reset"') is not None
    assert non_secret_setting_reason('DB_PASSWORD = "hunter2"') is None
    assert non_secret_setting_reason('SECRET = "x"  # TOKEN_URL') is None
    assert non_secret_setting_reason("login(password_path)") is None


def test_the_semgrep_rules_carry_the_same_qualifiers() -> None:
    for lang, ids in (("python", ["py-secret-literal-config", "py-secret-env-fallback"]),
                      ("javascript", ["js-secret-literal", "js-secret-env-fallback"])):  # fmt: skip
        rules = yaml.safe_load((rules_dir() / f"{lang}.yaml").read_text())["rules"]
        for rule in (r for r in rules if r["id"] in ids):
            assert QUALIFIERS in yaml.safe_dump(rule, width=10_000), rule["id"]


PY = """import os

PORT = int(os.getenv("PORT", "8000"))
DATABASE_PATH = os.environ.get("DATABASE_PATH", "app.db")
CORS_ORIGIN = os.getenv("CORS_ORIGIN", "http://localhost:3000")
JWT_ALGORITHM = os.getenv("JWT_ALGORITHM", "HS256")
ACCESS_TOKEN_EXPIRE_MINUTES = int(os.getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "30"))
JWT_SECRET = os.getenv("JWT_SECRET", "dev-secret")
API_KEY = os.environ.get("API_KEY", "sk-test-123")
SESSION_SECRET = os.environ.setdefault("SESSION_SECRET", "changeme")
"""
JS = """const PORT = process.env.PORT || 3000;
const CORS_ORIGIN = process.env.CORS_ORIGIN || "http://localhost:3000";
const DB_FILE = process.env.DB_FILE || "./data.sqlite";
const JWT_EXPIRES_IN = process.env.JWT_EXPIRES_IN || "1h";
const TOKEN_ISSUER = process.env["TOKEN_ISSUER"] || "todo-api";
const JWT_SECRET = process.env.JWT_SECRET || "changeme";
const API_TOKEN = process.env["API_TOKEN"] ?? "dev-token";
const SESSION_SECRET = process.env.SESSION_SECRET ?? "keyboard cat";
"""


@pytest.mark.parametrize(("name", "text", "flagged"), [
    ("config.py", PY, [8, 9, 10]),
    ("server.js", JS, [6, 7, 8]),
])  # fmt: skip
def test_semgrep_flags_fallbacks_on_secrets_only(
    tmp_path: Path, name: str, text: str, flagged: list[int]
) -> None:
    (tmp_path / name).write_text(text)
    run = _semgrep.finish(_semgrep.start(tmp_path, rules_dir()), tmp_path, 300)
    assert run.error is None, run.error
    lines = sorted({f.line for f in run.findings if "secret" in f.rule})
    assert lines == flagged, [(f.line, f.rule) for f in run.findings]
