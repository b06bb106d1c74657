"""Every reference app in fixtures/apps starts under the local runner and answers over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from harness._paths import fixtures_dir
from harness.app import detect_app
from harness.runner import start_app
from tests.runner.conftest import wait_no_leftovers

pytestmark = pytest.mark.live


def _apps() -> list[Path]:
    root = fixtures_dir() / "apps"
    if not root.is_dir():
        return []
    return sorted(d for d in root.iterdir() if (d / "expected.yaml").is_file())


APPS = _apps()


@pytest.mark.skipif(not APPS, reason="no fixtures/apps/*/expected.yaml present yet")
@pytest.mark.parametrize("app_dir", APPS, ids=[a.name for a in APPS])
def test_reference_app_starts_and_answers(app_dir: Path, tag: str) -> None:
    expected = (yaml.safe_load((app_dir / "expected.yaml").read_text()) or {}).get("app") or {}
    profile = detect_app(app_dir)
    # native add-ons may be compiled on a cold cache: allow for it in the start, not the install
    with start_app(profile, env={"TEST_TAG": tag}, startup_timeout=90) as app:
        print(f"\n{app_dir.name}: {app.isolation} {app.base_url} timings={app.timings}")

        async def probe():
            async with app.client() as c:
                health = expected.get("health_path")
                r = await c.get(health or "/")
                return health, r

        health, r = asyncio.run(probe())
        if health:
            assert r.status_code == 200, r.text[:300]
        else:
            assert 100 <= r.status_code < 600
        assert app.alive()
        # the app received our database path or made its own file in the temp copy
        if (expected.get("db") or {}).get("kind") == "sqlite":
            assert app.db_files() or "sql.js" in str(expected.get("db")), app.logs()[-2000:]
    assert wait_no_leftovers(tag) == []
