"""auth.required.password-bypass on real apps: a literal user name or master password that skips
the password check fails; a check that only narrows access (an admin must also know the
password, a banned user is refused) does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.scorecard._model import Status
from harness.static import run_static

ROOT = Path(__file__).resolve().parents[2]
OAUTH = ROOT / "tests" / "corpus" / "apps" / "fastapi-oauth2-todos"
EXPRESS = ROOT / "fixtures" / "apps" / "todo-express-good"
PY_CHECK = 'bcrypt.checkpw(form_data.password.encode(), row["hashed_password"].encode())'
JS_CHECK = "bcrypt.compare(password, hash)"


def _bypass(repo: Path):
    run = run_static(repo, requirements={"auth.required"})
    return next(r for r in run.results if r.check == "auth.required.password-bypass")


def _edit(src: Path, tmp: Path, rel: str, old: str, new: str) -> Path:
    repo = tmp / src.name
    shutil.copytree(src, repo, ignore=shutil.ignore_patterns("node_modules", "*.db"))
    path = repo / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new))
    return repo


def test_clean_apps_pass_with_their_verification_cited() -> None:
    for repo in (OAUTH, EXPRESS):
        result = _bypass(repo)
        assert result.status is Status.passed, result.message
        assert any("verification" in e.message for e in result.evidence)


@pytest.mark.parametrize(
    "new",
    [
        f'(form_data.username == "admin" or {PY_CHECK})',
        f'({PY_CHECK} or form_data.password == "letmein")',
    ],
)
def test_a_python_login_skipped_for_a_literal_fails(tmp_path: Path, new: str) -> None:
    repo = _edit(OAUTH, tmp_path, "main.py", PY_CHECK, new)
    result = _bypass(repo)
    assert result.status is Status.failed, result.message
    assert any(e.finding and e.finding.file == "main.py" for e in result.evidence)


def test_a_python_check_that_only_narrows_access_passes(tmp_path: Path) -> None:
    new = f'(row["username"] != "disabled" and {PY_CHECK})'
    assert _bypass(_edit(OAUTH, tmp_path, "main.py", PY_CHECK, new)).status is Status.passed


def test_an_express_master_password_fails(tmp_path: Path) -> None:
    new = f"{JS_CHECK}.then((ok) => ok || password === 'letmein')"
    repo = _edit(EXPRESS, tmp_path, "src/security.js", JS_CHECK, new)
    assert _bypass(repo).status is Status.failed


def test_a_sign_in_whose_verification_is_not_read_is_not_checkable(tmp_path: Path) -> None:
    """A login route that checks the password through a call this check does not know: a
    blind spot, never not_applicable."""
    repo = tmp_path / "app"
    repo.mkdir()
    (repo / "package.json").write_text('{"name": "a", "dependencies": {"express": "^4.21.2"}}')
    (repo / "server.js").write_text(
        "const express = require('express');\n"
        "const { scryptMatches } = require('./hashing');\n"
        "const app = express();\n"
        "app.use(express.json());\n"
        "app.post('/api/login', async (req, res) => {\n"
        "  if (!(await scryptMatches(req.body.password, req.body.email))) {\n"
        "    return res.status(401).json({ error: 'invalid' });\n"
        "  }\n"
        "  res.json({ token: 't' });\n"
        "});\n"
        "app.listen(process.env.PORT || 3000);\n"
    )
    result = _bypass(repo)
    assert result.status is Status.not_checkable, result.message
    assert "/api/login" in result.message
