"""How to start an app: the command line (and preparation steps) chosen by framework."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from harness.app import AppProfile
from harness.app._detect import main_block_does_more
from harness.runner._model import LaunchError


@dataclass
class StartPlan:
    command: list[str]
    cwd: Path
    prepare: list[list[str]] = field(default_factory=list)
    # the preparation steps that must succeed (schema migrations, seeds): one that fails stops
    # the start; others (a build with type errors that still emits) only log their status
    required: list[list[str]] = field(default_factory=list)
    pythonpath: str | None = None
    honours_port: bool = True  # False when the app listens where it wants, whatever PORT says
    description: str = ""


def _runs_server(text: str) -> bool:
    return bool(re.search(r"__name__\s*==\s*['\"]__main__['\"]", text)) and bool(
        re.search(r"\b(uvicorn\.run|\.run|run_app)\s*\(", text)
    )


def _script_command(python: str, workdir: Path, entry: str) -> list[str]:
    """``python -m pkg`` for a package's __main__.py (relative imports), else the file."""
    p = PurePosixPath(entry)
    if p.name == "__main__.py" and str(p.parent) != ".":
        return [python, "-m", ".".join(p.parent.parts)]
    return [python, str(workdir / entry)]


def python_plan(
    profile: AppProfile, workdir: Path, python: str, port: int, *, may_hardcode: bool
) -> StartPlan:
    """Start command for FastAPI, Flask and Django apps.

    ``may_hardcode`` says whether the app may pick its own port (true inside a private network
    namespace); otherwise a framework command with our port is preferred over an entry script
    that hardcodes one.
    """
    app_dir = workdir / (profile.app_dir or ".")
    pythonpath = str(app_dir)
    entry_text = ""
    if profile.entrypoint:
        try:
            entry_text = (workdir / profile.entrypoint).read_text(errors="replace")
        except OSError:
            entry_text = ""
    script_ok = bool(profile.entrypoint) and _runs_server(entry_text)
    hardcoded = profile.hardcoded_port is not None
    fw = profile.framework

    if fw == "django":
        if not profile.entrypoint:
            raise LaunchError("Django app without manage.py: cannot start it")
        manage = str(workdir / profile.entrypoint)
        cwd = (workdir / profile.entrypoint).parent
        return StartPlan(
            command=[python, manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=cwd,
            prepare=[[python, manage, "migrate", "--noinput"]],
            required=[[python, manage, "migrate", "--noinput"]],
            pythonpath=str(cwd),
            description="manage.py migrate, then runserver --noreload",
        )
    # the entry script is the faithful way to start; with a hardcoded port on the host network
    # a framework command on our port is preferred, unless the script sets things up first
    if script_ok and (
        may_hardcode or not hardcoded or not profile.app_object or main_block_does_more(entry_text)
    ):
        return StartPlan(
            command=_script_command(python, workdir, profile.entrypoint or ""),
            cwd=workdir,
            pythonpath=pythonpath,
            honours_port=not hardcoded,
            description=f"the app's own entrypoint {profile.entrypoint}",
        )
    if fw in ("fastapi", "litestar") and profile.app_object:
        module, _, obj = profile.app_object.partition(":")
        factory = obj.endswith("()")
        cmd = [python, "-m", "uvicorn", f"{module}:{obj.rstrip('()')}", "--app-dir", str(app_dir)]
        cmd += ["--factory"] if factory else []
        cmd += ["--host", "127.0.0.1", "--port", str(port)]
        return StartPlan(cmd, workdir, pythonpath=pythonpath, description="uvicorn")
    if fw == "aiohttp" and profile.app_object:
        return aiohttp_plan(profile, workdir, python, port)
    if fw == "flask" and profile.app_object:
        cmd = [python, "-m", "flask", "--app", profile.app_object, "run"]
        cmd += ["--host", "127.0.0.1", "--port", str(port)]
        return StartPlan(cmd, app_dir, pythonpath=pythonpath, description="flask run")
    if profile.entrypoint and profile.entrypoint.endswith(".py"):
        return StartPlan(
            command=_script_command(python, workdir, profile.entrypoint),
            cwd=workdir,
            pythonpath=pythonpath,
            honours_port=profile.hardcoded_port is None,
            description=f"python {profile.entrypoint}",
        )
    raise LaunchError(
        f"don't know how to start this Python app (framework {fw}, no app object or entrypoint "
        "found); check the detected profile"
    )


# aiohttp's own runner for an application object or a factory (sync or async) that no script
# serves: what gunicorn's GunicornWebWorker or `python -m aiohttp.web` would do, on our port
_AIOHTTP_RUN = (
    "import importlib, sys\n"
    "from aiohttp import web\n"
    "module, obj, host, port = sys.argv[1:5]\n"
    "target = getattr(importlib.import_module(module), obj.rstrip('()'))\n"
    "web.run_app(target() if obj.endswith('()') else target, host=host, port=int(port))\n"
)


def aiohttp_plan(profile: AppProfile, workdir: Path, python: str, port: int) -> StartPlan:
    """Serve an aiohttp app whose files never call ``web.run_app``."""
    module, _, obj = (profile.app_object or "").partition(":")
    app_dir = workdir / (profile.app_dir or ".")
    return StartPlan(
        [python, "-c", _AIOHTTP_RUN, module, obj, "127.0.0.1", str(port)],
        app_dir,
        pythonpath=str(app_dir),
        description=f"aiohttp web.run_app({profile.app_object})",
    )


def node_plan(profile: AppProfile, workdir: Path) -> StartPlan:
    """``node <entry>``; the package.json start script when the entry is not plain JS."""
    from harness.runner._node_build import built_node_plan  # it builds on StartPlan

    built = built_node_plan(profile, workdir)
    if built is not None:
        return built
    entry = profile.entrypoint
    hardcoded = profile.hardcoded_port is not None
    start = profile.start_script or ""
    if entry and entry.endswith((".js", ".mjs", ".cjs")):
        return StartPlan(
            ["node", str(workdir / entry)],
            workdir,
            honours_port=not hardcoded,
            description=f"node {entry}",
        )
    if start and not re.search(r"\b(nodemon|--watch)\b", start):
        return StartPlan(
            ["sh", "-c", start],
            workdir,
            honours_port=not hardcoded,
            description=f"package.json start script: {start}",
        )
    if entry and entry.endswith(".ts") and (workdir / "node_modules" / ".bin" / "tsx").exists():
        return StartPlan(
            [str(workdir / "node_modules" / ".bin" / "tsx"), str(workdir / entry)],
            workdir,
            honours_port=not hardcoded,
            description=f"tsx {entry}",
        )
    raise LaunchError(
        f"don't know how to start this Node app (entrypoint {entry!r}, start script "
        f"{shlex.quote(start) if start else 'none'})"
    )


# a settings module reading its allowed hosts from the environment
_HOSTS_VAR = re.compile(
    r"""(?:environ(?:\.get)?|getenv|env(?:\.list)?|config)\s*[(\[]\s*['"](\w*ALLOWED_HOSTS\w*)['"]"""
    r"""([^\n]{0,80})"""
)


def django_env(profile: AppProfile, workdir: Path) -> dict[str, str]:
    """Variables that let a Django app answer on the sandbox's address: the allowed-hosts
    variable its settings read (with DEBUG off, a host not listed gets 400 on every request),
    in the separator the settings split it by."""
    if profile.framework != "django":
        return {}
    env: dict[str, str] = {}
    for rel in profile.source_files:
        if not rel.endswith(".py") or "settings" not in rel:
            continue
        try:
            text = (workdir / rel).read_text(errors="replace")
        except OSError:
            continue
        for m in _HOSTS_VAR.finditer(text):
            spaced = re.search(r"\.split\(\s*(?:['\"] ['\"])?\s*\)", m.group(2))
            env[m.group(1)] = "127.0.0.1 localhost" if spaced else "127.0.0.1,localhost"
    return env
