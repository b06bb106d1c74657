"""Resource exhaustion, live through the real runner (installs and sandbox): an image resizer on
Pillow and an Express product catalogue with multer, each with a bounded twin. The unbounded apps
must fail the probe aimed at them; the twins must not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.scorecard import CheckResult
from tests.probes.conftest import APPS

pytestmark = [pytest.mark.live, pytest.mark.slow]


def _repo(tmp_path: Path, name: str) -> Path:
    repo = tmp_path / "repo"
    source = APPS / name
    if source.is_dir():
        shutil.copytree(source, repo)
    else:  # a single-file Flask app: it declares what it imports
        repo.mkdir()
        shutil.copy(source, repo / "app.py")
        (repo / "requirements.txt").write_text("flask>=3.0\npillow>=10.0\n")
    return repo


def _run(repo: Path) -> tuple[dict[str, CheckResult], bool]:
    runner = pytest.importorskip("harness.runner")
    profile = detect_app(repo)
    with runner.start_app(profile) as app:
        api = build_api_model(profile, app=app)
        run = run_probes(app, api, requirements={"robustness.resource-limits"})
        return {r.check: r for r in run.results}, app.alive()


def _said(r: CheckResult) -> str:
    return r.message + " | " + " | ".join(e.message for e in r.evidence[:8])


CASES = [
    (
        "image_resizer_app.py",
        {
            "decompression-bomb": ("fail", "expands to 64 Mpixel"),
            "size-param": ("fail", "width=1000000"),
            "upload-size": ("pass", "refused"),
        },
    ),
    (
        "image_resizer_safe_app.py",
        {"decompression-bomb": ("pass", "refused"), "size-param": ("pass", "refused")},
    ),
    (
        "express_catalog",
        {
            "regex-redos": ("fail", "stalled past the 2 s budget"),
            "upload-size": ("fail", "accepted a 16.5 MB upload"),
            "body-size": ("pass", "refused (413)"),
        },
    ),
    (
        "express_catalog_safe",
        {"regex-redos": ("pass", "answered within the budget"), "upload-size": ("pass", "413")},
    ),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[c[0] for c in CASES])
def test_resource_limits_in_the_sandbox(
    tmp_path: Path, name: str, expected: dict[str, tuple[str, str]]
) -> None:
    got, alive = _run(_repo(tmp_path, name))
    for check, (status, said) in expected.items():
        r = got[f"live.resource-limits.{check}"]
        assert r.status.value == status, f"{check}: {r.status.value}: {_said(r)}"
        assert said in _said(r), f"{check}: {_said(r)}"
    assert alive, "the probes must leave the app running"
