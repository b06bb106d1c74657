"""The repo's own migrations, as it declares them, run before the app against its private servers.

Chosen in this order, the first that applies: a migration script in package.json (``migrate``,
``db:migrate``, ``migration:run``...), Alembic (``alembic.ini``), Knex (a knexfile), the Sequelize
CLI (``.sequelizerc`` or config + migrations folder), Prisma (``prisma/schema.prisma``), and last
raw SQL files (``migrations/*.sql``, ``schema.sql``, ``init.sql``) fed to the server's own client.
Django's ``manage.py migrate`` is part of its start plan already. TypeORM without a script:
its CLI on the repo's DataSource file. Seed steps follow when the README names them. Each step
runs in the sandbox with the app's environment; with database servers a step that fails stops
the start, which then names the step's command and carries its log tail.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path, PurePosixPath

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
TYPEORM_SOURCES = (
    "src/data-source.ts",
    "data-source.ts",
    "src/config/data-source.ts",
    "src/database/data-source.ts",
    "src/db/data-source.ts",
    "src/data-source.js",
    "data-source.js",
)
# a README line that runs a seeder
SEED_LINE = re.compile(r"^.*\bseed\w*\b.*$", re.M | re.I)
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
    if "typeorm" in deps:
        typeorm = _typeorm_step(workdir, scripts)
        if typeorm:
            return [typeorm]
    return _sql_steps(profile, workdir)


def _typeorm_step(workdir: Path, scripts: dict) -> list[str] | None:
    """TypeORM's own CLI on the repo's DataSource file, when no package script runs it: the
    built JavaScript when the build emits it, else the TypeScript through ts-node."""
    source = next((workdir / f for f in TYPEORM_SOURCES if (workdir / f).is_file()), None)
    if source is None or not _declares_migrations(source):
        return None
    rel = source.relative_to(workdir).as_posix()
    if rel.endswith(".ts") and "build" in scripts:
        built = _built_path(workdir, rel)
        if built is not None:
            return ["npx", "--no-install", "typeorm", "migration:run", "-d", built]
    if rel.endswith(".ts"):
        return ["npx", "--no-install", "typeorm-ts-node-commonjs", "migration:run", "-d", rel]
    return ["npx", "--no-install", "typeorm", "migration:run", "-d", rel]


def _declares_migrations(source: Path) -> bool:
    return bool(re.search(r"\bmigrations\s*:", read_text(source) or ""))


def _built_path(workdir: Path, rel: str) -> str | None:
    """Where tsc puts ``rel`` (outDir, rootDir of tsconfig.json), or None when unknown."""
    try:
        text = (workdir / "tsconfig.json").read_text(errors="replace")
    except OSError:
        return None
    out = re.search(r'"outDir"\s*:\s*"([^"]+)"', text)
    if out is None:
        return None
    root = re.search(r'"rootDir"\s*:\s*"([^"]+)"', text)
    inner = PurePosixPath(rel)
    if root is not None:
        base = PurePosixPath(root.group(1).removeprefix("./").rstrip("/") or ".")
        if base != PurePosixPath(".") and not inner.is_relative_to(base):
            return None
        inner = inner.relative_to(base) if base != PurePosixPath(".") else inner
    built = PurePosixPath(out.group(1).removeprefix("./")) / inner.with_suffix(".js")
    return built.as_posix()


def seed_steps(profile: AppProfile, workdir: Path) -> list[list[str]]:
    """Seed commands the README tells a user to run after migrating: package scripts it names
    (``npm run seed``), the Knex and Sequelize seeders, a Django management command or a Python
    seed script. Only what the repo really has is run."""
    names = ("README.md", "README", "README.rst", "readme.md")
    readme = next((read_text(workdir / n) for n in names if (workdir / n).is_file()), None)
    if not readme:
        return []
    pkg = _package(workdir)
    scripts = pkg.get("scripts") or {}
    deps = {**(pkg.get("dependencies") or {}), **(pkg.get("devDependencies") or {})}
    steps: list[list[str]] = []
    for m in SEED_LINE.finditer(readme):
        line = m.group(0)
        npm = re.search(r"\b(?:npm run|yarn|pnpm(?: run)?)\s+([\w:.-]*seed[\w:.-]*)", line)
        if npm and npm.group(1) in scripts:
            steps.append(["npm", "run", "--silent", npm.group(1)])
        elif "knex seed:run" in line and "knex" in deps:
            steps.append(["npx", "--no-install", "knex", "seed:run"])
        elif "db:seed:all" in line and "sequelize-cli" in deps:
            steps.append(["npx", "--no-install", "sequelize-cli", "db:seed:all"])
        elif profile.language == "python":
            py = re.search(r"\bpython3?\s+(manage\.py\s+[\w-]*seed[\w-]*|[\w/]*seed\w*\.py)", line)
            if py and (workdir / py.group(1).split()[0]).is_file():
                steps.append(["python", *py.group(1).split()])
    return [s for i, s in enumerate(steps) if s not in steps[:i]]


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
        path = _up_only(path, workdir)
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


# where goose, sql-migrate and dbmate files start their down section
_DOWN = re.compile(r"^\s*--\s*(?:\+goose\s+down|\+migrate\s+down|migrate:down)\b", re.I | re.M)


def _up_only(path: Path, workdir: Path) -> Path:
    """``path``, or a copy of its up section when one file holds both directions (goose,
    sql-migrate, dbmate): fed whole, its down section would drop what the up one made."""
    text = read_text(path) or ""
    down = _DOWN.search(text)
    if down is None:
        return path
    folder = workdir / ".harness-migrations"
    folder.mkdir(exist_ok=True)
    copy = folder / path.name
    copy.write_text(text[: down.start()])
    return copy
