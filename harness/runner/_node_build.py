"""TypeScript (and other built) Node apps: the build step before start, and the start command
from the package scripts (``start:prod``, ``start``), the Procfile or the Dockerfile ``CMD``.

The build (``npm run build``: ``tsc``, ``nest build``...) runs as a preparation step inside the
app's own sandbox: no network, its dependencies read-only, only its copy writable.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from harness.app import AppProfile, read_text
from harness.runner._command import StartPlan

_DEV_ONLY = re.compile(r"\b(nodemon|ts-node-dev|--watch|tsx\s+watch|nest\s+start\s+--watch)\b")
_NEEDS_SOURCE = re.compile(r"\b(ts-node|tsx|nest\s+start)\b")


def _scripts(workdir: Path) -> dict[str, str]:
    try:
        data = json.loads(read_text(workdir / "package.json") or "")
    except ValueError:
        return {}
    scripts = data.get("scripts") if isinstance(data, dict) else None
    return {k: v for k, v in (scripts or {}).items() if isinstance(v, str)}


def _procfile(workdir: Path) -> str | None:
    m = re.search(r"^web\s*:\s*(.+)$", read_text(workdir / "Procfile") or "", re.M)
    return m.group(1).strip() if m else None


def _dockerfile_cmd(workdir: Path) -> str | None:
    found = re.findall(r"^\s*CMD\s+(.+)$", read_text(workdir / "Dockerfile") or "", re.M)
    if not found:
        return None
    raw = found[-1].strip()  # the last CMD is the one that runs
    try:
        parts = json.loads(raw)
        return shlex.join(parts) if isinstance(parts, list) else None
    except ValueError:
        return raw


def built_node_plan(profile: AppProfile, workdir: Path) -> StartPlan | None:
    """A plan for an app with a build script whose start runs the built output; None when the
    app has no build step (plain JavaScript run as it is)."""
    scripts = _scripts(workdir)
    build = scripts.get("build")
    typescript = profile.language == "typescript" or (workdir / "tsconfig.json").exists()
    if not build or not typescript or _DEV_ONLY.search(build):
        return None
    candidates = [
        ("package.json start:prod", scripts.get("start:prod")),
        ("package.json start", scripts.get("start")),
        ("Procfile web", _procfile(workdir)),
        ("Dockerfile CMD", _dockerfile_cmd(workdir)),
    ]
    hardcoded = profile.hardcoded_port is not None
    for origin, command in candidates:
        if not command or _DEV_ONLY.search(command) or _NEEDS_SOURCE.search(command):
            continue
        # npm scripts run through npm so pre/post hooks and PATH apply
        if origin.startswith("package.json"):
            run = ["npm", "run", "--silent", origin.split()[-1]]
        else:
            run = ["sh", "-c", command]
        return StartPlan(
            run,
            workdir,
            prepare=[["npm", "run", "--silent", "build"]],
            honours_port=not hardcoded,
            description=f"npm run build ({build}), then the {origin} command: {command}",
        )
    return None
