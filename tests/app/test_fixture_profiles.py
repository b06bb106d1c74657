"""detect_app against the reference apps: their expected.yaml says what a correct profile holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from harness._paths import fixtures_dir
from harness.app import detect_app


def _apps_with_expectations() -> list[Path]:
    apps = fixtures_dir() / "apps"
    return (
        sorted(d for d in apps.iterdir() if d.is_dir() and (d / "expected.yaml").is_file())
        if apps.is_dir()
        else []
    )


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


APPS = _apps_with_expectations()


@pytest.mark.skipif(not APPS, reason="no fixtures/apps/*/expected.yaml present yet")
@pytest.mark.parametrize("app_dir", APPS, ids=[a.name for a in APPS])
def test_profile_matches_expected_yaml(app_dir: Path) -> None:
    expected = (yaml.safe_load((app_dir / "expected.yaml").read_text()) or {}).get("app") or {}
    if not expected:
        pytest.skip(f"{app_dir.name}/expected.yaml has no app: section")
    p = detect_app(app_dir)
    for key in (
        "language",
        "framework",
        "entrypoint",
        "app_object",
        "port_env",
        "default_port",
        "hardcoded_port",
    ):
        if key in expected:
            assert getattr(p, key) == expected[key], (
                f"{key}: {getattr(p, key)!r} != {expected[key]!r}"
            )
    if "dependency_files" in expected:
        assert sorted(p.dependency_files) == sorted(expected["dependency_files"])
    if "inferred_dependencies" in expected:
        assert {_norm(d) for d in p.inferred_dependencies} >= {
            _norm(d) for d in expected["inferred_dependencies"] if _norm(d) != "werkzeug"
        }
    db = expected.get("db") or {}
    if db.get("kind"):
        assert p.db_kind == db["kind"]
    base = expected.get("base_path") or ""
    auth = expected.get("auth") or {}
    for step in ("register", "login", "refresh"):
        if isinstance(auth.get(step), dict):
            want = (auth[step]["method"], auth[step]["path"])
            assert want in {(r.method, r.path) for r in p.routes}, f"{step} route {want} not found"
    if expected.get("health_path"):
        assert any(r.path == expected["health_path"] for r in p.routes)
    if base:
        assert any(r.path.startswith(base) for r in p.routes)
