"""RunningApp.run_command on the local runner: real commands beside a real started app."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner import LaunchError, start_app
from harness.runner._jail import bwrap_support
from harness.runner._sandbox import netns_support
from tests.runner.conftest import leftovers, wait_no_leftovers

pytestmark = pytest.mark.live
NETNS, NETNS_WHY = netns_support()
JAIL, JAIL_WHY = bwrap_support()
needs_netns = pytest.mark.skipif(not NETNS, reason=f"no private network namespace: {NETNS_WHY}")
needs_jail = pytest.mark.skipif(not JAIL, reason=f"no bubblewrap sandbox: {JAIL_WHY}")


def _skip_unless(isolation: str) -> None:
    if isolation == "netns" and not NETNS:
        pytest.skip(f"no private network namespace: {NETNS_WHY}")
    if isolation == "sandbox" and not JAIL:
        pytest.skip(f"no bubblewrap sandbox: {JAIL_WHY}")


APP = Path(__file__).resolve().parents[1] / "probes" / "suite_apps" / "py_suite_fails"

SHOW = (
    "import os, sys; print(os.getcwd()); print(sys.prefix); print(os.environ['PORT']); "
    "print(os.environ.get('EXTRA', '-')); sys.exit(3)"
)


@pytest.mark.parametrize("isolation", ["sandbox", "netns", "host-network"])
def test_a_command_runs_in_the_apps_copy_venv_and_environment(tag: str, isolation: str) -> None:
    _skip_unless(isolation)
    with start_app(detect_app(APP), env={"TEST_TAG": tag}, isolation=isolation) as app:
        assert app.isolation == isolation
        res = app.run_command(["python", "-c", SHOW], env={"EXTRA": "given"})
        assert res.exit_code == 3 and not res.timed_out
        cwd, prefix, port, extra = res.output.splitlines()[-4:]
        assert Path(cwd) == app.workdir
        assert "venvs" in Path(prefix).parts  # the app's cached virtualenv, not the harness's
        assert port == app.base_url.rsplit(":", 1)[1]
        assert extra == "given"
        assert res.argv == ["python", "-c", SHOW]
        # the app is untouched by the command
        assert app.alive()


@pytest.mark.parametrize("isolation", ["sandbox", "netns", "host-network"])
def test_the_deadline_kills_the_whole_tree(tag: str, isolation: str) -> None:
    _skip_unless(isolation)
    with start_app(detect_app(APP), env={"TEST_TAG": tag}, isolation=isolation) as app:
        t0 = time.monotonic()
        res = app.run_command(
            ["sh", "-c", "sleep 317 & setsid sleep 318 & sleep 319; echo never"], timeout=1.5
        )
        took = time.monotonic() - t0
        assert res.timed_out and res.exit_code is None
        assert 1.4 <= took < 15, took
        assert "never" not in res.output
        # a command that finished but left a detached child behind: the child goes too
        done = app.run_command(["sh", "-c", "setsid sleep 316 > /dev/null 2>&1 & echo ok"])
        assert (done.exit_code, done.output, done.timed_out) == (0, "ok", False)
        assert wait_no_leftovers("-", "sleep 316", "sleep 317", "sleep 318", "sleep 319") == []
        assert app.alive()  # only the command's tree was killed
    assert wait_no_leftovers(tag) == []


@needs_jail
def test_a_command_shares_the_apps_loopback_only_network(tag: str) -> None:
    code = (
        "import socket, urllib.request, sys\n"
        "print(sorted(n for _, n in socket.if_nameindex()))\n"
        "print(urllib.request.urlopen(sys.argv[1], timeout=5).status)\n"
        # no route at all: nothing can leave the namespace (read, not tried: no traffic sent)
        "print(len(open('/proc/net/route').read().splitlines()) - 1)\n"
    )
    with start_app(detect_app(APP), env={"TEST_TAG": tag}) as app:
        assert app.isolation == "sandbox"
        # the app's own address inside the namespace; from the host it is only the unix socket
        res = app.run_command(["python", "-c", code, app.base_url + "/health"])
        assert res.exit_code == 0, res.output
        names, status, routes = res.output.splitlines()[-3:]
        assert names == "['lo']"
        assert status == "200"
        assert routes == "0"


def test_a_program_that_does_not_exist_is_exit_127(tag: str) -> None:
    with start_app(detect_app(APP), env={"TEST_TAG": tag}) as app:
        res = app.run_command(["no-such-program-here", "--version"])
    assert res.exit_code == 127 and not res.timed_out
    assert "no-such-program-here" in res.output


def test_no_commands_after_the_app_is_gone(tag: str) -> None:
    with start_app(detect_app(APP), env={"TEST_TAG": tag}) as app:
        pass
    with pytest.raises(LaunchError, match="not running"):
        app.run_command(["true"])
    assert leftovers(tag) == []
