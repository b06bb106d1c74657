"""SSRF and mass assignment, live, through the real local runner (bubblewrap sandbox where the
machine allows it): link-preview apps (Flask + requests, Express + fetch) and account apps
(FastAPI + SQLAlchemy, Express + SQLite), each a broken and a clean twin in fixtures/apps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness._paths import fixtures_dir
from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.runner import LaunchError, start_app
from harness.scorecard import CheckResult

pytestmark = [pytest.mark.live]
APPS = fixtures_dir() / "apps"
UNDECIDED = Path(__file__).parent / "apps" / "undecided"


def probe(app_name: str, requirement: str) -> tuple[CheckResult, object]:
    profile = detect_app(APPS / app_name)
    try:
        with start_app(profile) as app:
            if app.canary() is None:
                pytest.skip(f"{app.isolation}: no canary could be started for this run")
            # the runner found the app, not the canary that was listening before it
            assert app.canary().port != app.port
            api = build_api_model(profile, app=app)
            run = run_probes(app, api, requirements={requirement})
            (result,) = [r for r in run.results if r.requirement == requirement]
            return result, app.canary().hits()
    except LaunchError as exc:
        pytest.skip(f"{app_name} could not be installed or started here: {exc}")


@pytest.mark.parametrize("app_name", ["preview-flask-open", "preview-express-open"])
def test_a_url_fetched_as_sent_reaches_the_canary(app_name: str) -> None:
    result, hits = probe(app_name, "injection.ssrf")
    assert result.status.value == "fail", result.message
    hit_paths = {h["path"] for h in hits}
    shown = [e for e in result.evidence if e.data and "canary_hit" in e.data]
    assert shown, [e.message for e in result.evidence]
    for e in shown:
        # the hit was really recorded by the canary, and the exchange is the request that sent it
        assert e.data["canary_hit"]["path"] in hit_paths
        assert e.exchange is not None and e.data["canary_hit"]["path"] in (
            e.exchange.request_body or ""
        )
    forms = " ".join(e.message for e in shown)
    assert "127.0.0.1" in forms and "localhost" in forms, forms


@pytest.mark.parametrize("app_name", ["preview-flask-allowlist", "preview-express-allowlist"])
def test_an_allow_list_passes_with_a_public_control(app_name: str) -> None:
    result, hits = probe(app_name, "injection.ssrf")
    assert result.status.value == "pass", result.message
    assert not [h for h in hits if h["path"].startswith("/ssrf-")], hits
    messages = [e.message for e in result.evidence]
    assert any("control, a public URL, was not refused" in m for m in messages), messages
    assert any("loopback URLs refused (5 of 5" in m for m in messages), messages


@pytest.mark.parametrize(
    ("app_name", "shown", "also"),
    [
        ("profile-fastapi-open", "role='admin'", "the profile now shows role='admin'"),
        # listings are created with {ownerId: me, ...req.body}
        ("profile-express-open", "isAdmin=True", "it belongs to user B"),
    ],
)
def test_privileged_fields_that_take_effect_fail(app_name: str, shown: str, also: str) -> None:
    result, _ = probe(app_name, "data.mass-assignment")
    assert result.status.value == "fail", result.message
    messages = [e.message for e in result.evidence]
    assert any(m.startswith("registered with") and shown in m for m in messages), messages
    assert any(also in m for m in messages), messages
    # the admin route served to the self-made admin, refused to user A
    assert any("that user A is refused (403)" in m for m in messages), messages
    reads = [e for e in result.evidence if e.exchange is not None]
    assert all(e.exchange.status and e.exchange.status < 300 for e in reads), messages


@pytest.mark.parametrize("app_name", ["profile-fastapi-schema", "profile-express-picked"])
def test_ignored_privileged_fields_pass_after_a_working_control(app_name: str) -> None:
    result, _ = probe(app_name, "data.mass-assignment")
    assert result.status.value == "pass", result.message
    messages = [e.message for e in result.evidence]
    assert any("the control update of" in m and "read back changed" in m for m in messages)
    assert any("still refused" in m for m in messages), messages


def test_without_a_network_namespace_no_public_url_is_handed_over() -> None:
    """On the host network a public control would really be fetched: none is sent, so the
    allow-listed app's refusals decide nothing."""
    profile = detect_app(APPS / "preview-flask-allowlist")
    try:
        with start_app(profile, isolation="host-network") as app:
            api = build_api_model(profile, app=app)
            run = run_probes(app, api, requirements={"injection.ssrf"})
    except LaunchError as exc:
        pytest.skip(f"the app could not be started on the host network here: {exc}")
    (result,) = [r for r in run.results if r.requirement == "injection.ssrf"]
    assert result.status.value == "not_checkable", result.message
    assert "no public control URL was sent" in result.message
    sent = [e.exchange.request_body or "" for e in result.evidence if e.exchange is not None]
    assert not [b for b in sent if "example." in b], sent


def _repo_of(script: str, tmp_path: Path) -> Path:
    """A one-file Flask repo from tests/probes/apps/undecided (same dependencies as the
    Flask link-preview twins, so the install is shared)."""
    repo = tmp_path / Path(script).stem
    repo.mkdir()
    shutil.copy(UNDECIDED / script, repo / "app.py")
    shutil.copy(APPS / "preview-flask-open" / "requirements.txt", repo / "requirements.txt")
    return repo


def _probe_repo(repo: Path, requirement: str) -> CheckResult:
    profile = detect_app(repo)
    try:
        with start_app(profile) as app:
            api = build_api_model(profile, app=app)
            run = run_probes(app, api, requirements={requirement})
    except LaunchError as exc:
        pytest.skip(f"{repo.name} could not be installed or started here: {exc}")
    (result,) = [r for r in run.results if r.requirement == requirement]
    return result


def test_a_url_stored_for_later_decides_nothing(tmp_path: Path) -> None:
    result = _probe_repo(_repo_of("webhook_app.py", tmp_path), "injection.ssrf")
    assert result.status.value == "not_checkable", result.message
    assert "callback_url" in result.message and "no request reached the canary" in result.message


def test_accounts_with_nothing_to_read_back_are_not_checkable(tmp_path: Path) -> None:
    result = _probe_repo(_repo_of("accounts_token_only_app.py", tmp_path), "data.mass-assignment")
    assert result.status.value == "not_checkable", result.message
    assert "nothing could be read back" in result.message
