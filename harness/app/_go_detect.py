"""The Go side of detection: module and requirements from go.mod, the main package to build,
the framework from its imports, the port it listens on, and its routes."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from harness.app._files import is_test_path, read_text
from harness.app._go_routes import GO_FRAMEWORKS, framework_of
from harness.app._go_text import go_imports
from harness.app._model import AppProfile
from harness.app._readers import reader_for
from harness.app._routes import AppFile

GO_DEP_FILES = ("go.mod", "go.sum")
_REQUIRE = re.compile(r"^\s*(?:require\s+)?([\w.\-]+\.[\w.\-]+/[\w./\-]+)\s+(v[\w.\-+]+)", re.M)
_LISTEN = re.compile(
    r"\.(?:ListenAndServe(?:TLS)?|Run|Start|Listen)\(\s*\"([\w.\-]*):(\d{2,5})\"|Addr\s*:\s*\"([\w.\-]*):(\d{2,5})\""
)
_PORT_ENV = re.compile(r"os\.(?:Getenv|LookupEnv)\(\s*\"(\w*PORT\w*)\"\s*\)")
# envOr("PORT", "8080"), getEnv("APP_PORT", ":3000"): a helper with the default beside the name
_PORT_HELPER = re.compile(r"\(\s*\"(\w*PORT)\"\s*,\s*\"?:?(\d{2,5})\"?\s*\)")
_DEFAULT_PORT = re.compile(r"=\s*\"?:?(\d{2,5})\"?\s*(?:\n|;|})")
_MAIN = re.compile(r"^package\s+main\b", re.M)


def go_requirements(root: Path) -> list[str]:
    """``module version`` of every requirement in go.mod."""
    text = read_text(root / "go.mod") or ""
    return [f"{m.group(1)} {m.group(2)}" for m in _REQUIRE.finditer(text)]


def main_files(root: Path, files: list[str]) -> list[str]:
    """Files of ``package main`` with ``func main()``, the conventional ones first
    (``main.go`` at the top, then ``cmd/<name>/main.go``)."""
    found = [
        f
        for f in files
        if f.endswith(".go")
        and not is_test_path(f)
        and _MAIN.search(text := read_text(root / f) or "")
        and re.search(r"^func\s+main\s*\(\s*\)", text, re.M)
    ]
    return sorted(
        found,
        key=lambda f: (
            not (f == "main.go" or re.fullmatch(r"cmd/[\w.\-]+/main\.go", f)),
            "server" not in f and "api" not in f,
            f.count("/"),
            f,
        ),
    )


def _port(root: Path, files: list[str], entry_dir: str) -> tuple[int | None, str | None]:
    """(default port, env variable) from the main package's files (and, failing that, any)."""
    same = [f for f in files if f.endswith(".go") and str(PurePosixPath(f).parent) == entry_dir]
    others = [f for f in files if f.endswith(".go") and f not in same and not is_test_path(f)]
    for group in (same, others):
        text = "\n".join(read_text(root / f) or "" for f in group)
        helper = _PORT_HELPER.search(text)
        if helper:
            return int(helper.group(2)), helper.group(1)
        env = _PORT_ENV.search(text)
        listen = _LISTEN.search(text)
        port = int(listen.group(2) or listen.group(4)) if listen else None
        if env and port is None:
            near = _DEFAULT_PORT.search(text, env.end(), env.end() + 300)
            port = int(near.group(1)) if near else None
        if env or listen:
            return port, env.group(1) if env else None
    return None, None


def go_profile(root: Path, files: list[str], apps: list[AppFile], p: AppProfile) -> None:
    """Fill ``p`` for a Go module."""
    p.declared_dependencies = go_requirements(root)
    mains = main_files(root, files)
    go_apps = [a for a in apps if a.rel.endswith(".go") and a.rel in mains]
    entry = go_apps[0].rel if go_apps else (mains[0] if mains else None)
    p.entrypoint = entry
    p.app_dir = str(PurePosixPath(entry).parent) if entry else None
    if p.framework == "unknown":
        texts = [read_text(root / f) or "" for f in files if f.endswith(".go")][:300]
        imports: dict[str, str] = {}
        for t in texts:
            imports.update({f"{k}{i}": v for i, (k, v) in enumerate(go_imports(t).items())})
        fw = framework_of(imports) or _framework_from_mod(p.declared_dependencies)
        if fw:
            p.framework = fw  # type: ignore[assignment]
    if entry is None:
        p.notes.append(
            "Go module without a main package (package main with func main): nothing to run"
        )
    port, env = _port(root, files, p.app_dir or ".")
    p.default_port, p.port_env = port, env
    p.hardcoded_port = port if env is None else None
    p.build_script = f"go build ./{p.app_dir}" if p.app_dir and p.app_dir != "." else "go build ."
    reader = reader_for("go")
    p.routes = reader.routes(root, files, p) if reader else []


def _framework_from_mod(requirements: list[str]) -> str | None:
    mods = {r.split()[0] for r in requirements}
    return framework_of({str(i): m for i, m in enumerate(mods)}) if mods else None


__all__ = ["GO_DEP_FILES", "GO_FRAMEWORKS", "go_profile", "go_requirements", "main_files"]
