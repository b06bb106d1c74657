"""The link-preview and account twins in fixtures/apps, statically: the broken twin fails the
promise it breaks at the line that breaks it, the clean twin passes (real semgrep runs)."""

from __future__ import annotations

import pytest

from harness._paths import fixtures_dir
from harness.app import detect_app
from harness.static import run_static

APPS = fixtures_dir() / "apps"
CASES = [
    # app, requirement, verdict, (file, line) of a finding for a fail
    ("preview-flask-open", "injection.ssrf", "fail", ("app.py", 48)),
    ("preview-flask-allowlist", "injection.ssrf", "pass", None),
    ("preview-express-open", "injection.ssrf", "fail", ("server.js", 25)),
    ("preview-express-allowlist", "injection.ssrf", "pass", None),
    ("profile-fastapi-open", "data.mass-assignment", "fail", ("main.py", 100)),
    ("profile-fastapi-schema", "data.mass-assignment", "pass", None),
    ("profile-express-open", "data.mass-assignment", "fail", ("server.js", 81)),
    ("profile-express-picked", "data.mass-assignment", "pass", None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("app", "requirement", "verdict", "at"), CASES, ids=[c[0] for c in CASES])
def test_static_verdict(app: str, requirement: str, verdict: str, at: tuple | None) -> None:
    repo = APPS / app
    run = run_static(repo, detect_app(repo), requirements={requirement})
    results = [r for r in run.results if r.requirement == requirement]
    assert results, f"no static check ran for {requirement}"
    statuses = {r.status.value for r in results}
    got = "fail" if "fail" in statuses else "pass" if "pass" in statuses else sorted(statuses)
    assert got == verdict, [(r.status.value, r.message) for r in results]
    if at is not None:
        found = {(e.finding.file, e.finding.line) for r in results for e in r.evidence if e.finding}
        assert at in found, found
