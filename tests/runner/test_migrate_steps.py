"""What the runner adds to a repo's own start: schema and seed steps it declares, the Django
hosts variable; read from its files (run live by
tests/services/test_stacks_live.py)."""

from __future__ import annotations

import json
from pathlib import Path

from harness.app import detect_app
from harness.runner._command import django_env
from harness.runner._deps import Installed
from harness.runner._migrate import migration_steps, seed_steps

BUILT, SOURCE = "build/data-source.js", "src/data-source.ts"
NO_ENV = Installed(Path("/nonexistent"), "k", False, 0.0, [])
DATA_SOURCE = """
import { DataSource } from 'typeorm';
export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [__dirname + '/**/*.entity{.ts,.js}'],
  migrations: [__dirname + '/migrations/*{.ts,.js}'],
});
"""


def _repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _pkg(scripts: dict[str, str], **deps: str) -> str:
    return json.dumps({"name": "api", "scripts": scripts, "dependencies": deps})


def test_typeorm_without_a_script_runs_its_cli_on_the_built_data_source(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "package.json": _pkg({"build": "tsc", "start": "node build/main.js"}, typeorm="0.3"),
            "tsconfig.json": '{"compilerOptions": {"outDir": "./build", "rootDir": "./src"}}',
            "src/data-source.ts": DATA_SOURCE,
            "src/main.ts": "import 'reflect-metadata';\n",
        },
    )
    steps = migration_steps(detect_app(repo), repo, NO_ENV)
    assert steps == [
        ["npx", "--no-install", "typeorm", "migration:run", "-d", "build/data-source.js"]
    ]


def test_typeorm_without_a_build_runs_through_ts_node(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "package.json": _pkg({"start": "ts-node src/main.ts"}, typeorm="0.3"),
            "src/data-source.ts": DATA_SOURCE,
            "src/main.ts": "import 'reflect-metadata';\n",
        },
    )
    steps = migration_steps(detect_app(repo), repo, NO_ENV)
    assert steps == [
        [
            "npx",
            "--no-install",
            "typeorm-ts-node-commonjs",
            "migration:run",
            "-d",
            "src/data-source.ts",
        ]
    ]
    # a DataSource with no migrations is left alone (synchronize, or nothing to run)
    (repo / "src" / "data-source.ts").write_text(DATA_SOURCE.replace("migrations:", "subscribers:"))
    assert migration_steps(detect_app(repo), repo, NO_ENV) == []


def test_a_script_the_repo_declares_wins(tmp_path: Path) -> None:
    scripts = {"migration:run": "typeorm-ts-node-commonjs migration:run -d src/data-source.ts"}
    repo = _repo(
        tmp_path,
        {"package.json": _pkg(scripts, typeorm="0.3"), "src/data-source.ts": DATA_SOURCE},
    )
    assert migration_steps(detect_app(repo), repo, NO_ENV) == [
        ["npm", "run", "--silent", "migration:run"]
    ]


SCRIPTS = {"migrate": "knex migrate:latest", "db:seed": "node seed.js"}


def test_seed_steps_are_the_ones_the_readme_names_and_the_repo_has(tmp_path: Path) -> None:
    readme = (
        "## Setup\n\n    npm install\n    npm run migrate\n    npm run db:seed   # demo data\n"
        "    npx knex seed:run\n\nDo not run `npm run seed:prod` (not in package.json).\n"
    )
    repo = _repo(
        tmp_path,
        {
            "package.json": _pkg(SCRIPTS, express="4", knex="3"),
            "README.md": readme,
            "server.js": "require('express')().listen(3000)\n",
        },
    )
    assert seed_steps(detect_app(repo), repo) == [
        ["npm", "run", "--silent", "db:seed"],
        ["npx", "--no-install", "knex", "seed:run"],
    ]
    (repo / "README.md").write_text("## Setup\n\n    npm install\n    npm start\n")
    assert seed_steps(detect_app(repo), repo) == []


def test_a_python_seed_script_named_in_the_readme(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "scripts/seed_db.py": "print('seeding')\n",
            "README.md": "Run `python scripts/seed_db.py` once, then `python seed_missing.py`.\n",
        },
    )
    assert seed_steps(detect_app(repo), repo) == [["python", "scripts/seed_db.py"]]


def test_django_allowed_hosts_from_the_environment_admit_the_sandbox(tmp_path: Path) -> None:
    settings = (
        "import os\nROOT_URLCONF = 'site.urls'\nDEBUG = False\n"
        "ALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS', 'api.example.com').split(',')\n"
        "INTERNAL = os.environ.get('INTERNAL_ALLOWED_HOSTS', '').split()\n"
    )
    repo = _repo(
        tmp_path,
        {
            "requirements.txt": "Django==5.0\n",
            "manage.py": "import django\nexecute_from_command_line = None\n",
            "site/__init__.py": "",
            "site/settings.py": settings,
            "site/urls.py": "urlpatterns = []\n",
        },
    )
    profile = detect_app(repo)
    assert profile.framework == "django"
    assert django_env(profile, repo) == {
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "INTERNAL_ALLOWED_HOSTS": "127.0.0.1 localhost",
    }


def test_a_file_with_both_directions_is_fed_its_up_section_only(tmp_path: Path) -> None:
    goose = (
        "-- +goose Up\nCREATE TABLE notes (id SERIAL PRIMARY KEY);\n\n"
        "-- +goose Down\nDROP TABLE notes;\n"
    )
    repo = _repo(
        tmp_path,
        {
            "go.mod": "module example.com/api\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
            "main.go": 'package main\n\nimport _ "github.com/lib/pq"\n\nfunc main() {}\n',
            ".env.example": "DATABASE_URL=postgres://api:api@localhost:5432/api\n",
            "migrations/00001_notes.sql": goose,
            "migrations/00002_tags.sql": "CREATE TABLE tags (id SERIAL PRIMARY KEY);\n",
        },
    )
    profile = detect_app(repo)
    assert [s.kind for s in profile.services] == ["postgres"]
    steps = migration_steps(profile, repo, NO_ENV)
    fed = [Path(step[-1]) for step in steps]
    assert [f.name for f in fed] == ["00001_notes.sql", "00002_tags.sql"]
    first = fed[0].read_text()
    assert "CREATE TABLE notes" in first and "DROP TABLE" not in first
    assert fed[0] != repo / "migrations" / "00001_notes.sql"  # a copy; the repo is untouched
    assert fed[1] == repo / "migrations" / "00002_tags.sql"
