"""A hostile app that serves host secrets in every response, scored end to end by the CLI:
no report of the run may carry the secret."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_apps import needs_root, render

pytestmark = [pytest.mark.live, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
FORMATS = "json,md,html,sarif,junit"
REPORTS = {"scorecard.json", "scorecard.md", "scorecard.html", "scorecard.sarif", "junit.xml"}


@needs_root
@pytest.mark.parametrize("app_name", ["flask_read_secrets", "express_read_secrets"])
def test_host_secrets_never_reach_a_report(
    app_name: str,
    runner: str,
    token: str,
    cache_dir: Path,
    tmp_path: Path,
    nothing_left_behind: list[int],
) -> None:
    secret = f"host-secret-{secrets.token_hex(16)}"
    planted = [Path(f"/root/.hostile-secret-{token}"), cache_dir / f"hostile-secret-{token}"]
    for path in planted:
        path.write_text(secret + "\n")
        path.chmod(0o600)
    app_dir = render(
        app_name, tmp_path, token=token, root_secret=str(planted[0]), cache_secret=str(planted[1])
    )
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "harness", "score", str(app_dir), "--agent", "backend"]
    argv += ["--runner", runner, "--out", str(out), "--format", FORMATS, "-q"]
    env = {**os.environ, "HARNESS_CACHE_DIR": str(cache_dir)}
    try:
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        nothing_left_behind.append(proc.pid)  # its temp folders are this test's
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        for path in planted:
            path.unlink(missing_ok=True)
    assert proc.returncode in (0, 1), stdout[-2000:] + stderr[-2000:]  # scored, gate or not
    texts = {p.name: p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()}
    assert set(texts) >= REPORTS, sorted(texts)
    # responses of the app made it into the reports (its wrapper adds the reversed token at
    # run time): the reports do carry what the app served, so the secret could have been there
    instance = token[::-1]
    assert any(instance in text for text in texts.values()), "no response reached a report"
    leaked = sorted(name for name, text in texts.items() if secret in text)
    assert leaked == [], f"a host secret is in the reports: {leaked}"
