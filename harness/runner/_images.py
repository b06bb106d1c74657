"""What goes into an app's image: the dependency list, the launch command, the Dockerfiles.

Templates live in harness/runner/templates/ (one per layer: python deps, node deps, the app);
this module fills them in from an AppProfile. Nothing here talks to the engine.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from harness.app._model import AppProfile
from harness.runner._model import LaunchError

TEMPLATES = Path(__file__).parent / "templates"
BASE_IMAGE = "agent-harness/base:bookworm"
RELAY_PORT = 65080
LABEL = "agent-harness"  # every container and per-run image carries LABEL=1
# Where a container keeps its SQLite database when the app honours DATABASE_PATH/DATABASE_URL.
CONTAINER_DATA_DIR = "/app/data"

SKIP_DIRS = {
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
}

# Import name -> distribution name, for bare apps with no dependency file.
PY_DISTRIBUTIONS = {
    "flask": "flask",
    "fastapi": "fastapi",
    "uvicorn": "uvicorn",
    "starlette": "starlette",
    "django": "Django",
    "rest_framework": "djangorestframework",
    "jwt": "PyJWT",
    "jose": "python-jose",
    "bcrypt": "bcrypt",
    "passlib": "passlib",
    "argon2": "argon2-cffi",
    "werkzeug": "werkzeug",
    "sqlalchemy": "SQLAlchemy",
    "flask_sqlalchemy": "Flask-SQLAlchemy",
    "flask_jwt_extended": "Flask-JWT-Extended",
    "flask_cors": "flask-cors",
    "flask_limiter": "Flask-Limiter",
    "flask_login": "Flask-Login",
    "flask_bcrypt": "Flask-Bcrypt",
    "flask_wtf": "Flask-WTF",
    "pydantic": "pydantic",
    "email_validator": "email-validator",
    "dotenv": "python-dotenv",
    "yaml": "PyYAML",
    "marshmallow": "marshmallow",
    "itsdangerous": "itsdangerous",
    "slowapi": "slowapi",
    "multipart": "python-multipart",
    "requests": "requests",
    "httpx": "httpx",
}
NODE_BUILTINS = {
    "assert", "buffer", "child_process", "cluster", "crypto", "dgram", "dns", "events", "fs",
    "http", "http2", "https", "net", "os", "path", "perf_hooks", "process", "querystring",
    "readline", "stream", "string_decoder", "timers", "tls", "tty", "url", "util", "v8", "vm",
    "worker_threads", "zlib", "module", "async_hooks", "console", "constants", "sqlite",
}  # fmt: skip
NODE_ENTRIES = ("server.js", "app.js", "index.js", "src/server.js", "src/app.js", "src/index.js")
_JS_IMPORT = re.compile(
    r"""(?:require\s*\(\s*|import\s*\(\s*|from\s+|import\s+)['"]([^'"./][^'"]*)['"]"""
)


@dataclass
class ImagePlan:
    """Everything needed to build and run one app: its dependencies, command and ports."""

    kind: str  # "python" | "node"
    framework: str
    command: str  # shell snippet run from /app after the relay started; ends in `exec <app>`
    port: int  # the PORT the app is told to use
    requirement_files: list[Path] = field(default_factory=list)  # python: -r files in the repo
    requirements: list[str] = field(default_factory=list)  # python: extra requirement lines
    package_files: dict[str, str] = field(default_factory=dict)  # node: package.json (+lock)
    inferred_dependencies: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # variables the start command exports (PYTHONPATH), which steps run before it need too
    exports: dict[str, str] = field(default_factory=dict)


def render(template: str, **values: object) -> str:
    """Fill a Dockerfile template from templates/ (missing keys are an error, not a blank)."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return Template(text).substitute({k: str(v) for k, v in values.items()})


def app_dockerfile(plan: ImagePlan, deps_image: str, run_id: str = "-") -> str:
    relay = (
        "cp -a /opt/agent-harness/app/. /app/ || exit 1; "
        f"/usr/bin/python3 -I /opt/agent-harness/relay.py & {plan.command}"
    )
    return render(
        "app.Dockerfile",
        deps_image=deps_image,
        port=plan.port,
        relay_port=RELAY_PORT,
        framework=plan.framework,
        run_id=run_id,
        cmd_json=json.dumps(["/bin/sh", "-c", relay]),
    )


def plan_image(profile: AppProfile) -> ImagePlan:
    """Decide how the app is installed and started inside the image."""
    root = Path(profile.root).resolve()
    if profile.language == "go":
        raise LaunchError(
            "the docker runner does not build Go apps yet; use the local runner (the default), "
            "which builds them with go build and runs the binary in its sandbox"
        )
    if profile.language in ("javascript", "typescript") or profile.framework == "express":
        plan = _plan_node(profile, root)
    else:
        plan = _plan_python(profile, root)
    shared = _shared_command(profile, root, plan)
    if shared is not None:
        plan.command = shared
    return plan


def _shared_command(profile: AppProfile, root: Path, plan: ImagePlan) -> str | None:
    """The local runner's start command, moved to /app: both runners start an app the same way.

    None when that planner cannot start this app (or is unavailable); the image then uses the
    command guessed here, and the plan says so in its notes.
    """
    try:
        from harness.runner import _command

        if plan.kind == "python":
            start = _command.python_plan(profile, root, "python", plan.port, may_hardcode=True)
        else:
            start = _command.node_plan(profile, root)
    except Exception as exc:  # LaunchError, or an interface that moved
        plan.notes.append(f"start command guessed by the image planner ({exc})")
        return None

    def here(text: str) -> str:
        return text.replace(str(root), "/app")

    steps = [f"cd {shlex.quote(here(str(start.cwd)))}"]
    if start.pythonpath:
        plan.exports["PYTHONPATH"] = here(start.pythonpath)
        steps.append(f"export PYTHONPATH={shlex.quote(here(start.pythonpath))}")
    steps += [shlex.join(here(a) for a in cmd) for cmd in start.prepare]
    return " && ".join(steps) + " && exec " + shlex.join(here(a) for a in start.command)


# --- Python -----------------------------------------------------------------------------------


def _plan_python(profile: AppProfile, root: Path) -> ImagePlan:
    port = profile.hardcoded_port or profile.default_port or 8000
    plan = ImagePlan(kind="python", framework=profile.framework, command="", port=port)
    req_files = [
        root / f
        for f in profile.dependency_files
        if Path(f).name.startswith("requirements") and f.endswith(".txt") and (root / f).is_file()
    ]
    if not req_files and (root / "requirements.txt").is_file():
        req_files = [root / "requirements.txt"]
    if req_files:
        plan.requirement_files = req_files
    elif profile.declared_dependencies:
        plan.requirements = list(profile.declared_dependencies)
    else:
        inferred = list(profile.inferred_dependencies) or _infer_python(root, profile)
        if not profile.inferred_dependencies:
            plan.notes.append(f"dependencies inferred from imports: {', '.join(inferred) or '-'}")
        plan.requirements = inferred
        plan.inferred_dependencies = inferred

    entry = _python_entry(profile, root)
    has_main = entry is not None and _has_main_block(root / entry)
    fw = profile.framework
    if fw == "django":
        manage = entry if entry and Path(entry).name == "manage.py" else _find(root, "manage.py")
        if manage is None:
            plan.command = "echo no manage.py found >&2; exit 1"
        else:
            m = shlex.quote(manage)
            plan.command = (
                f"python {m} migrate --noinput && "
                f'exec python {m} runserver "0.0.0.0:$PORT" --noreload'
            )
    elif fw == "fastapi" and not has_main and profile.app_object:
        app = shlex.quote(profile.app_object)
        plan.command = f'exec python -m uvicorn {app} --host 0.0.0.0 --port "$PORT"'
    elif fw == "flask" and not has_main and profile.app_object:
        app = shlex.quote(profile.app_object)
        plan.command = f'exec python -m flask --app {app} run --host 0.0.0.0 --port "$PORT"'
    elif entry is not None:
        # The app's own __main__ block runs its setup code (db.create_all(), seeding...).
        plan.command = f"exec python {shlex.quote(entry)}"
    else:
        plan.command = "echo no entrypoint found >&2; exit 1"
        plan.notes.append("no Python entrypoint found")
    if fw == "fastapi" and not _mentions(plan, "uvicorn"):
        plan.requirements.append("uvicorn")
    return plan


def _python_entry(profile: AppProfile, root: Path) -> str | None:
    if profile.entrypoint and (root / profile.entrypoint).is_file():
        return profile.entrypoint
    for name in ("app.py", "main.py", "server.py", "run.py", "wsgi.py", "manage.py"):
        if (root / name).is_file():
            return name
    return None


def _has_main_block(path: Path) -> bool:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return False
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return True
    return False


def _mentions(plan: ImagePlan, name: str) -> bool:
    texts = list(plan.requirements)
    for f in plan.requirement_files:
        texts.append(f.read_text(encoding="utf-8", errors="replace"))
    return any(re.search(rf"(?im)^\s*{re.escape(name)}\b", t) for t in texts)


def _py_sources(root: Path, profile: AppProfile) -> list[Path]:
    if profile.source_files:
        files = [root / f for f in profile.source_files if f.endswith(".py")]
    else:
        files = [p for p in root.rglob("*.py") if not SKIP_DIRS & set(p.relative_to(root).parts)]
    return [f for f in files if f.is_file()][:500]


def _infer_python(root: Path, profile: AppProfile) -> list[str]:
    """Third-party distributions a bare app imports (used when the detector inferred none)."""
    files = _py_sources(root, profile)
    local = {f.stem for f in files} | {p.name for p in root.iterdir() if p.is_dir()}
    names: set[str] = set()
    for f in files:
        try:
            tree = ast.parse(f.read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    deps = {
        PY_DISTRIBUTIONS.get(n, n)
        for n in names
        if n not in sys.stdlib_module_names and n not in local and n != "__future__"
    }
    if "fastapi" in deps:
        deps.add("uvicorn")
    return sorted(deps, key=str.lower)


# --- Node -------------------------------------------------------------------------------------


def _plan_node(profile: AppProfile, root: Path) -> ImagePlan:
    port = profile.hardcoded_port or profile.default_port or 3000
    plan = ImagePlan(kind="node", framework=profile.framework, command="", port=port)
    pkg_path = root / "package.json"
    pkg: dict = {}
    if pkg_path.is_file():
        plan.package_files["package.json"] = pkg_path.read_text(encoding="utf-8")
        try:
            pkg = json.loads(plan.package_files["package.json"])
        except ValueError:
            plan.notes.append("package.json is not valid JSON")
        lock = root / "package-lock.json"
        if lock.is_file():
            plan.package_files["package-lock.json"] = lock.read_text(encoding="utf-8")
    else:
        inferred = list(profile.inferred_dependencies) or _infer_node(root, profile)
        if not profile.inferred_dependencies:
            plan.notes.append(f"dependencies inferred from imports: {', '.join(inferred) or '-'}")
        plan.inferred_dependencies = inferred
        generated = {"name": "app", "private": True, "dependencies": dict.fromkeys(inferred, "*")}
        plan.package_files["package.json"] = json.dumps(generated, indent=2)

    start = str((pkg.get("scripts") or {}).get("start", ""))
    entry = (
        profile.entrypoint if profile.entrypoint and (root / profile.entrypoint).is_file() else None
    )
    if entry is None and isinstance(pkg.get("main"), str) and (root / pkg["main"]).is_file():
        entry = pkg["main"]
    if entry is None:
        for name in NODE_ENTRIES:
            if (root / name).is_file():
                entry = name
                break
    if re.fullmatch(r"node\s+[\w./-]+(\s+[\w./=-]+)*", start.strip()):
        plan.command = f"exec {start.strip()}"
    elif entry is not None and entry.endswith(".ts"):
        plan.command = f"exec node node_modules/tsx/dist/cli.mjs {shlex.quote(entry)}"
        plan.notes.append("TypeScript entrypoint: run with tsx from the app's node_modules")
    elif entry is not None:
        plan.command = f"exec node {shlex.quote(entry)}"
    else:
        plan.command = "echo no entrypoint found >&2; exit 1"
        plan.notes.append("no Node entrypoint found")
    return plan


def _infer_node(root: Path, profile: AppProfile) -> list[str]:
    """Packages a bare Node app requires or imports (used when the detector inferred none)."""
    exts = (".js", ".mjs", ".cjs", ".ts")
    if profile.source_files:
        files = [root / f for f in profile.source_files if f.endswith(exts)]
    else:
        files = [
            p
            for p in root.rglob("*")
            if p.suffix in exts and not SKIP_DIRS & set(p.relative_to(root).parts)
        ]
    names: set[str] = set()
    for f in files[:500]:
        if not f.is_file():
            continue
        for spec in _JS_IMPORT.findall(f.read_text(encoding="utf-8", errors="replace")):
            if spec.startswith("node:"):
                continue
            parts = spec.split("/")
            name = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
            if name not in NODE_BUILTINS:
                names.add(name)
    return sorted(names)


def _find(root: Path, name: str) -> str | None:
    for p in sorted(root.rglob(name), key=lambda p: len(p.parts)):
        if not SKIP_DIRS & set(p.relative_to(root).parts):
            return p.relative_to(root).as_posix()
    return None
