"""Own checks on repo-level facts: tests, README, migrations, dependency pinning, file-path
headers and a frontend API client."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from harness.catalogue import CheckSpec, failed, not_applicable, note, passed
from harness.scorecard._model import CheckResult
from harness.static._declare import requires_fact, static_check
from harness.static._evaluate import fail_with, finding_at
from harness.static._model import Location, StaticContext

_NO_TEST_SCRIPT = re.compile(r"no test specified", re.I)


def _read(ctx: StaticContext, rel: str) -> str:
    try:
        return (ctx.repo / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _package_json(ctx: StaticContext) -> tuple[str, dict] | None:
    candidates = sorted(
        (p for p in ctx.all_files if PurePosixPath(p).name == "package.json"),
        key=lambda p: p.count("/"),
    )
    for rel in candidates:
        try:
            return rel, json.loads(_read(ctx, rel))
        except ValueError:
            continue
    return None


@static_check(
    "tests.present.suite",
    title="the repo ships a test suite (tests/, test_*.py, *.test.js, a real npm test script)",
)
def tests_present(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no tests/, test_*.py, *.test.js/*.spec.ts, or only the npm placeholder test script.

    Passes: tests exist (running them is the live side)."""
    evidence = []
    if ctx.test_files:
        evidence.append(
            note(
                f"{len(ctx.test_files)} test file(s): " + ", ".join(ctx.test_files[:8]),
                files=ctx.test_files[:20],
            )
        )
    pkg = _package_json(ctx)
    script = (pkg[1].get("scripts") or {}).get("test") if pkg else None
    if script and not _NO_TEST_SCRIPT.search(script):
        evidence.append(note(f"{pkg[0]} test script: {script}"))  # type: ignore[index]
    if evidence:
        return passed(
            spec, "a test suite exists (whether it passes is decided by running it)", *evidence
        )
    return failed(
        spec,
        "no tests: no tests/ directory, test_*.py, *.test.js/*.spec.ts or npm test script",
        note(
            f"searched {len(ctx.all_files)} file(s) and package.json scripts",
            files=len(ctx.all_files),
        ),
    )


_README = re.compile(r"(?i)^(docs/)?readme(\.(md|rst|txt|markdown))?$")
_README_PARTS = {
    # container builds and make targets install too: a README that says `docker compose up
    # --build` or `make install` has told the reader how to get the dependencies
    "install steps": (
        r"(?i)pip3? install|npm (install|i|ci)\b|yarn( install)?\b|poetry install|uv (sync|"
        r"pip)|pnpm install|requirements\.txt|pipenv install|bun install|conda (env create|"
        r"install)|docker[- ]compose (up|build)|docker build|make (install|setup|deps|build|"
        r"init|bootstrap)\b|go (mod (download|tidy)|build|get|install)\b|cargo build|"
        r"bundle install|composer install"
    ),
    # the command that starts the server, in any common form, fenced or inline
    "run steps": (
        r"(?i)uvicorn|hypercorn|daphne|granian|gunicorn|"
        r"flask(\s+--?[\w-]+([ =](?!run\b)[\w:./-]+)?)*\s+run\b|fastapi (dev|run)|"
        r"python3?(\.\d+)? [\w/.-]+\.py|"
        r"python3?(\.\d+)? -m (?!(pip|venv|virtualenv|pytest|unittest|ensurepip)\b)[\w.]+|"
        r"manage\.py runserver|uv run|"
        r"\b(npm|pnpm|yarn|bun) (run )?(start|dev|serve|watch)\b|"
        r"\bnode (\.(?=[\s`'\"]|$)|[\w/.-]+\.[cm]?[jt]s\b)|nodemon|ts-node|"
        r"\btsx (watch )?[\w/.-]+\.[cm]?ts\b|deno run|"
        r"pm2 start|"
        r"docker[- ]compose up|docker run\b|make (run|dev|start|serve|up)\b|go run\b|"
        r"cargo run|dotnet run|(\./|\b(ba)?sh )[\w/.-]+\.sh\b"
    ),
    "environment variables": (
        r"(?im)environment variable|\.env\b|export [A-Z_]+=|\b[A-Z][A-Z0-9_]{2,}=|env var|"
        r"\bconfig(uration)?\b|^\s*#{1,6}\s*(environment|settings)\b|"
        r"(?-i:`[A-Z][A-Z0-9]*_[A-Z0-9_]+`)|process\.env\.|os\.(environ|getenv)"
    ),
    "example requests": (
        r"(?i)\bcurl |\bhttpie\b|\bhttp (GET|POST|PUT|DELETE)\b|\b(GET|POST|PUT|PATCH|"
        r"DELETE) /"
    ),
}


@static_check(
    "docs.setup.readme",
    title="a README documents install and run steps, environment variables and example requests",
)
def readme(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no README, or one lacking install steps, run steps, env vars or example requests
    (option require).

    Passes: all four present."""
    opts = ctx.options_for(spec.id, {"require": list(_README_PARTS)})
    files = [p for p in ctx.all_files if _README.match(p)]
    if not files:
        return failed(
            spec,
            "no README",
            note("looked for README, README.md, README.rst at the root and in docs/"),
        )
    text = "\n".join(_read(ctx, p) for p in files)
    present = {part: bool(re.search(rx, text)) for part, rx in _README_PARTS.items()}
    missing = [p for p in opts["require"] if not present.get(p)]
    summary = note(
        f"{', '.join(files)}: "
        + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in present.items()),
        parts=present,
    )
    if missing:
        return failed(spec, f"the README lacks {', '.join(missing)}", summary)
    return passed(spec, "the README covers setup, configuration and example requests", summary)


@static_check(
    "db.migrations.rollback",
    title="schema changes come as migrations that can be rolled back",
)
@requires_fact("schema", "sql", missing="no database schema found")
def migrations(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: schema created at startup (create_all / CREATE TABLE), migrations without
    downgrade/down, prisma migrations.

    Passes: Django migrations, alembic with downgrade(), knex/sequelize with down, *.down.sql."""
    files = ctx.all_files
    alembic = [p for p in files if re.search(r"(^|/)(alembic|migrations)/versions/[^/]+\.py$", p)]
    django = [p for p in files if re.search(r"(^|/)migrations/\d{4}_[^/]+\.py$", p)]
    js = [p for p in files if re.search(r"(^|/)migrations?/[^/]+\.[cm]?[jt]s$", p)]
    prisma = [p for p in files if re.search(r"(^|/)prisma/migrations/", p)]
    sql = [p for p in files if re.search(r"(^|/)migrations?/.+\.sql$", p)]
    if django:
        return passed(
            spec, "Django migrations (reversible by the framework)", note(", ".join(django[:5]))
        )
    if alembic:
        empty = [
            p
            for p in alembic
            if re.search(
                r"def downgrade\(\)[^:]*:\s*(\n\s*(#.*|\"\"\"[^\"]*\"\"\"))*\n\s*pass\b",
                _read(ctx, p),
            )
        ]
        with_down = [p for p in alembic if "def downgrade" in _read(ctx, p)]
        if with_down and not empty:
            return passed(
                spec, "Alembic migrations with downgrade()", note(", ".join(with_down[:5]))
            )
        return failed(
            spec,
            "Alembic migrations without working downgrade()",
            note(", ".join((empty or alembic)[:5])),
        )
    if js:
        down = [
            p
            for p in js
            if re.search(
                r"exports\.down|\bdown\s*[:(]|async\s+down\b|function\s+down\b", _read(ctx, p)
            )
        ]
        if len(down) == len(js):
            return passed(spec, "migration files with down/rollback", note(", ".join(js[:5])))
        return failed(
            spec,
            "migration files without down/rollback",
            note(", ".join(sorted(set(js) - set(down))[:5])),
        )
    if sql:
        down = [p for p in sql if re.search(r"(?i)down|rollback|revert", p)]
        if down:
            return passed(spec, "SQL migrations with down scripts", note(", ".join(sql[:6])))
        return failed(
            spec, "SQL migrations without down/rollback scripts", note(", ".join(sql[:6]))
        )
    if prisma:
        return failed(
            spec, "prisma migrations have no rollback (down) scripts", note(", ".join(prisma[:3]))
        )
    startup = ctx.search(r"(?i)create_all\(|CREATE TABLE|\.sync\(\s*(\{[^}]*\})?\s*\)")
    return (
        fail_with(
            spec,
            "no migrations: the schema is created at startup",
            [
                finding_at(spec, loc, "schema created at startup instead of by a migration", ctx)
                for loc in startup[:10]
            ],
        )
        if startup
        else failed(
            spec,
            "no migrations folder or tool found",
            note("looked for alembic, Django, knex/sequelize, prisma and SQL migration folders"),
        )
    )


_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9_.\[\],-]+)\s*(.*)$")
_LOCKS = (
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "npm-shrinkwrap.json",
    "bun.lockb",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
)


@static_check(
    "deps.no-vulnerable.pinned",
    title="dependencies are declared and pinned (== pins or a lockfile)",
)
def pinned(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no manifest at all; requirements lines without ==; package.json ranges without a
    lockfile.

    Passes: == pins or a lockfile (advisories: no offline data, pinning only)."""
    names = {PurePosixPath(p).name: p for p in ctx.all_files}
    locks = [names[n] for n in _LOCKS if n in names]
    evidence = [note("no offline advisory data is bundled: this check verifies pinning only")]
    unpinned: list[Location] = []
    declared = False
    for rel in [p for p in ctx.all_files if re.search(r"(^|/)requirements[\w.-]*\.txt$", p)]:
        declared = True
        for i, line in enumerate(_read(ctx, rel).splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            if "==" not in line and "@" not in line and "--hash" not in line:
                unpinned.append(Location(rel, i, line))
    pkg = _package_json(ctx)
    if pkg:
        declared = True
        if not any(
            lock.endswith(
                (
                    "package-lock.json",
                    "yarn.lock",
                    "pnpm-lock.yaml",
                    "npm-shrinkwrap.json",
                    "bun.lockb",
                )
            )
            for lock in locks
        ):
            for section in ("dependencies", "devDependencies"):
                for dep, version in (pkg[1].get(section) or {}).items():
                    if not re.match(r"^\d+\.\d+\.\d+", str(version)):
                        unpinned.append(Location(pkg[0], 1, f"{dep}: {version}"))
    if any(n in names for n in ("pyproject.toml", "Pipfile", "setup.py")):
        declared = True
    if not declared:
        return failed(
            spec,
            (
                "no dependency manifest (requirements.txt, pyproject.toml, package.json): "
                "versions are not pinned"
            ),
            *evidence,
        )
    if unpinned:
        return fail_with(
            spec,
            "dependencies without pinned versions or a lockfile",
            [finding_at(spec, loc, f"unpinned dependency: {loc.text}") for loc in unpinned],
        )
    if locks:
        evidence.append(note("lockfiles: " + ", ".join(locks)))
    return passed(spec, "dependencies are pinned", *evidence)


_COMMENT = re.compile(r"^\s*(#|//|/\*|\*|<!--|\"\"\"|''')\s*(.*)$")


@static_check(
    "code.file-header.path-comment",
    title="each source file starts with a comment naming its path",
    min_ratio=1.0,
)
def file_header(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a source file whose first line (after a shebang) is not a comment naming its path or
    file name.

    Passes: every file has one (option min_ratio, default 1.0)."""
    opts = ctx.options_for(spec.id, spec.options)
    files = [f for f in ctx.sources if f.text.strip()]
    if not files:
        return not_applicable(spec, "no source files")
    bad = []
    for f in files:
        lines = [ln for ln in f.lines if ln.strip()]
        first = lines[0] if lines else ""
        if first.startswith("#!") and len(lines) > 1:
            first = lines[1]
        m = _COMMENT.match(first)
        name = PurePosixPath(f.path).name
        if not (m and (f.path in m.group(2) or name in m.group(2))):
            bad.append(
                finding_at(
                    spec,
                    Location(f.path, 1, first.strip()[:120]),
                    f"{f.path} does not start with a path comment",
                )
            )
    ratio = 1 - len(bad) / len(files)
    if ratio < opts["min_ratio"]:
        return fail_with(
            spec, f"{len(bad)} of {len(files)} source files lack a path header comment", bad
        )
    return passed(
        spec,
        f"{len(files) - len(bad)} of {len(files)} source files start with a path comment",
        note("first lines checked", files=len(files)),
    )


_CLIENT_PATH = re.compile(
    r"(?i)(^|/)(frontend|client|web|ui|public|static|src/(api|services|lib))/|(^|/)(api|"
    r"apiClient|api-client|client|http|request)s?\.(js|ts|jsx|tsx|mjs)$"
)
_CLIENT_CODE = re.compile(r"\bfetch\(|\baxios\b")


@static_check(
    "frontend.client.module",
    title="a frontend API client module (fetch/axios wrapper) is provided",
)
def frontend_client(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no fetch/axios module under frontend/, client/, src/api, or named api/client.

    Passes: such a module."""
    hits = [
        f
        for f in ctx.sources_in("javascript", "typescript")
        if _CLIENT_PATH.search(f.path) and _CLIENT_CODE.search(f.text)
    ]
    if hits:
        return passed(
            spec,
            "frontend API client found",
            note(", ".join(f.path for f in hits[:5]), files=[f.path for f in hits[:10]]),
        )
    js = ctx.sources_in("javascript", "typescript")
    return failed(
        spec,
        (
            "no frontend API client module (a fetch/axios wrapper under frontend/, client/, "
            "src/api...)"
        ),
        note(
            f"searched {len(js)} JavaScript/TypeScript file(s) for fetch/axios client modules",
            files=[f.path for f in js[:10]],
        ),
    )
