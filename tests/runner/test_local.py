"""The local runner with real processes: starts, isolation, readiness failures and teardown."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner import LaunchError, start_app
from harness.runner._jail import bwrap_support
from harness.runner._sandbox import netns_support
from tests.runner.conftest import APPS, leftovers, wait_no_leftovers

pytestmark = pytest.mark.live
NETNS, NETNS_WHY = netns_support()
JAIL, _ = bwrap_support()
ISOLATED = "sandbox" if JAIL else "netns"  # what "auto" gives as root
needs_netns = pytest.mark.skipif(not NETNS, reason=f"no private network namespace: {NETNS_WHY}")


def _skip_unless(isolation: str) -> None:
    if isolation == "netns" and not NETNS:
        pytest.skip(f"no private network namespace: {NETNS_WHY}")
    if isolation == "sandbox" and not JAIL:
        pytest.skip("no bubblewrap sandbox here")


ROOT = Path(__file__).resolve().parents[2]


def get(app, path: str, method: str = "GET", **kw):
    async def go():
        async with app.client() as c:
            return await c.request(method, path, **kw)

    return asyncio.run(go())


@needs_netns
def test_flask_with_hardcoded_port_runs_in_its_own_namespace(tag: str) -> None:
    profile = detect_app(APPS / "flask_port5000")
    assert profile.hardcoded_port == 5000
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        assert app.isolation == ISOLATED and app.runner == "local"
        assert app.base_url == "http://127.0.0.1:5000"
        r = get(app, "/api/notes")
        assert r.status_code == 200 and r.json()["tag"] == tag
        # the curl line the scorecard prints really reaches the app
        out = subprocess.run(
            [*app.curl_prefix.split(), "-s", f"{app.base_url}/health"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
        assert json.loads(out) == {"status": "ok"}
        # init_db() under __main__ ran: the entry script was started, not `flask run`
        assert [p.name for p in app.db_files()] == ["notes.db"]
        assert app.alive()
        assert "Running on" in app.logs()
        tmp = app.workdir.parent
    assert not tmp.exists()
    assert wait_no_leftovers(tag, str(tmp)) == []


@needs_netns
def test_two_apps_hardcoding_the_same_port_run_at_once(tag: str) -> None:
    profile = detect_app(APPS / "flask_port5000")
    with (
        start_app(profile, env={"TEST_TAG": tag + "a"}) as one,
        start_app(profile, env={"TEST_TAG": tag + "b"}) as two,
    ):
        assert one.base_url == two.base_url == "http://127.0.0.1:5000"
        a, b = get(one, "/api/notes").json(), get(two, "/api/notes").json()
        assert (a["tag"], b["tag"]) == (tag + "a", tag + "b")
    assert wait_no_leftovers(tag + "a") == [] and wait_no_leftovers(tag + "b") == []


@needs_netns
def test_the_app_cannot_reach_out(tag: str, tmp_path: Path) -> None:
    """Inside the namespace only loopback exists: any address but 127.0.0.0/8 is unreachable."""
    app_dir = tmp_path / "probe"
    app_dir.mkdir()
    (app_dir / "app.py").write_text(
        "import http.server, os, socket\n"
        "def reach():\n"
        "    s = socket.socket(); s.settimeout(1)\n"
        "    try:\n"
        "        s.connect(('10.255.255.1', 9)); return 'connected'\n"
        "    except OSError as e:\n"
        "        return type(e).__name__ + ':' + str(e.errno)\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        b = reach().encode(); self.send_response(200); self.end_headers()\n"
        "        self.wfile.write(b)\n"
        "if __name__ == '__main__':\n"
        "    http.server.HTTPServer(('0.0.0.0', int(os.environ['PORT'])), H).serve_forever()\n"
    )
    with start_app(detect_app(app_dir), env={"TEST_TAG": tag}) as app:
        body = get(app, "/").text
    # ENETUNREACH (101): there is no route, the packet never leaves
    assert body == "OSError:101", body


def test_host_network_fallback_uses_a_free_port(tag: str) -> None:
    profile = detect_app(APPS / "stdlib_stubborn")
    with start_app(profile, env={"TEST_TAG": tag}, isolation="host-network") as app:
        assert app.isolation == "host-network" and app.curl_prefix == "curl"
        port = int(app.base_url.rsplit(":", 1)[1])
        assert port not in (8080, 5000)
        assert get(app, "/").text.startswith("pid ")
        tmp = app.workdir.parent
    assert wait_no_leftovers(tag, str(tmp)) == []


def test_host_network_hardcoded_port_in_use_is_a_clear_error(tag: str) -> None:
    profile = detect_app(APPS / "flask_port5000")
    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", 5000))
        blocker.listen(1)
    except OSError:
        pass  # something else holds 5000 already: the error must come all the same
    try:
        with (
            pytest.raises(LaunchError, match=r"port 5000 is in use by another process"),
            start_app(profile, env={"TEST_TAG": tag}, isolation="host-network"),
        ):
            pass
    finally:
        blocker.close()
    assert wait_no_leftovers(tag) == []


@pytest.mark.parametrize("isolation", ["sandbox", "netns", "host-network"])
def test_teardown_kills_an_app_that_ignores_sigterm_and_forks(tag: str, isolation: str) -> None:
    _skip_unless(isolation)
    profile = detect_app(APPS / "stdlib_stubborn")
    with start_app(profile, env={"TEST_TAG": tag}, isolation=isolation) as app:
        assert len(leftovers(tag)) >= 2  # the server and its setsid() grandchild
        report = app.stop_gracefully(timeout=1.5)
        assert report["exited"] is False and "killed" in report["note"]
        assert not app.alive()
        tmp = app.workdir.parent
    assert wait_no_leftovers(tag, str(tmp)) == []


def test_graceful_stop_of_a_well_behaved_app(tag: str) -> None:
    profile = detect_app(APPS / "fastapi_mini")
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        # requirements.txt lists fastapi only: the server is added, and reported as inferred
        assert app.inferred_dependencies == ["uvicorn"]
        assert "added to serve the app: uvicorn" in app.notes
        assert get(app, "/api/items/").json() == []
        assert get(app, "/api/items/7").json() == {"id": 7}
        report = app.stop_gracefully(timeout=10)
        assert report["exited"] is True and report["seconds"] < 10
        assert not app.alive()
    assert wait_no_leftovers(tag) == []


def test_crash_on_start_is_a_launch_error_with_the_traceback(tag: str) -> None:
    with (
        pytest.raises(LaunchError) as err,
        start_app(detect_app(APPS / "stdlib_crash"), env={"TEST_TAG": tag}, startup_timeout=30),
    ):
        pass
    assert "exited with status 1" in str(err.value)
    assert "RuntimeError: SETTINGS_MODULE is not configured" in err.value.log_tail
    assert wait_no_leftovers(tag) == []


def test_app_that_never_opens_a_port_times_out(tag: str) -> None:
    with (
        pytest.raises(LaunchError, match="never opened a TCP port") as err,
        start_app(detect_app(APPS / "stdlib_silent"), env={"TEST_TAG": tag}, startup_timeout=3),
    ):
        pass
    assert "warming up forever" in err.value.log_tail
    assert wait_no_leftovers(tag) == []


def test_an_exception_in_the_body_still_tears_down(tag: str) -> None:
    with (
        pytest.raises(ZeroDivisionError),
        start_app(detect_app(APPS / "stdlib_stubborn"), env={"TEST_TAG": tag}) as app,
    ):
        tmp = app.workdir.parent
        _ = 1 / 0
    assert not tmp.exists()
    assert wait_no_leftovers(tag, str(tmp)) == []


def _hold(app_dir: Path, tag: str, isolation: str) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("hold_app.py")),
            str(app_dir),
            tag,
            isolation,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("READY "):
        proc.kill()
        raise AssertionError(f"holder did not start: {line!r} {proc.stderr.read()[-2000:]}")
    return proc, json.loads(line[6:])


@pytest.mark.parametrize(
    ("sig", "isolation"),
    [
        (signal.SIGINT, "auto"),
        (signal.SIGINT, "host-network"),
        (signal.SIGTERM, "auto"),
        (signal.SIGKILL, "netns"),  # no cleanup code runs: the kernel must do it
        (signal.SIGKILL, "sandbox"),
    ],
)
def test_interrupting_the_harness_leaves_nothing(tag: str, sig: int, isolation: str) -> None:
    _skip_unless(isolation)
    proc, info = _hold(APPS / "stdlib_stubborn", tag, isolation)
    try:
        assert leftovers(tag)
        proc.send_signal(sig)
        proc.wait(timeout=30)
        assert wait_no_leftovers(tag, info["workdir"], timeout=10) == []
        if sig != signal.SIGKILL:
            assert not Path(info["workdir"]).exists()
        else:  # nothing ran to remove it; the next start sweeps it (the owner pid is gone)
            stale = Path(info["workdir"]).parent
            assert stale.exists()
            with start_app(detect_app(APPS / "stdlib_stubborn"), env={"TEST_TAG": tag + "x"}):
                assert not stale.exists()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_express_app_with_package_json_runs_as_in_production(tag: str) -> None:
    profile = detect_app(APPS / "express_pkg")
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        assert get(app, "/health").json() == {"ok": True, "env": "production"}
        assert get(app, "/api/v1/todos").json() == []
        assert get(app, "/api/v1/todos/5").json() == {"id": "5"}
        boom = get(app, "/boom")
        # NODE_ENV=production: Express's default handler hides the stack trace
        assert boom.status_code == 500 and "secret stack" not in boom.text
    assert wait_no_leftovers(tag) == []


def test_bare_express_file_without_package_json(tag: str) -> None:
    profile = detect_app(APPS / "express_bare")
    assert profile.inferred_dependencies == ["express"] and profile.hardcoded_port == 3000
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        assert app.inferred_dependencies == ["express"]
        assert app.base_url.endswith(":3000") or app.isolation == "host-network"
        created = get(app, "/todos", "POST", json={"title": "write tests"})
        assert created.status_code == 201
        assert get(app, "/todos/1").json() == {"id": 1, "title": "write tests"}
    assert wait_no_leftovers(tag) == []


@pytest.mark.slow
def test_native_node_modules_are_built_from_source(tag: str) -> None:
    """better-sqlite3, sqlite3 and bcrypt cannot download prebuilt binaries here: the runner
    builds them against the local Node headers (slow the first time, cached after)."""
    profile = detect_app(APPS / "express_native")
    with start_app(profile, env={"TEST_TAG": tag}, startup_timeout=60) as app:
        r = get(app, "/register", "POST", json={"email": "a@example.com", "password": "pw"})
        assert r.status_code == 201 and r.json()["scheme"] == "$2b$"
        assert get(app, "/sqlite3").json() == {"answer": 42}
        assert app.database_path in app.db_files()
        assert not any("could not be built" in n for n in app.notes), app.notes
    assert wait_no_leftovers(tag) == []


def test_django_app_is_migrated_then_served(tag: str) -> None:
    profile = detect_app(APPS / "django_mini")
    assert profile.framework == "django" and profile.entrypoint == "manage.py"
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        # the users table exists: manage.py migrate ran before runserver
        assert get(app, "/api/users/").json() == {"users": 0}
        assert app.database_path in app.db_files()
        assert "migrate" in app.logs()
    assert wait_no_leftovers(tag) == []


def test_a_pin_that_cannot_install_falls_back_to_the_unpinned_name(tag: str) -> None:
    profile = detect_app(APPS / "flask_badpin")
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        assert "'Flask==0.0.0' failed to install; installed 'Flask' unpinned instead" in app.notes
        assert get(app, "/").json() == {"hello": "world"}


def test_auto_isolation_falls_back_to_the_host_network(
    tag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harness.runner import _jail, _sandbox

    monkeypatch.setattr(_sandbox, "netns_support", lambda: (False, "unshare(1) not found"))
    monkeypatch.setattr(_jail, "bwrap_support", lambda: (False, "bwrap is not installed"))
    with start_app(detect_app(APPS / "stdlib_stubborn"), env={"TEST_TAG": tag}) as app:
        assert app.isolation == "host-network"
        assert any("unshare(1) not found" in n for n in app.notes)
        assert get(app, "/").status_code == 200
    with (
        pytest.raises(LaunchError, match="namespace was asked for but unshare"),
        start_app(detect_app(APPS / "stdlib_stubborn"), isolation="netns"),
    ):
        pass
    assert wait_no_leftovers(tag) == []
