"""Django's own auth read statically: the hasher of its user model, simplejwt's token lifetime."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.scorecard._model import Status
from harness.static import run_static

DRF = Path(__file__).resolve().parents[1] / "services" / "apps" / "drf_pg"
REQ = {"auth.password-hashing"}


def _kdf(repo: Path, **kwargs):
    run = run_static(repo, requirements=REQ, **kwargs)
    return next(r for r in run.results if r.check == "auth.password-hashing.kdf")


def test_create_user_is_pbkdf2_by_default(tmp_path: Path) -> None:
    result = _kdf(DRF)
    assert result.status is Status.passed and "pbkdf2" in result.message
    cited = " ".join(e.message for e in result.evidence)
    assert "accounts/serializers.py" in cited  # where the password goes through create_user
    narrowed = _kdf(DRF, params={"auth.password-hashing": {"schemes": ["bcrypt", "argon2"]}})
    assert narrowed.status is Status.failed and "pbkdf2" in narrowed.message


def test_the_first_password_hasher_of_the_settings_decides(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DRF, repo)
    settings = repo / "config" / "settings.py"
    hashers = (
        "PASSWORD_HASHERS = [\n"
        '    "django.contrib.auth.hashers.Argon2PasswordHasher",\n'
        '    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n]\n'
    )
    settings.write_text(settings.read_text() + hashers)
    assert "argon2" in _kdf(repo).message
    settings.write_text(
        settings.read_text().replace("Argon2PasswordHasher", "UnsaltedMD5PasswordHasher")
    )
    assert _kdf(repo).status is Status.failed


def test_a_set_password_of_the_repo_own_is_not_taken_for_django(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DRF, repo)
    models = repo / "projects" / "models.py"
    models.write_text(
        models.read_text()
        + "\n\nclass Member(models.Model):\n    secret = models.CharField(max_length=64)\n\n"
        "    def set_password(self, raw):\n        self.secret = raw[::-1]\n"
    )
    assert _kdf(repo).status is Status.failed


def _expiry(repo: Path):
    run = run_static(repo, requirements={"auth.token-expiry"})
    return next(r for r in run.results if r.check == "auth.token-expiry.python-jwt")


def test_simplejwt_access_lifetime_is_read_from_its_settings(tmp_path: Path) -> None:
    result = _expiry(DRF)  # ACCESS_TOKEN_LIFETIME: timedelta(minutes=15)
    assert result.status is Status.passed
    assert "config/settings.py" in " ".join(e.message for e in result.evidence)
    repo = tmp_path / "repo"
    shutil.copytree(DRF, repo)
    settings = repo / "config" / "settings.py"
    text = settings.read_text()
    settings.write_text(text.replace("timedelta(minutes=15)", "timedelta(days=30)"))
    assert _expiry(repo).status is Status.failed
