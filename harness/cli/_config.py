"""Settings for the command line from a file: ``[tool.harness]`` in pyproject.toml or a
``harness.toml``, found from the scored repo upwards, else from the current folder upwards.

Precedence is flags > environment (``HARNESS_<KEY>``) > file > built-in default. Click already
puts flags before environment variables; a file value is applied only to a parameter whose value
came from its default. Paths in a file are relative to the file's folder.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from harness._errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

FILE_NAMES = ("harness.toml", "pyproject.toml")

# key in the file -> (parameter name of `harness score`, expected type, is a path)
KEYS: dict[str, tuple[str, type | tuple[type, ...], bool]] = {
    "agent": ("agent", str, True),
    "task": ("task", str, True),
    "runner": ("runner", str, False),
    "static": ("static_only", bool, False),
    "format": ("formats", (str, list), False),
    "out": ("out_dir", str, True),
    "startup-timeout": ("startup_timeout", (int, float), False),
    "require-isolation": ("require_isolation", bool, False),
    "repo-dockerfile": ("repo_dockerfile", bool, False),
    "source-root": ("source_root", str, True),
    "policy": ("policy", str, True),
    "baseline": ("baseline", str, True),
    "min-score": ("min_score", (str, int, float), False),
    "fail-on": ("fail_on", str, False),
    "color": ("color", bool, False),
}
CHOICES = {"runner": ("local", "docker"), "fail-on": ("high", "medium", "low")}


def envvar(key: str) -> str:
    """The environment variable of a file key: ``startup-timeout`` -> HARNESS_STARTUP_TIMEOUT."""
    return "HARNESS_" + key.upper().replace("-", "_")


def setting(*decls: str, **kwargs: Any) -> Callable[[F], F]:
    """An option that a settings file or its HARNESS_<FLAG> variable may also set: the variable
    is named after the long flag, so the spellings of one setting cannot drift apart."""
    flag = next(d for d in decls if d.startswith("--")).split("/")[0]
    return click.option(*decls, envvar=envvar(flag.lstrip("-")), **kwargs)


def with_options(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Several options as one decorator, in the order given (shared by commands)."""

    def apply(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


@dataclass
class Config:
    """The settings read from one file (empty when none was found)."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def apply(self, ctx: click.Context, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with file values for every parameter that came from its default."""
        out = dict(params)
        for key, value in self.values.items():
            name, _, is_path = KEYS[key]
            if name not in out or ctx.get_parameter_source(name) != ParameterSource.DEFAULT:
                continue  # given as a flag or in the environment: those win
            if is_path and self.path is not None:
                value = _path_value(key, value, self.path.parent)
            if name == "formats":
                value = tuple(value) if isinstance(value, list) else (value,)
            if name == "min_score":
                value = str(value)
            out[name] = value
        return out


def _path_value(key: str, value: str, base: Path) -> str:
    """A path relative to the file's folder. An agent or task may also be a bundled name
    ("backend", "todo-api"): a bare name stays a name unless an agent file (or a task folder)
    of that name sits next to the settings file."""
    path = Path(value).expanduser()
    if path.is_absolute():
        return str(path)
    candidate = base / path
    if key in ("agent", "task") and "/" not in value:
        fits = candidate.is_file() if key == "agent" else candidate.is_dir()
        return str(candidate) if fits else value
    return str(candidate)


def find_config(*starts: Path | None) -> Config:
    """The first harness.toml or pyproject.toml with [tool.harness], searched from each start
    folder upwards to its git root (the scored repo first, then the current folder)."""
    for start in starts:
        if start is None:
            continue
        folder = start.resolve()
        if folder.is_file():
            folder = folder.parent
        for candidate in (folder, *folder.parents):
            found = _read(candidate)
            if found is not None:
                return found
            if (candidate / ".git").exists():
                break  # a repository's settings do not come from above it
    return Config()


def _read(folder: Path) -> Config | None:
    for name in FILE_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{path}: not valid TOML ({exc})") from None
        if name == "pyproject.toml":
            table = data.get("tool", {}).get("harness")
            if table is None:
                continue  # a pyproject without our table says nothing to us
            where = "[tool.harness]"
        else:
            table = data.get("harness", data)
            where = "[harness]" if "harness" in data else "the file"
        return Config(path=path, values=validate(table, f"{path} {where}"))
    return None


def validate(table: Any, where: str) -> dict[str, Any]:
    """Known keys with values of the right type; anything else is an input error."""
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table of settings")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise InputError(
            f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(KEYS))}"
        )
    for key, value in table.items():
        expected = KEYS[key][1]
        if isinstance(value, bool) and expected is not bool and bool not in _tuple(expected):
            raise InputError(f"{where}: {key} must not be true/false")
        if not isinstance(value, expected):
            names = " or ".join(t.__name__ for t in _tuple(expected))
            raise InputError(f"{where}: {key} must be a {names}, not {value!r}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}: format must be a list of strings")
        if key in CHOICES and value not in CHOICES[key]:
            raise InputError(f"{where}: {key} must be one of {', '.join(CHOICES[key])}")
    return dict(table)


def _tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


def config_start(repo: Path | None) -> list[Path | None]:
    """Where to look: the scored repo (when it is a folder) and the current folder."""
    return [repo if repo is not None and repo.is_dir() else None, Path(os.getcwd())]
