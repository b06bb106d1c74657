"""Private, throwaway database servers for one app: PostgreSQL, MariaDB (for MySQL), Redis and
MongoDB (FerretDB on SQLite, see ``_mongo.py``).

Each server runs inside the app's own sandbox (its network namespace, as its uid, under its
limits), started by the sandbox's PID 1 before the app and gone with it. Data directories come
from an initialised template built once per machine into the harness cache (a confined step) and
copied into the run's data folder, so a server starts in well under a second. The servers trust
every local connection (PostgreSQL ``trust``, MariaDB ``--skip-grant-tables``): whatever user and
password the app's configuration names is accepted; roles and databases it names are created.

The app is handed its connection settings the way it reads them: its own example environment
(``.env.example``, the compose api service) rewritten to the private instance (host 127.0.0.1,
the server's port, the app's own scheme, user and database name), plus the usual variables
(``DATABASE_URL``, ``POSTGRES_*``, ``DB_*``, ``REDIS_URL``...) where the app reads them.
"""

from __future__ import annotations

import glob
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from harness.app import AppProfile, example_environment, read_text
from harness.runner._deps import cache_dir, install_env, locked
from harness.runner._exec import run_confined
from harness.runner._model import LaunchError
from harness.runner._mongo import ensure_server, missing_mongo, mongo_dump, server_command

PORTS = {"postgres": 5432, "mysql": 3306, "redis": 6379, "mongo": 27017}
HOST_VARS = re.compile(
    r"^(DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|REDIS|CACHE|MONGO|MONGODB)_?(HOST|HOSTNAME)$"
)
PORT_VARS = re.compile(
    r"^(DB|DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|REDIS|CACHE|MONGO|MONGODB)_?PORT$"
)
URL_KINDS = {
    "postgres": re.compile(r"^postgres(ql)?(\+\w+)?$", re.I),
    "mysql": re.compile(r"^(mysql|mariadb)(\+\w+)?$", re.I),
    "redis": re.compile(r"^rediss?$", re.I),
    "mongo": re.compile(r"^mongodb(\+srv)?$", re.I),
}
CONNECTION_VARS = frozenset(
    f"{db}_{what}"
    for db in ("DB", "DATABASE", "POSTGRES", "POSTGRESQL", "PG", "MYSQL", "MARIADB", "SQL")
    for what in ("URL", "URI", "DSN", "CONNECTION_STRING", "CONN")
)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,62}$")


@dataclass
class ServicePlan:
    """One server of one run: how to start it, what to create once it is up, how to dump it."""

    kind: str
    port: int
    command: list[str]
    data_dir: Path | None
    setup: list[list[str]] = field(default_factory=list)
    dump: list[list[str]] = field(default_factory=list)
    readable: list[Path] = field(default_factory=list)  # shown read-only in the sandbox


@dataclass
class Services:
    plans: list[ServicePlan]
    env: dict[str, str]
    hostnames: list[str]
    notes: list[str]


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"/(\d+)/", path)[:1]) or (0,)


def missing_server(kind: str) -> str | None:
    """Why no server of ``kind`` can be started here, or None."""
    if kind == "postgres" and _pg_bin() is None:
        return "PostgreSQL server binaries (Debian package postgresql) are not installed"
    if kind == "mysql" and not (shutil.which("mariadbd") and shutil.which("mariadb-install-db")):
        return "MariaDB server binaries (Debian package mariadb-server) are not installed"
    if kind == "redis" and not shutil.which("redis-server"):
        return "redis-server (Debian package redis-server) is not installed"
    if kind == "mongo":
        return missing_mongo()
    return None


def _template(kind: str, log: Path) -> Path:
    """The cached initialised data directory of ``kind`` (built now if missing)."""
    if kind == "postgres":
        pg = _pg_bin()
        assert pg is not None
        key = f"postgres-{pg.parent.name}"
        build = [str(pg / "initdb"), "-U", "app", "--auth=trust", "--encoding=UTF8"]
        build += ["--no-sync", "--no-instructions", "-D"]
    else:
        key = "mariadb"
        build = ["mariadb-install-db", "--no-defaults", "--basedir=/usr", "--skip-test-db"]
        build += ["--auth-root-authentication-method=normal", "--skip-name-resolve", "--datadir"]
    home = cache_dir() / "services" / key
    with locked(cache_dir() / "locks" / f"service-{key}.lock"):
        if (home / ".ready").exists():
            return home / "data"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        # mariadb-install-db reads only --datadir=PATH; initdb takes -D PATH
        target = str(home / "data")
        argv = [*build, target] if kind == "postgres" else [*build[:-1], f"--datadir={target}"]
        code = run_confined(
            argv,
            cwd=home,
            env=install_env(),
            log=log,
            timeout=300,
            writable=[home],
        )
        if code != 0:
            raise LaunchError(f"initialising a {kind} data directory failed (exit {code})")
        (home / ".ready").write_text("ok")
    return home / "data"


def _server(kind: str, data: Path | None) -> ServicePlan:
    port = PORTS[kind]
    if kind == "postgres":
        pg = _pg_bin()
        assert pg is not None and data is not None
        command = [str(pg / "postgres"), "-D", str(data), "-p", str(port), "-h", "*", "-k", "/tmp"]
        for setting in ("fsync=off", "full_page_writes=off", "synchronous_commit=off"):
            command += ["-c", setting]
        command += ["-c", "shared_buffers=32MB", "-c", "max_connections=60"]
        return ServicePlan(kind, port, command, data)
    if kind == "mysql":
        assert data is not None
        # by its path: /usr/sbin is not on every sandbox's PATH
        server = shutil.which("mariadbd") or "mariadbd"
        command = [server, "--no-defaults", f"--datadir={data}", f"--port={port}"]
        command += ["--bind-address=127.0.0.1", "--socket=/tmp/mysqld.sock", "--skip-grant-tables"]
        command += ["--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=32M"]
        command += [
            "--pid-file=/tmp/mysqld.pid",
            "--tmpdir=/tmp",
            "--innodb-flush-log-at-trx-commit=0",
        ]
        return ServicePlan(kind, port, command, data)
    # "-::1": IPv6 loopback when the namespace has it (a container's often has not)
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "-::1", "--save", ""]
    command += ["--appendonly", "no", "--protected-mode", "no", "--dir", "/tmp"]
    return ServicePlan(kind, port, command, None, dump=[["redis-cli", "-p", str(port), "--scan"]])


def plan_services(
    profile: AppProfile, data_root: Path, log: Path, *, stage: bool = True
) -> Services:
    """The servers of ``profile`` for one run, their data copied under ``data_root``, and the
    environment that points the app at them. Raises LaunchError naming what cannot be had.
    With ``stage=False`` nothing is copied: ``data_root`` is where another runner (the docker
    one, inside its container) puts the template's copy itself."""
    needed = [s.kind for s in profile.services]
    if not needed:
        return Services([], {}, [], [])
    for kind in needed:
        why = missing_server(kind)
        if why:
            raise LaunchError(f"the app needs {kind}: {why}")
    root = Path(profile.root)
    example = example_environment(root)
    source = " ".join(read_text(root / f) or "" for f in profile.source_files[:300])
    env, accounts = _environment(needed, example, source, profile)
    plans: list[ServicePlan] = []
    notes: list[str] = []
    for kind in needed:
        data: Path | None = None
        if kind in ("postgres", "mysql"):
            data = data_root / kind
            if stage:
                shutil.copytree(_template(kind, log), data, symlinks=True)
        mongo = kind == "mongo"
        plan = _mongo_server(data_root / "mongo", log, stage) if mongo else _server(kind, data)
        users, dbs = accounts.get(kind, (set(), set()))
        plan.setup = _setup(kind, users, dbs)
        plan.dump += _dumps(kind, dbs)
        plans.append(plan)
        notes.append(
            f"started a private {kind} server for the app (port {plan.port}"
            + (f"; databases {', '.join(sorted(dbs))}" if dbs else "")
            + ")"
        )
    hostnames = sorted({h for s in profile.services for h in s.hostnames} | set(needed)
                       | {"db", "database", "postgres", "postgresql", "mysql", "mariadb", "redis",
                          "cache", "mongo", "mongodb"})  # fmt: skip
    return Services(plans, env, hostnames, notes)


def _environment(
    needed: list[str], example: dict[str, str], source: str, profile: AppProfile
) -> tuple[dict[str, str], dict[str, tuple[set[str], set[str]]]]:
    """(variables for the app, {kind: (users, databases) to create})."""
    env: dict[str, str] = {}
    accounts: dict[str, tuple[set[str], set[str]]] = {k: (set(), set()) for k in needed}
    for key, value in example.items():
        kind = _url_kind(value)
        dsn = _dsn_kind(value)
        if kind in accounts:
            env[key] = _retarget(value, kind, accounts[kind])
        elif dsn in accounts:
            env[key] = _retarget_dsn(value, dsn, accounts[dsn])
        elif HOST_VARS.match(key):
            env[key] = "127.0.0.1"
        elif PORT_VARS.match(key):
            env[key] = str(PORTS[_kind_of_var(key, needed)])
        elif key not in ("PORT", "HOST", "NODE_ENV"):
            env[key] = value  # the app may need its other settings to start at all
    db_kind = next((k for k in ("postgres", "mysql") if k in needed), None)
    reads = set(re.findall(r"\b([A-Z][A-Z0-9_]{2,})\b", source))
    if db_kind:
        users, dbs = accounts[db_kind]
        # the user and database of the app's own URL, when it has one: the split variables
        # (PGUSER, DB_NAME...) then name the same database its migrations must fill
        url_user, url_db = _url_account(env, db_kind)
        user = _named(env, example, ("POSTGRES_USER", "MYSQL_USER", "DB_USER", "DATABASE_USER",
                                     "DB_USERNAME", "PGUSER"), url_user)  # fmt: skip
        name = _named(env, example, ("POSTGRES_DB", "MYSQL_DATABASE", "DB_NAME", "DATABASE_NAME",
                                     "DB_DATABASE", "PGDATABASE"), url_db)  # fmt: skip
        users.add(user)
        dbs.add(name)
        if "DATABASE_URL" not in env:
            scheme = _scheme(db_kind, profile, source)
            env["DATABASE_URL"] = f"{scheme}://{user}:app@127.0.0.1:{PORTS[db_kind]}/{name}"
        # other names the code reads its connection string from (Go's drivers take a URL for
        # PostgreSQL; go-sql-driver/mysql wants its own user:pw@tcp(host:port)/db form)
        for key in sorted(reads & CONNECTION_VARS):
            if key in env:
                continue
            if db_kind == "mysql" and profile.language == "go":
                env[key] = f"{user}:app@tcp(127.0.0.1:{PORTS['mysql']})/{name}?parseTime=true"
            else:
                env[key] = env["DATABASE_URL"]
        prefix = "POSTGRES" if db_kind == "postgres" else "MYSQL"
        defaults = {
            f"{prefix}_HOST": "127.0.0.1",
            f"{prefix}_PORT": str(PORTS[db_kind]),
            f"{prefix}_USER": user,
            f"{prefix}_PASSWORD": "app",
            f"{prefix}_{'DB' if db_kind == 'postgres' else 'DATABASE'}": name,
            "DB_HOST": "127.0.0.1",
            "DB_PORT": str(PORTS[db_kind]),
            "DB_USER": user,
            "DB_USERNAME": user,
            "DB_PASSWORD": "app",
            "DB_NAME": name,
            "DB_DATABASE": name,
            "DATABASE_HOST": "127.0.0.1",
            "DATABASE_PORT": str(PORTS[db_kind]),
        }
        if db_kind == "postgres":
            defaults |= {
                "PGHOST": "127.0.0.1",
                "PGPORT": "5432",
                "PGUSER": user,
                "PGDATABASE": name,
            }
        for key, value in defaults.items():
            env.setdefault(key, value)
    if "mongo" in needed:
        _mongo_environment(env, example, source, db_kind is None)
    if "redis" in needed:
        for key in ("REDIS_URL", "REDIS_URI", "CACHE_URL", "CELERY_BROKER_URL", "BROKER_URL"):
            if key in reads or key == "REDIS_URL":
                env.setdefault(key, "redis://127.0.0.1:6379/0")
        env.setdefault("REDIS_HOST", "127.0.0.1")
        env.setdefault("REDIS_PORT", "6379")
    return env, accounts


# libpq's key=value form (lib/pq, pgx, psycopg) and go-sql-driver/mysql's user:pass@tcp(h:p)/db
_PG_DSN = re.compile(r"^(?=.*\bdbname=)(?=.*\b(?:host|user)=)\s*\w+=\S*(\s+\w+=\S*)*\s*$")
_MYSQL_DSN = re.compile(r"^(?:(?P<user>[^:@/]*)(?::[^@]*)?@)?tcp\((?P<addr>[^)]*)\)/(?P<db>[^?]*)")


def _dsn_kind(value: str) -> str | None:
    if _PG_DSN.match(value):
        return "postgres"
    if _MYSQL_DSN.match(value):
        return "mysql"
    return None


def _retarget_dsn(value: str, kind: str, account: tuple[set[str], set[str]]) -> str:
    """A DSN that is not a URL, pointed at the private instance; its user and database are
    created like a URL's."""
    if kind == "postgres":
        pairs = dict(re.findall(r"(\w+)=(\S*)", value))
        if NAME.match(pairs.get("user", "")):
            account[0].add(pairs["user"])
        if NAME.match(pairs.get("dbname", "")):
            account[1].add(pairs["dbname"])
        pairs |= {"host": "127.0.0.1", "port": str(PORTS["postgres"])}
        return " ".join(f"{k}={v}" for k, v in pairs.items())
    m = _MYSQL_DSN.match(value)
    assert m is not None
    if NAME.match(m.group("db") or ""):
        account[1].add(m.group("db"))
    start, end = m.span("addr")
    return value[:start] + f"127.0.0.1:{PORTS['mysql']}" + value[end:]


def _url_account(env: dict[str, str], kind: str) -> tuple[str, str]:
    """(user, database) of the first ``kind`` URL or DSN among the app's variables,
    DATABASE_URL first; ("app", "app") when it has none."""
    keys = sorted(env, key=lambda k: k != "DATABASE_URL")
    for key in keys:
        if _dsn_kind(env[key]) == kind == "postgres":
            pairs = dict(re.findall(r"(\w+)=(\S*)", env[key]))
            user, name = pairs.get("user", ""), pairs.get("dbname", "")
            return (user if NAME.match(user) else "app", name if NAME.match(name) else "app")
        if _dsn_kind(env[key]) == kind == "mysql":
            m = _MYSQL_DSN.match(env[key])
            user, name = (m.group("user") or "", m.group("db") or "") if m else ("", "")
            return (user if NAME.match(user) else "app", name if NAME.match(name) else "app")
        if _url_kind(env[key]) != kind:
            continue
        parts = urlsplit(env[key])
        name = parts.path.lstrip("/").split("/")[0]
        user = parts.username or ""
        return (user if NAME.match(user) else "app", name if NAME.match(name) else "app")
    return "app", "app"


def _mongo_server(data: Path, log: Path, stage: bool) -> ServicePlan:
    binary = ensure_server(log)
    if stage:  # else ``data`` is a path inside another runner's container, not on this host
        data.mkdir(parents=True, exist_ok=True)
    plan = ServicePlan("mongo", PORTS["mongo"], server_command(binary, data), data)
    plan.dump = [mongo_dump(data)]
    plan.readable = [binary.parent]
    return plan


def _mongo_environment(
    env: dict[str, str], example: dict[str, str], source: str, owns_database_url: bool
) -> None:
    """MONGO_URI and its spellings, pointing at the private server; the database name is the
    one the app's own example URL names, else ``app``."""
    name = "app"
    for value in example.values():
        if _url_kind(value) == "mongo":
            path = urlsplit(value).path.lstrip("/").split("/")[0]
            name = path if NAME.match(path) else name
            break
    url = f"mongodb://127.0.0.1:{PORTS['mongo']}/{name}"
    for key in ("MONGO_URI", "MONGODB_URI", "MONGO_URL", "MONGODB_URL", "MONGO_DB_URI"):
        env.setdefault(key, url)
    if owns_database_url:  # a SQL server, when there is one, keeps DATABASE_URL
        env.setdefault("DATABASE_URL", url)
    for key in ("MONGO_HOST", "MONGODB_HOST"):
        env.setdefault(key, "127.0.0.1")
    for key in ("MONGO_PORT", "MONGODB_PORT"):
        env.setdefault(key, str(PORTS["mongo"]))
    for key in ("MONGO_DB", "MONGO_DB_NAME", "MONGODB_DB", "MONGO_DATABASE", "DB_NAME"):
        if key in source or key.startswith("MONGO"):
            env.setdefault(key, name)


def _url_kind(value: str) -> str | None:
    scheme = value.split("://", 1)[0] if "://" in value else ""
    return next((k for k, p in URL_KINDS.items() if scheme and p.match(scheme)), None)


def _kind_of_var(key: str, needed: list[str]) -> str:
    if key.startswith(("REDIS", "CACHE")) and "redis" in needed:
        return "redis"
    if key.startswith(("MYSQL", "MARIADB")) and "mysql" in needed:
        return "mysql"
    if key.startswith("MONGO") and "mongo" in needed:
        return "mongo"
    return next((k for k in ("postgres", "mysql", "redis", "mongo") if k in needed), "postgres")


def _retarget(url: str, kind: str, account: tuple[set[str], set[str]]) -> str:
    """The app's own URL, pointed at the private instance: its scheme, user, password and
    database name kept, so its code sees the values it was written for."""
    parts = urlsplit(url)
    if kind == "mongo":
        return _mongo_url(parts)
    user = parts.username or ("" if kind == "redis" else "app")
    password = parts.password or ""
    path = parts.path
    if kind in ("postgres", "mysql"):
        name = path.lstrip("/").split("/")[0] or "app"
        if NAME.match(name):
            account[1].add(name)
        if NAME.match(user):
            account[0].add(user)
        path = "/" + name
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    netloc = f"{auth}127.0.0.1:{PORTS[kind]}"
    return urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


def _mongo_url(parts: SplitResult) -> str:
    """The app's MongoDB URL without credentials (the private server asks for none, and a SCRAM
    handshake it does not speak would fail), TLS, SRV look-ups or a replica set name: plain
    ``mongodb://`` to the private instance, the database name and other options kept."""
    dropped = ("authsource", "authmechanism", "replicaset", "ssl", "tls", "directconnection")
    query = [kv for kv in parts.query.split("&") if kv and kv.split("=")[0].lower() not in dropped]
    netloc = f"127.0.0.1:{PORTS['mongo']}"
    return urlunsplit(("mongodb", netloc, parts.path or "/", "&".join(query), parts.fragment))


def _named(
    env: dict[str, str], example: dict[str, str], keys: tuple[str, ...], default: str
) -> str:
    for key in keys:
        value = env.get(key) or example.get(key)
        if value and NAME.match(value):
            return value
    return default


def _scheme(kind: str, profile: AppProfile, source: str) -> str:
    """The URL scheme the app's database library expects."""
    deps = " ".join([*profile.declared_dependencies, *profile.inferred_dependencies]).lower()
    if kind == "mysql":
        return "mysql+pymysql" if "sqlalchemy" in deps and "pymysql" in deps else "mysql"
    if "sqlalchemy" in deps or "sqlmodel" in deps:
        if "asyncpg" in deps:
            return "postgresql+asyncpg"
        if re.search(r"\bpsycopg\b(?![2-])|psycopg\[", deps) and "psycopg2" not in deps:
            return "postgresql+psycopg"
    return "postgresql"


def _setup(kind: str, users: set[str], dbs: set[str]) -> list[list[str]]:
    """Commands run once the server answers: the roles and databases the app names."""
    steps: list[list[str]] = []
    if kind == "postgres":
        psql = ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "app", "-d", "postgres", "-q"]
        for user in sorted(users - {"app"}):
            steps.append([*psql, "-c", f'CREATE ROLE "{user}" SUPERUSER LOGIN'])
        for db in sorted(dbs - {"postgres"}):
            steps.append([*psql, "-c", f'CREATE DATABASE "{db}"'])
    elif kind == "mysql":
        mysql = ["mariadb", "-h", "127.0.0.1", "-P", "3306", "-u", "root"]
        for db in sorted(dbs):
            steps.append([*mysql, "-e", f"CREATE DATABASE IF NOT EXISTS `{db}`"])
    return steps


def _dumps(kind: str, dbs: set[str]) -> list[list[str]]:
    """Commands that print a database's rows as text (the storage checks search them)."""
    if kind == "postgres":
        base = ["pg_dump", "-h", "127.0.0.1", "-p", "5432", "-U", "app", "--data-only"]
        return [[*base, "--column-inserts", db] for db in sorted(dbs | {"postgres"})]
    if kind == "mysql":
        base = ["mariadb-dump", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "--no-create-info"]
        base += ["--skip-extended-insert", "--complete-insert"]
        return [[*base, db] for db in sorted(dbs)]
    return []
