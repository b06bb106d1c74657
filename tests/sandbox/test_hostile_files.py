"""Hostile apps against the filesystem: writes outside the app's folder, reads of host secrets,
other scored repos, install scripts, and the dependency cache. Judged from the host."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from host_meter import tree_listing
from hostile_apps import OutsideTargets, http, needs_root, render, running

from harness.runner import LaunchError

pytestmark = [pytest.mark.live, pytest.mark.slow]


@pytest.mark.parametrize("app_name", ["flask_write_outside", "express_write_outside"])
def test_writes_outside_the_app_folder_land_nowhere(
    app_name: str, runner: str, token: str, cache_dir: Path, tmp_path: Path
) -> None:
    targets = OutsideTargets.for_token(token, cache_dir, "write")
    app_dir = render(app_name, tmp_path, token=token, **targets.placeholders())
    try:
        with running(app_dir, runner, token) as app, http(app) as client:
            created = client.post("/api/notes", json={"text": "hello"})
            audit = client.get("/api/audit")
        leaked = targets.existing()
    finally:
        targets.remove()
    # the write paths ran (at startup and on these requests): the check below is not idle
    assert created.status_code == 201, created.text
    assert audit.status_code == 200, audit.text
    assert leaked == [], f"the app wrote outside its sandbox: {leaked}; it said {audit.json()}"


def _shadow_root_line() -> str:
    for line in Path("/etc/shadow").read_text().splitlines():
        if line.startswith("root:"):
            return line
    return "root:"


@needs_root
@pytest.mark.parametrize("app_name", ["flask_read_secrets", "express_read_secrets"])
def test_host_secrets_never_reach_a_response(
    app_name: str, runner: str, token: str, cache_dir: Path, tmp_path: Path
) -> None:
    secret = f"host-secret-{secrets.token_hex(16)}"
    planted = [Path(f"/root/.hostile-secret-{token}"), cache_dir / f"hostile-secret-{token}"]
    for path in planted:
        path.write_text(secret + "\n")
        path.chmod(0o600)
    shadow = _shadow_root_line()
    app_dir = render(
        app_name,
        tmp_path,
        token=token,
        root_secret=str(planted[0]),
        cache_secret=str(planted[1]),
    )
    creds = {"username": "alice", "password": "correct horse battery"}
    try:
        with running(app_dir, runner, token) as app, http(app) as client:
            responses = [
                client.get("/health"),
                client.post("/api/register", json=creds),
                client.post("/api/login", json=creds),
                client.get("/api/notes"),
                client.get("/no/such/route"),
            ]
    finally:
        for path in planted:
            path.unlink(missing_ok=True)
    instance = token[::-1]  # the app's response wrapper adds it: proves the wrapper ran
    assert all(instance in r.text for r in responses), [r.text[:200] for r in responses]
    for r in responses:
        seen = r.text + "\n" + "\n".join(f"{k}: {v}" for k, v in r.headers.items())
        where = f"{r.request.method} {r.request.url.path}"
        # the message names the leak, never the served text (it may hold /etc/shadow)
        assert secret not in seen, f"a host secret was served in {where}"
        assert shadow not in seen, f"the host's /etc/shadow was served in {where}"


def test_other_scored_repos_are_out_of_reach(runner: str, token: str, tmp_path: Path) -> None:
    other_token = secrets.token_hex(8)
    benign = render("flask_notes", tmp_path / "a", token=other_token)
    snoop = render("flask_repo_snoop", tmp_path / "b", token=token)
    with running(benign, runner, token) as a, http(a) as client_a:
        assert other_token in client_a.get("/").text  # the other repo runs, token in its code
        with running(snoop, runner, token) as b, http(b, timeout=60) as client_b:
            found = client_b.get("/api/search")
    assert found.status_code == 200, found.text[:500]
    # its own code is in reach: the scan works, so not finding the other repo means something
    assert token in found.text
    leaked = [path for path, text in found.json().items() if other_token in text]
    assert leaked == [], f"the app read another scored repo: {leaked}"


@pytest.mark.parametrize(
    "app_name", ["flask_evil_install", "flask_evil_install_url", "express_evil_install"]
)
def test_install_scripts_write_nowhere(
    app_name: str, runner: str, token: str, cache_dir: Path, tmp_path: Path
) -> None:
    targets = OutsideTargets.for_token(token, cache_dir, "install")
    app_dir = render(app_name, tmp_path, token=token, **targets.placeholders())
    outcome = "not started"
    try:
        try:
            with running(app_dir, runner, token) as app, http(app) as client:
                outcome = f"started, /health {client.get('/health').status_code}"
        except LaunchError as exc:  # refusing to install is a contained outcome too
            outcome = f"refused: {exc}"
        leaked = targets.existing()
    finally:
        targets.remove()
    assert leaked == [], f"an install script wrote outside the sandbox: {leaked} ({outcome})"


@pytest.mark.parametrize(
    ("app_name", "twin"),
    [("flask_cache_poison", "flask_notes"), ("express_cache_poison", "express_notes")],
)
def test_dependency_cache_is_unchanged_by_the_app(
    app_name: str, twin: str, runner: str, token: str, cache_dir: Path, tmp_path: Path
) -> None:
    # a benign twin with the same dependency files fills the cache entry first, so the
    # hostile app's startup writes are measured too
    warm = render(twin, tmp_path / "twin", token=token)
    with running(warm, runner, token) as app, http(app) as client:
        assert client.get("/health").status_code == 200
    before = tree_listing(cache_dir)
    app_dir = render(app_name, tmp_path / "hostile", token=token)
    with running(app_dir, runner, token) as app, http(app) as client:
        report = client.post("/api/plugins/reload").json()
    after = tree_listing(cache_dir)
    assert before, "the cache is empty: the twin did not install anything"
    changed = {
        k: (before.get(k), after.get(k))
        for k in sorted(before.keys() | after.keys())
        if before.get(k) != after.get(k)
    }
    assert changed == {}, f"the app changed the dependency cache: {changed}; it said {report}"
