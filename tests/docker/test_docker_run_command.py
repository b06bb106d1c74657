"""DockerApp.run_command and the repo's own suite, against the real engine."""

from __future__ import annotations

import time

import pytest
from engine_state import profile

from harness._paths import fixtures_dir
from harness.apimodel import build_api_model
from harness.app import detect_app
from harness.probes import run_probes
from harness.runner._docker import start_docker_app

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.usefixtures("no_leftovers")]

SHOW = (
    "import os, sys; print(os.getcwd()); print(os.getuid()); print(os.environ['PORT']); "
    "print(os.environ.get('EXTRA', '-')); sys.exit(3)"
)
LEFT = (
    "import os\n"
    "found = []\n"
    "for p in os.listdir('/proc'):\n"
    "    if p.isdigit():\n"
    "        try:\n"
    "            found.append(open(f'/proc/{p}/cmdline', 'rb').read())\n"
    "        except OSError:\n"
    "            pass\n"
    "print(sum(c.startswith(b'sleep\\x00') for c in found))\n"
)


def test_commands_run_in_the_container_as_the_app_user_and_die_at_the_deadline() -> None:
    prof = profile(
        "flask_todo",
        language="python",
        framework="flask",
        entrypoint="app.py",
        dependency_files=["requirements.txt"],
    )
    with start_docker_app(prof, startup_timeout=90) as app:
        res = app.run_command(["python", "-c", SHOW], env={"EXTRA": "given"})
        assert res.exit_code == 3 and not res.timed_out
        cwd, uid, port, extra = res.output.splitlines()[-4:]
        assert (cwd, uid, extra) == ("/app", "10001", "given")
        # the command shares the container's loopback, where the app listens on its PORT
        url = f"http://127.0.0.1:{port}/health"
        ping = app.run_command(
            ["python", "-c", f"import urllib.request as u; print(u.urlopen({url!r}).status)"]
        )
        assert (ping.exit_code, ping.output) == (0, "200"), ping.output
        t0 = time.monotonic()
        slow = app.run_command(["sh", "-c", "sleep 300 & sleep 301; echo never"], timeout=2)
        assert slow.timed_out and slow.exit_code is None
        assert time.monotonic() - t0 < 20
        assert "never" not in slow.output
        left = app.run_command(["python", "-c", LEFT])
        assert left.output == "0", "the timed-out command left processes in the container"
        assert app.alive()


def test_the_fastapi_fixture_suite_passes_in_its_container() -> None:
    repo = fixtures_dir() / "apps" / "todo-fastapi-good"
    prof = detect_app(repo)
    with start_docker_app(prof, startup_timeout=120) as app:
        api = build_api_model(prof, task_dir=fixtures_dir() / "tasks" / "todo-api", app=app)
        run = run_probes(app, api, requirements={"tests.present"})
    (result,) = [r for r in run.results if r.check == "live.tests-present"]
    assert result.status.value == "pass", (result.message, result.evidence)
    data = next(e.data for e in result.evidence if e.data and "exit_code" in e.data)
    assert data["counts"] == {"passed": 19, "tests": 19}
