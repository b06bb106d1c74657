"""The bubblewrap sandbox of the local runner, seen from inside the app and from the host."""

from __future__ import annotations

import contextlib
import json
import textwrap
from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner import LaunchError, start_app
from harness.runner._cgroup import Cgroup
from harness.runner._jail import bwrap_support, is_root
from harness.runner._limits import ResourceLimits
from tests.runner.conftest import APPS, wait_no_leftovers

pytestmark = pytest.mark.live
JAIL, JAIL_WHY = bwrap_support()
needs_jail = pytest.mark.skipif(not JAIL, reason=f"no bubblewrap sandbox here: {JAIL_WHY}")
needs_root = pytest.mark.skipif(not is_root(), reason="the uid, cgroup and tmpfs need root")

# What the app itself can see and do, printed as JSON by a command run in its sandbox.
LOOK = textwrap.dedent(
    """
    import json, os
    def can_write(path):
        try:
            with open(path, "w") as fh:
                fh.write("x")
            os.unlink(path)
            return True
        except OSError:
            return False
    status = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
    print(json.dumps({
        "uid": os.getuid(),
        "cap_eff": status["CapEff"].strip(),
        "no_new_privs": status["NoNewPrivs"].strip(),
        "root_visible": os.path.exists("/root/.bashrc") or os.path.exists("/root/.profile"),
        "home_exists": os.path.isdir("/home") and bool(os.listdir("/home")),
        "docker_sock": os.path.exists("/var/run/docker.sock"),
        "shadow": os.path.exists("/etc/shadow"),
        "own_copy": can_write("x.txt"),
        "tmp": can_write("/tmp/x.txt"),
        "venv": can_write(os.path.join(os.environ["VIRTUAL_ENV"], "x.txt")),
        "tmp_mounts": sorted(l.split()[4] for l in open("/proc/self/mountinfo")
                             if l.split()[4] in ("/tmp", "/dev/shm")),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    }))
    """
)


@needs_jail
@needs_root
def test_the_app_runs_unprivileged_in_a_read_only_view_of_the_host(tag: str) -> None:
    with start_app(detect_app(APPS / "fastapi_mini"), env={"TEST_TAG": tag}) as app:
        res = app.run_command(["python", "-c", LOOK])
        assert res.exit_code == 0, res.output
        seen = json.loads(res.output.splitlines()[-1])
        record = app.sandbox
    assert seen["uid"] >= 1_000_000 and seen["cap_eff"] == "0000000000000000"
    assert seen["no_new_privs"] == "1"
    assert not seen["root_visible"] and not seen["home_exists"]
    assert not seen["docker_sock"] and not seen["shadow"]
    assert seen["own_copy"] and seen["tmp"]  # its own folders and a private /tmp are writable
    assert not seen["venv"]  # its dependencies are read-only
    assert seen["tmp_mounts"] == ["/dev/shm", "/tmp"]
    assert max(seen["pids"]) < 100  # its own PID namespace: only its own processes
    assert record.missing == []
    assert record.user.startswith(f"uid {seen['uid']} ")
    assert "cgroup" in record.limits["memory"] and "tmpfs" in record.limits["disk"]
    assert wait_no_leftovers(tag) == []


@needs_jail
@needs_root
def test_a_link_the_app_plants_does_not_lead_the_harness_outside(tag: str) -> None:
    code = (
        "import os; os.symlink('/etc/shadow', 'stolen.db'); p = os.environ['DATABASE_PATH']; "
        "os.path.lexists(p) and os.unlink(p); os.symlink('/etc/passwd', p)"
    )
    with start_app(detect_app(APPS / "fastapi_mini"), env={"TEST_TAG": tag}) as app:
        res = app.run_command(["python", "-c", code])
        assert res.exit_code == 0, res.output
        assert (app.workdir / "stolen.db").is_symlink() and app.database_path.is_symlink()
        found = app.db_files()
    assert not any(p.name in ("stolen.db", "app.db") for p in found)


def test_an_incomplete_sandbox_is_said_and_can_be_refused(
    tag: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_ISOLATION", "host-network")
    profile = detect_app(APPS / "stdlib_stubborn")
    with start_app(profile, env={"TEST_TAG": tag}) as app:
        assert app.isolation == "host-network"
        missing = app.sandbox.missing
    assert any(m.startswith("filesystem:") for m in missing)
    assert any(m.startswith("network and processes:") for m in missing)
    with (
        pytest.raises(LaunchError, match="require-isolation: the sandbox would be incomplete"),
        start_app(profile, env={"TEST_TAG": tag}, require_isolation=True),
    ):
        pytest.fail("an incomplete sandbox must not start the app")
    assert wait_no_leftovers(tag) == []


@needs_root
def test_a_control_group_bounds_the_whole_tree_and_counts_what_it_refused() -> None:
    limits = ResourceLimits(pids=8, memory_bytes=256 << 20)
    group, why = Cgroup.create("test", limits)
    if group is None:
        pytest.skip(f"no writable control groups here: {why}")
    import subprocess

    try:
        bomb = "for i in $(seq 40); do sleep 30 & done; wait"
        proc = subprocess.Popen(
            ["sh", "-c", bomb], preexec_fn=group.join, stderr=subprocess.DEVNULL
        )
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        assert 0 < len(group.pids()) <= 8
        assert group.events().get("fork_refused", 0) > 0
    finally:
        group.remove()
    assert not any(d.exists() for d in group.dirs)


@needs_jail
@needs_root
def test_a_repo_in_a_private_folder_installs_and_starts(tag: str, tmp_path: Path) -> None:
    import secrets
    import shutil

    repo = tmp_path / "private" / "app"
    shutil.copytree(APPS / "flask_badpin", repo)
    (repo / "requirements.txt").write_text(f"Flask>=3.0  # {secrets.token_hex(4)}\n")
    for folder in (repo.parent, repo):
        folder.chmod(0o700)  # as a repo in a home folder with umask 077 is
    with start_app(detect_app(repo), env={"TEST_TAG": tag}) as app, app.sync_client() as client:
        assert client.get("/").json() == {"hello": "world"}
