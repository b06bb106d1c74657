"""Image plans from profiles: dependency lists and launch commands (no engine needed)."""

from __future__ import annotations

import json
from pathlib import Path

from harness.app._model import AppProfile
from harness.runner._docker_deps import _requirement_lines
from harness.runner._images import app_dockerfile, plan_image


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_bare_python_app_infers_distributions_from_imports(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "app.py": "import os, sqlite3\nimport jwt\nfrom flask import Flask\nimport models\n"
            "from passlib.hash import bcrypt\nif __name__ == '__main__':\n    pass\n",
            "models.py": "import dataclasses\n",
        },
    )
    plan = plan_image(AppProfile(root=str(repo), language="python", framework="flask"))
    assert plan.requirements == ["flask", "passlib", "PyJWT"]
    assert plan.inferred_dependencies == plan.requirements
    assert plan.command == "exec python app.py"
    assert any("inferred from imports" in n for n in plan.notes)


def test_detector_inference_wins_over_own(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"main.py": "import fastapi\n"})
    prof = AppProfile(
        root=str(repo),
        language="python",
        framework="fastapi",
        entrypoint="main.py",
        app_object="main:app",
        inferred_dependencies=["fastapi"],
    )
    plan = plan_image(prof)
    assert plan.requirements == ["fastapi", "uvicorn"]  # ASGI apps need a server
    # The local runner's planner decides the command; its host paths are moved to /app.
    assert plan.command.startswith("cd /app && ")
    assert "exec python -m uvicorn main:app --app-dir /app" in plan.command
    assert "--port 8000" in plan.command and str(repo) not in plan.command
    assert plan.notes == []


def test_requirement_files_are_flattened_without_local_installs(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "requirements.txt": "# pinned\nflask==3.0.3  # web\n-r base.txt\n-e .\n./vendor/x\n",
            "base.txt": "PyJWT>=2\n",
        },
    )
    prof = AppProfile(root=str(repo), language="python", framework="flask", entrypoint="app.py")
    plan = plan_image(prof)
    assert _requirement_lines(plan) == ["flask==3.0.3", "PyJWT>=2"]


def test_django_runs_migrations_then_the_server(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"site/manage.py": "import django\n"})
    plan = plan_image(AppProfile(root=str(repo), language="python", framework="django"))
    assert plan.command.startswith("python site/manage.py migrate --noinput && exec python")
    assert '"0.0.0.0:$PORT" --noreload' in plan.command


def test_bare_node_app_gets_a_generated_package_json(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "server.js": "const express = require('express');\nconst fs = require('fs');\n"
            "const jwt = require(\"jsonwebtoken\");\nimport x from '@scope/pkg/sub';\n"
            "const p = require('node:path');\nconst m = require('./models');\n",
        },
    )
    plan = plan_image(AppProfile(root=str(repo), language="javascript", framework="express"))
    pkg = json.loads(plan.package_files["package.json"])
    assert sorted(pkg["dependencies"]) == ["@scope/pkg", "express", "jsonwebtoken"]
    assert plan.command == "exec node server.js"


def test_node_start_script_is_used_when_it_is_plain_node(tmp_path: Path) -> None:
    pkg = {"scripts": {"start": "node src/index.js"}, "dependencies": {"express": "^4"}}
    repo = _repo(tmp_path, {"package.json": json.dumps(pkg), "src/index.js": ""})
    plan = plan_image(AppProfile(root=str(repo), language="javascript", framework="express"))
    assert plan.command == "exec node src/index.js"
    assert plan.inferred_dependencies == []


def test_app_dockerfile_starts_relay_then_execs_the_app(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"app.py": "print(1)\n"})
    plan = plan_image(AppProfile(root=str(repo), language="python", hardcoded_port=5000))
    text = app_dockerfile(plan, "agent-harness/deps:py-x")
    assert "FROM agent-harness/deps:py-x" in text and "ENV PORT=5000" in text
    cmd = json.loads(text.split("CMD ", 1)[1])
    assert cmd[:2] == ["/bin/sh", "-c"]
    assert cmd[2].endswith("relay.py & exec python app.py")
