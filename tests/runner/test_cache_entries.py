"""The dependency caches' build-once routines, on the real filesystem and the real lock files:
the build itself is a small function here (what pip or npm would leave behind)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.runner._deps import _cached
from harness.runner._docker_deps import _built_once


def test_an_entry_is_built_once_then_reused(tmp_path: Path) -> None:
    final = tmp_path / "wheels" / "k1"
    calls: list[Path] = []

    def build(tmp: Path) -> Path:
        calls.append(tmp)
        (tmp / "out").mkdir()
        (tmp / "out" / "a.whl").write_text("wheel")
        return tmp / "out"

    assert _built_once(final, build) == final
    assert _built_once(final, build) == final
    assert len(calls) == 1
    assert (final / "a.whl").read_text() == "wheel"
    assert (final / ".complete").exists()
    assert not calls[0].exists()  # the scratch folder is gone


def test_a_failed_build_leaves_nothing_and_is_redone(tmp_path: Path) -> None:
    final = tmp_path / "node" / "k2"

    def broken(tmp: Path) -> Path:
        (tmp / "half").write_text("partial")
        raise RuntimeError("npm failed")

    with pytest.raises(RuntimeError):
        _built_once(final, broken)
    assert not final.exists()
    assert sorted(p.name for p in final.parent.iterdir()) == ["k2.lock"]

    def good(tmp: Path) -> Path:
        (tmp / "node_modules").mkdir()
        return tmp

    _built_once(final, good)
    assert (final / "node_modules").is_dir() and not (final / "half").exists()


def test_a_cached_install_is_reused_with_its_notes_and_an_unfinished_one_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    home = tmp_path / "cache" / "venvs" / "k3"
    home.mkdir(parents=True)
    (home / "left-by-a-crash").write_text("x")  # no .ready: an interrupted build
    builds: list[int] = []

    def build() -> list[str]:
        builds.append(1)
        home.mkdir(parents=True)
        return ["inferred: requests"]

    first = _cached(home, "k3", "py-k3", build)
    again = _cached(home, "k3", "py-k3", build)
    assert (first.cached, again.cached) == (False, True)
    assert first.notes == again.notes == ["inferred: requests"]
    assert len(builds) == 1
    assert not (home / "left-by-a-crash").exists()
