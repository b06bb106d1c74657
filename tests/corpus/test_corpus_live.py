"""Generated-style backends nobody wrote for this harness's fixtures (single app.py / app.js, no
dependency manifest, hardcoded ports, BaxBench-like routes), started through the real runner and
probed without a task contract: the live verdicts must be the ones each expected.yaml states, and
no requirement may come out `error` on an app that starts and answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.runner import LaunchError, start_app

pytestmark = [pytest.mark.live, pytest.mark.slow]

HERE = Path(__file__).parent / "apps"
APPS = sorted(p.parent for p in HERE.glob("*/expected.yaml"))
# requirements whose live side every app is probed for, beyond those it lists
ALSO = {"auth.required", "data.no-sensitive-fields", "output.xss-encoding"}


def aggregate(statuses: list[str]) -> str:
    for s in ("fail", "error", "pass", "not_checkable"):
        if s in statuses:
            return s
    return "not_applicable"


@pytest.mark.parametrize("repo", APPS, ids=[p.name for p in APPS])
def test_corpus_app_live_verdicts(repo: Path) -> None:
    expected = (yaml.safe_load((repo / "expected.yaml").read_text()) or {}).get("live") or {}
    assert expected, f"{repo.name}/expected.yaml lists no live verdicts"
    profile = detect_app(repo)
    try:
        started = start_app(profile)
        app = started.__enter__()
    except LaunchError as exc:
        pytest.fail(f"{repo.name} could not be started: {exc}\n--- log tail ---\n{exc.log_tail}")
    try:
        api = build_api_model(profile, app=app)
        run = run_probes(app, api, requirements=set(expected) | ALSO)
    finally:
        started.__exit__(None, None, None)
    by: dict[str, list] = {}
    for r in run.results:
        by.setdefault(r.requirement, []).append(r)
    wrong = {}
    for req, want in expected.items():
        got = aggregate([r.status.value for r in by.get(req, [])])
        if got != want:
            wrong[req] = (got, want, [r.message for r in by.get(req, [])])
    errors = {r.requirement: r.message for r in run.results if r.status.value == "error"}
    report = "\n".join(f"{k}: got {g}, expected {w}: {m}" for k, (g, w, m) in wrong.items())
    assert not wrong, report + "\n--- api notes ---\n" + "\n".join(api.notes)
    assert not errors, f"error verdicts on a running app: {errors}\n" + "\n".join(api.notes)
