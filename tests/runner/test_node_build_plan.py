"""Which command starts a built Node app, and the build step before it."""

from __future__ import annotations

import json
from pathlib import Path

from harness.app import AppProfile
from harness.runner._command import node_plan


def app(tmp: Path, scripts: dict[str, str], **files: str) -> tuple[AppProfile, Path]:
    (tmp / "package.json").write_text(json.dumps({"scripts": scripts}))
    (tmp / "tsconfig.json").write_text("{}")
    for name, text in files.items():
        (tmp / name).write_text(text)
    profile = AppProfile(root=str(tmp), language="typescript", entrypoint="src/main.ts")
    return profile, tmp


def test_start_prod_after_the_build(tmp_path: Path) -> None:
    profile, wd = app(
        tmp_path,
        {"build": "nest build", "start": "nest start", "start:prod": "node dist/main"},
    )
    plan = node_plan(profile, wd)
    assert plan.prepare == [["npm", "run", "--silent", "build"]]
    assert plan.command == ["npm", "run", "--silent", "start:prod"]


def test_watchers_and_source_runners_are_passed_over_for_the_procfile(tmp_path: Path) -> None:
    profile, wd = app(
        tmp_path,
        {"build": "tsc", "start": "nodemon src/main.ts", "start:prod": "ts-node src/main.ts"},
        Procfile="web: node dist/server.js\n",
    )
    plan = node_plan(profile, wd)
    assert plan.command == ["sh", "-c", "node dist/server.js"]
    assert "Procfile" in plan.description


def test_the_dockerfile_cmd_when_nothing_else_says(tmp_path: Path) -> None:
    profile, wd = app(
        tmp_path,
        {"build": "tsc -p ."},
        Dockerfile='FROM node:20\nCMD ["node", "build/index.js"]\n',
    )
    assert node_plan(profile, wd).command == ["sh", "-c", "node build/index.js"]


def test_no_build_script_keeps_the_plain_start(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"start": "node server.js"}}))
    (tmp_path / "server.js").write_text("")
    profile = AppProfile(root=str(tmp_path), language="javascript", entrypoint="server.js")
    plan = node_plan(profile, tmp_path)
    assert plan.prepare == [] and plan.command == ["node", str(tmp_path / "server.js")]
