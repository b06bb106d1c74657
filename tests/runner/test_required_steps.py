"""A required preparation step (a schema migration) that fails stops the start: the launch error
names the step's command and carries its log tail, in the sandbox and on the host network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.app import detect_app
from harness.runner import LaunchError, start_app

pytestmark = pytest.mark.live
DJANGO = Path(__file__).parent / "apps" / "django_mini"
BROKEN = """
from django.db import migrations


def fail(apps, schema_editor):
    raise RuntimeError("the 0001 data migration cannot run")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(fail)]
"""


def _broken_django(tmp_path: Path) -> Path:
    app = tmp_path / "site"
    shutil.copytree(DJANGO, app)
    (app / "ledger" / "migrations").mkdir(parents=True)
    (app / "ledger" / "__init__.py").write_text("")
    (app / "ledger" / "migrations" / "__init__.py").write_text("")
    (app / "ledger" / "migrations" / "0001_initial.py").write_text(BROKEN)
    settings = app / "mysite" / "settings.py"
    auth = '"django.contrib.auth"]'
    settings.write_text(settings.read_text().replace(auth, auth[:-1] + ', "ledger"]'))
    return app


def _assert_named(err: LaunchError) -> None:
    assert "manage.py migrate --noinput" in str(err) and "the app was not started" in str(err)
    assert "the 0001 data migration cannot run" in err.log_tail


def test_a_failing_migration_is_a_launch_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(LaunchError) as caught, start_app(detect_app(_broken_django(tmp_path))):
        pytest.fail("the app must not be started on a failed migration")
    _assert_named(caught.value)


def test_the_same_on_the_host_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.runner import _jail, _sandbox

    monkeypatch.setattr(_sandbox, "netns_support", lambda: (False, "unshare(1) not found"))
    monkeypatch.setattr(_jail, "bwrap_support", lambda: (False, "bwrap is not installed"))
    with pytest.raises(LaunchError) as caught, start_app(detect_app(_broken_django(tmp_path))):
        pytest.fail("the app must not be started on a failed migration")
    _assert_named(caught.value)
