"""Dependencies of an app: read from its dependency files, or inferred from its imports."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from functools import cache
from pathlib import Path

import yaml

from harness._paths import checks_dir

PY_DEP_FILES = ("requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg")
NODE_DEP_FILES = ("package.json",)
LOCKFILES = (
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
)

# Node's own modules; `node:`-prefixed requires are always builtin.
NODE_BUILTINS = frozenset(
    [
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
        "test",
        "sqlite",
    ]
)

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?")


@cache
def import_name_map() -> dict[str, dict[str, str]]:
    """checks/import_names.yaml: {"python": {import: dist}, "node": {require: package}}."""
    data = yaml.safe_load((checks_dir() / "import_names.yaml").read_text(encoding="utf-8")) or {}
    return {
        "python": {str(k): str(v) for k, v in (data.get("python") or {}).items()},
        "node": {str(k): str(v) for k, v in (data.get("node") or {}).items()},
    }


def python_distribution(import_name: str) -> str | None:
    """The distribution providing top-level module ``import_name``; None for the stdlib."""
    top = import_name.split(".")[0]
    if not top or top in sys.stdlib_module_names or top == "__future__":
        return None
    return import_name_map()["python"].get(top, top)


def node_package(require_name: str) -> str | None:
    """The npm package behind ``require(name)``; None for builtins and relative paths."""
    name = require_name.strip()
    if not name or name.startswith((".", "/")) or name.startswith("node:"):
        return None
    parts = name.split("/")
    pkg = "/".join(parts[:2]) if name.startswith("@") and len(parts) >= 2 else parts[0]
    if pkg in NODE_BUILTINS:
        return None
    return import_name_map()["node"].get(pkg, pkg)


def requirement_name(line: str) -> str | None:
    """The project name in one requirements.txt line (None for options, comments, urls)."""
    line = line.split(" #")[0].strip()
    if not line or line.startswith(("#", "-", "git+", "http:", "https:", "file:", ".")):
        return None
    m = _REQ_NAME.match(line)
    return m.group(1) if m else None


def _pep508_names(specs: list[str]) -> list[str]:
    return [n for n in (requirement_name(s) for s in specs if isinstance(s, str)) if n]


def declared_python(root: Path, files: list[str]) -> list[str]:
    """Requirement specs declared in the Python dependency files (names with their versions)."""
    out: list[str] = []
    for rel in files:
        path = root / rel
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        name = path.name
        if name.startswith("requirements") and name.endswith(".txt"):
            for raw in text.splitlines():
                if requirement_name(raw):
                    out.append(raw.split(" #")[0].strip())
        elif name == "pyproject.toml":
            out.extend(_pyproject_specs(text))
        elif name == "Pipfile":
            out.extend(_pipfile_specs(text))
    return list(dict.fromkeys(out))


def _pyproject_specs(text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    specs = [s for s in data.get("project", {}).get("dependencies", []) if isinstance(s, str)]
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    for name, ver in poetry.items() if isinstance(poetry, dict) else []:
        if name.lower() == "python":
            continue
        extras = ""
        if isinstance(ver, dict):
            extras = "[" + ",".join(ver.get("extras", [])) + "]" if ver.get("extras") else ""
        specs.append(f"{name}{extras}")
    return specs


def _pipfile_specs(text: str) -> list[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    specs = []
    for name, ver in (data.get("packages") or {}).items():
        if isinstance(ver, str) and ver not in ("*", ""):
            specs.append(f"{name}{ver}" if ver[0] in "=<>!~" else name)
        else:
            specs.append(name)
    return specs


def declared_node(root: Path) -> list[str]:
    """Names in package.json dependencies (and devDependencies, which start scripts may need)."""
    data = read_package_json(root)
    names: list[str] = []
    for key in ("dependencies", "devDependencies"):
        section = data.get(key)
        if isinstance(section, dict):
            names.extend(str(k) for k in section)
    return list(dict.fromkeys(names))


def read_package_json(root: Path) -> dict:
    try:
        data = json.loads((root / "package.json").read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def python_imports(path: Path) -> list[tuple[str, int]]:
    """(top-level absolute import name, level) pairs of one Python file; [] if it won't parse."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, OSError):
        return []
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((a.name, 0) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def local_python_modules(root: Path, files: list[str]) -> set[str]:
    """Top-level names importable from the repo itself (its files and packages, at any depth)."""
    names: set[str] = set()
    for rel in files:
        parts = Path(rel).parts
        if rel.endswith(".py"):
            for part in parts[:-1]:
                names.add(part)
            names.add(Path(rel).stem)
    return names


# Installed with the framework: importing them needs no dependency of its own.
PROVIDED_BY = {
    "flask": {"werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "blinker"},
    "fastapi": {"starlette", "pydantic", "pydantic-core", "anyio", "typing-extensions"},
    "django": {"asgiref", "sqlparse"},
    "uvicorn": {"click", "h11"},
    "python-jose[cryptography]": {"cryptography", "ecdsa", "rsa"},
}


def without_provided(dists: list[str]) -> list[str]:
    """``dists`` less those that another listed distribution brings along."""
    names = {d.lower() for d in dists}
    provided = set().union(*(v for k, v in PROVIDED_BY.items() if k in names))
    return [d for d in dists if d.lower() not in provided]


def infer_python(root: Path, files: list[str]) -> list[str]:
    """Distributions the Python files import, stdlib and local modules excluded."""
    local = local_python_modules(root, files)
    dists: list[str] = []
    for rel in files:
        if not rel.endswith(".py"):
            continue
        for name, level in python_imports(root / rel):
            top = name.split(".")[0]
            if level or not top or top in local:
                continue
            dist = python_distribution(top)
            if dist:
                dists.append(dist)
    return without_provided(sorted(dict.fromkeys(dists), key=str.lower))


_JS_REQUIRE = re.compile(
    r"""(?:require\s*\(\s*|import\s*\(\s*|\bfrom\s+|^\s*import\s+)['"]([^'"\n]+)['"]""",
    re.MULTILINE,
)


_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:'\"\w])//[^\n]*", re.DOTALL)


def node_requires(text: str) -> list[str]:
    """Module names required or imported by JS/TS source (comments, e.g. JSDoc, ignored)."""
    return [m.group(1) for m in _JS_REQUIRE.finditer(_JS_COMMENT.sub(" ", text))]


def infer_node(root: Path, files: list[str]) -> list[str]:
    """npm packages the JS/TS files require or import, builtins and relative paths excluded."""
    pkgs: list[str] = []
    for rel in files:
        if not rel.endswith((".js", ".mjs", ".cjs", ".ts")):
            continue
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for name in node_requires(text):
            pkg = node_package(name)
            if pkg:
                pkgs.append(pkg)
    return sorted(dict.fromkeys(pkgs))
