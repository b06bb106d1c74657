"""The repo's own migrations, as it declares them, run before the app against its private servers.

Chosen in this order, the first that applies: a migration script in package.json (``migrate``,
``db:migrate``, ``migration:run``...), Alembic (``alembic.ini``), Knex (a knexfile), the Sequelize
CLI (``.sequelizerc`` or config + migrations folder), Prisma (``prisma/schema.prisma``), and last
raw SQL files (``migrations/*.sql``, ``schema.sql``, ``init.sql``) fed to the server's own client.
Django's ``manage.py migrate`` is part of its start plan already. Each step runs in the sandbox
with the app's environment; one that fails is written to the app's log with its exit status, so a
start that then fails carries it in its log tail.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from harness.app import AppProfile, read_text
from harness.runner._deps import Installed

NPM_SCRIPTS = (
    "migrate",
    "db:migrate",
    "migration:run",
    "migrations:run",
    "migrate:latest",
    "migrate:up",
    "typeorm:migrate",
    "prisma:migrate",
)
SQL_PLACES = ("migrations", "db/migrations", "sql", "database/migrations")
SQL_FILES = ("schema.sql", "init.sql", "db/schema.sql", "db/init.sql", "database.sql")


def migration_steps(profile: AppProfile, workdir: Path, installed: Installed) -> list[list[str]]:
    """The commands that bring the app's database to its schema (empty when none is declared)."""
    pkg = _package(workdir)
    scripts = pkg.get("scripts") or {}
    deps = {**(pkg.get("dependencies") or {}), **(pkg.get("devDependencies") or {})}
    for name in NPM_SCRIPTS:
        if name in scripts:
            return [["npm", "run", "--silent", name]]
    alembic = next(iter(sorted(workdir.rglob("alembic.ini"))), None)
    if alembic is not None and "node_modules" not in alembic.parts:
        tool = installed.path / "bin" / "alembic"
        return [_in(alembic.parent, [str(tool), "upgrade", "head"])]
    knexfile = [workdir / f"knexfile.{ext}" for ext in ("js", "cjs", "mjs", "ts")]
    if "knex" in deps and any(f.exists() for f in knexfile):
        return [["npx", "--no-install", "knex", "migrate:latest"]]
    sequelize = (workdir / ".sequelizerc").exists() or (workdir / "config" / "config.json").exists()
    if "sequelize-cli" in deps and sequelize:
        return [["npx", "--no-install", "sequelize-cli", "db:migrate"]]
    if "prisma" in deps and (workdir / "prisma" / "schema.prisma").exists():
        migrations = (workdir / "prisma" / "migrations").is_dir()
        verb = ["migrate", "deploy"] if migrations else ["db", "push", "--skip-generate"]
        return [["npx", "--no-install", "prisma", *verb]]
    return _sql_steps(profile, workdir)


def _sql_steps(profile: AppProfile, workdir: Path) -> list[list[str]]:
    files: list[Path] = []
    for place in SQL_PLACES:
        folder = workdir / place
        if folder.is_dir():
            files += sorted(p for p in folder.glob("*.sql") if "down" not in p.stem.lower())
            if files:
                break
    if not files:
        files = [workdir / f for f in SQL_FILES if (workdir / f).is_file()][:1]
    kinds = {s.kind for s in profile.services}
    steps: list[list[str]] = []
    for path in files:
        if not (read_text(path) or "").strip():
            continue
        if "postgres" in kinds:
            steps.append(
                ["psql", "-h", "127.0.0.1", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)]
            )
        elif "mysql" in kinds:
            client = "mariadb -h 127.0.0.1 -P 3306 -u root app"
            steps.append(["sh", "-c", f"{client} < {shlex.quote(str(path))}"])
    return steps


def _in(folder: Path, argv: list[str]) -> list[str]:
    return ["sh", "-c", f"cd {shlex.quote(str(folder))} && exec {shlex.join(argv)}"]


def _package(workdir: Path) -> dict:
    try:
        data = json.loads((workdir / "package.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
