"""What servers an app needs besides itself: PostgreSQL, MySQL/MariaDB, Redis, MongoDB.

Read from every place a generated project says it: the compose file (service images, the api
service's ``environment``), ``.env.example`` and its siblings, the dependencies and driver imports,
and ORM configuration. The result names each server kind with the evidence, the compose hostnames
it answers to, and the example environment, which the runner rewrites to point at its own private
instances.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from harness.app._files import read_text
from harness.app._model import ServiceKind, ServiceNeed

COMPOSE_FILES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")
ENV_EXAMPLES = (".env.example", ".env.sample", ".env.template", ".env.dist", "example.env", ".env")
IMAGES: dict[ServiceKind, re.Pattern[str]] = {
    "postgres": re.compile(r"(^|/)(postgres|postgis|timescaledb)\b", re.I),
    "mysql": re.compile(r"(^|/)(mysql|mariadb|percona)\b", re.I),
    "redis": re.compile(r"(^|/)(redis|valkey|keydb)\b", re.I),
    "mongo": re.compile(r"(^|/)(mongo|mongodb)\b", re.I),
}
# Driver and ORM names in dependencies or imports.
DRIVERS: dict[ServiceKind, re.Pattern[str]] = {
    "postgres": re.compile(
        r"^(psycopg2?(-binary)?|psycopg\[.*\]|asyncpg|pg|postgres|pg-promise|"
        r"@prisma/adapter-pg|aiopg)$"
    ),
    "mysql": re.compile(r"^(mysql2?|pymysql|mysqlclient|aiomysql|mysql-connector-python|mariadb)$"),
    "redis": re.compile(r"^(redis|ioredis|aioredis|bull|bullmq|rq|celery\[redis\]|connect-redis)$"),
    "mongo": re.compile(r"^(pymongo|motor|mongoose|mongodb|mongoengine|beanie)$"),
}
# Go modules (go.mod requirements), matched on the module path without its version
GO_DRIVERS: dict[ServiceKind, re.Pattern[str]] = {
    "postgres": re.compile(
        r"^(github\.com/lib/pq|github\.com/jackc/pgx(/v\d+)?|gorm\.io/driver/postgres|"
        r"github\.com/go-pg/pg(/v\d+)?|github\.com/uptrace/bun/driver/pgdriver)$"
    ),
    "mysql": re.compile(r"^(github\.com/go-sql-driver/mysql|gorm\.io/driver/mysql)$"),
    "redis": re.compile(
        r"^(github\.com/(redis|go-redis)/go-redis(/v\d+)?|github\.com/go-redis/redis(/v\d+)?|"
        r"github\.com/gomodule/redigo)$"
    ),
    "mongo": re.compile(r"^go\.mongodb\.org/mongo-driver(/v\d+)?$"),
}
URL_SCHEMES: dict[ServiceKind, re.Pattern[str]] = {
    "postgres": re.compile(r"^postgres(ql)?(\+\w+)?://", re.I),
    "mysql": re.compile(r"^(mysql|mariadb)(\+\w+)?://", re.I),
    "redis": re.compile(r"^rediss?://", re.I),
    "mongo": re.compile(r"^mongodb(\+srv)?://", re.I),
}
# ORM configuration that names the dialect in code.
DIALECT = re.compile(
    r"""(?:type|dialect|client)\s*[:=]\s*['"](postgres(?:ql)?|pg|mysql2?|mariadb|mongodb)['"]""",
    re.I,
)


def _dep_name(spec: str) -> str:
    return re.split(r"[<>=!~;@ ]", spec.strip(), maxsplit=1)[0].lower() if spec.strip() else ""


def read_env_example(root: Path) -> dict[str, str]:
    """KEY=VALUE pairs of the first example environment file found (quotes removed)."""
    for name in ENV_EXAMPLES:
        text = read_text(root / name)
        if not text:
            continue
        out: dict[str, str] = {}
        for line in text.splitlines():
            m = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", line)
            if m:
                value = m.group(2).split(" #")[0].strip().strip("'\"")
                out[m.group(1)] = value
        return out
    return {}


def _compose(root: Path) -> tuple[dict[ServiceKind, list[str]], dict[str, str], str | None]:
    """({kind: compose service names}, the api service's environment, the compose file)."""
    for base in (root, root.parent):
        for name in COMPOSE_FILES:
            text = read_text(base / name)
            if not text:
                continue
            try:
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError:
                return {}, {}, name
            services = data.get("services") if isinstance(data, dict) else None
            if not isinstance(services, dict):
                return {}, {}, name
            kinds: dict[ServiceKind, list[str]] = {}
            env: dict[str, str] = {}
            for svc_name, svc in services.items():
                if not isinstance(svc, dict):
                    continue
                image = str(svc.get("image") or "")
                for kind, pattern in IMAGES.items():
                    if pattern.search(image):
                        kinds.setdefault(kind, []).append(str(svc_name))
                if "build" in svc and not env:
                    env = _compose_env(svc.get("environment"))
            return kinds, env, name
    return {}, {}, None


def _compose_env(raw: object) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            out[str(k)] = "" if v is None else str(v)
    elif isinstance(raw, list):
        for item in raw:
            key, _, value = str(item).partition("=")
            out[key] = value
    # ${VAR:-default} -> default: what the compose file would hand the app without a .env
    return {k: re.sub(r"\$\{[A-Z0-9_]+:?-([^}]*)\}", r"\1", v) for k, v in out.items()}


def detect_services(
    root: Path, source_files: list[str], dependencies: list[str]
) -> list[ServiceNeed]:
    """The servers the app at ``root`` needs, each with the evidence that says so."""
    evidence: dict[ServiceKind, list[str]] = {}
    hostnames: dict[ServiceKind, list[str]] = {}

    def found(kind: ServiceKind, why: str) -> None:
        if why not in evidence.setdefault(kind, []):
            evidence[kind].append(why)

    kinds, compose_env, compose_name = _compose(root)
    for kind, names in kinds.items():
        hostnames[kind] = names
        found(kind, f"{compose_name}: service {', '.join(names)}")
    example = read_env_example(root)
    env = {**example, **compose_env}
    for key, value in env.items():
        for kind, pattern in URL_SCHEMES.items():
            if pattern.match(value):
                found(kind, f"environment: {key} is a {kind} URL")
    for spec in dependencies:
        name = _dep_name(spec)
        for kind, pattern in DRIVERS.items():
            if pattern.match(name):
                found(kind, f"dependency {name}")
        module = spec.strip().split(" ", 1)[0].lower()  # "github.com/lib/pq v1.10.9"
        for kind, pattern in GO_DRIVERS.items():
            if "/" in module and pattern.match(module):
                found(kind, f"Go module {module}")
    for rel in source_files[:300]:
        text = read_text(root / rel) or ""
        for m in DIALECT.finditer(text):
            word = m.group(1).lower()
            kind: ServiceKind = (
                "postgres" if word.startswith(("postgres", "pg")) else
                "mongo" if word == "mongodb" else "mysql"
            )  # fmt: skip
            found(kind, f"{rel}: ORM dialect {word}")
    return [
        ServiceNeed(kind=k, evidence=evidence[k], hostnames=hostnames.get(k, []))
        for k in ("postgres", "mysql", "redis", "mongo")
        if k in evidence
    ]


def example_environment(root: Path) -> dict[str, str]:
    """The app's example environment: the compose api service's over the example file's."""
    _kinds, compose_env, _name = _compose(root)
    return {**read_env_example(root), **compose_env}
