"""The hostile test apps: rendering a template for one run, starting it, talking to it."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from harness.app import detect_app
from harness.runner import RunningApp, start_app

APPS = Path(__file__).parent / "apps"
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# the variable every test puts into its app's environment: forks and daemons inherit it, so the
# leftover scan finds what carries no token in its argv
TOKEN_VAR = "HOSTILE_RUN_TOKEN"
needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root: plants secrets under /root and checks them afterwards"
)


def render(name: str, dest: Path, **values: str) -> Path:
    """Copy template ``name`` to ``dest/name`` with every {{placeholder}} filled.

    Values are pasted raw into string literals (Python, JavaScript, JSON, shell), so they must
    not contain quotes or backslashes; an unfilled placeholder is an error."""
    for key, value in values.items():
        assert not set(value) & set("\"'\\\n"), f"{key}={value!r} cannot go into a literal"
    src = APPS / name
    out = dest / name
    for path in sorted(src.rglob("*")):
        target = out / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        missing = set(PLACEHOLDER.findall(text)) - set(values) - {"app_dir"}
        assert not missing, f"{path}: no value for {sorted(missing)}"
        text = PLACEHOLDER.sub(lambda m: str(out) if m[1] == "app_dir" else values[m[1]], text)
        target.write_text(text, encoding="utf-8")
    return out


@dataclass(frozen=True)
class OutsideTargets:
    """Paths outside every sandbox that a hostile app tries to write; none may exist after."""

    root: Path | None  # under /root: only when the test runs as root
    home: Path
    tmp: Path
    cache: Path

    @classmethod
    def for_token(cls, token: str, cache_dir: Path, tag: str) -> OutsideTargets:
        name = f"hostile-{token}-{tag}"
        return cls(
            root=Path("/root") / name if os.geteuid() == 0 else None,
            home=Path.home() / f".{name}",
            tmp=Path("/tmp") / name,
            cache=cache_dir / name,
        )

    def all(self) -> list[Path]:
        return [p for p in (self.root, self.home, self.tmp, self.cache) if p is not None]

    def placeholders(self) -> dict[str, str]:
        return {
            "root_target": str(self.root or ""),
            "home_target": str(self.home),
            "tmp_target": str(self.tmp),
            "cache_target": str(self.cache),
        }

    def existing(self) -> list[str]:
        return [str(p) for p in self.all() if p.exists()]

    def remove(self) -> None:
        for p in self.all():
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


def http(app: RunningApp, timeout: float = 10.0) -> httpx.Client:
    """A blocking client that reaches ``app`` whatever the runner."""
    sync = getattr(app, "sync_client", None)
    if sync is not None:
        return sync(timeout=timeout)
    return httpx.Client(base_url=app.base_url, timeout=timeout, trust_env=False)


@contextlib.contextmanager
def running(app_dir: Path, runner: str, token: str) -> Iterator[RunningApp]:
    """``start_app`` on the rendered app, with the run's token in the app's environment."""
    with start_app(detect_app(app_dir), runner=runner, env={TOKEN_VAR: token}) as app:
        yield app
