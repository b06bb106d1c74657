"""The MongoDB-compatible server the harness starts for Mongo-backed apps: FerretDB on SQLite.

No MongoDB server package is served by the registries this machine reaches (Debian dropped
``mongodb``; npm's ``mongodb-memory-server`` downloads a binary from the vendor at run time).
FerretDB speaks the MongoDB wire protocol, is a Go module (so the Go module proxy serves it), and
its v1 line has a SQLite backend: no PostgreSQL behind it, one file per database in a folder.
It is built once per machine into the harness cache (a confined install step: the module proxy
for the download, only the cache entry writable) and the binary is reused by every run.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from harness.runner._deps import cache_dir, locked
from harness.runner._exec import run_confined
from harness.runner._go import go_binary, go_env
from harness.runner._model import LaunchError

MODULE = "github.com/FerretDB/FerretDB"
VERSION = "v1.24.2"
PORT = 27017


def _escaped(module: str) -> str:
    # the module cache spells upper-case letters as "!" + lower case
    return "".join(f"!{c.lower()}" if c.isupper() else c for c in module)


def entry() -> Path:
    return cache_dir() / "tools" / f"ferretdb-{VERSION}"


def server_binary() -> Path | None:
    """The built server, or None when it has not been built on this machine."""
    path = entry() / "bin" / "ferretdb"
    return path if (entry() / ".ready").exists() and path.is_file() else None


def missing_mongo() -> str | None:
    """Why no MongoDB-compatible server can be had here, or None (built or buildable)."""
    if server_binary() is not None or go_binary() is not None:
        return None
    return (
        f"the MongoDB-compatible server (FerretDB {VERSION}, a Go module) is not built and no Go "
        "toolchain is installed to build it (scripts/setup.sh builds it where Go is present)"
    )


def ensure_server(log: Path) -> Path:
    """The server binary, built now if this machine has none (a few minutes, once)."""
    found = server_binary()
    if found is not None:
        return found
    go = go_binary()
    if go is None:
        raise LaunchError(f"the app needs mongo: {missing_mongo()}")
    home = entry()
    with locked(cache_dir() / "locks" / f"ferretdb-{VERSION}.lock"):
        if server_binary() is not None:
            return home / "bin" / "ferretdb"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        env = go_env(home)
        env["CGO_ENABLED"] = "0"  # the SQLite backend is pure Go
        t0 = time.monotonic()
        code = run_confined(
            [go, "mod", "download", f"{MODULE}@{VERSION}"],
            cwd=home, env=env, log=log, timeout=900, writable=[home],
        )  # fmt: skip
        source = home / "mod" / f"{_escaped(MODULE)}@{VERSION}"
        if code != 0 or not source.is_dir():
            raise LaunchError(f"downloading {MODULE}@{VERSION} failed (exit {code}; see {log})")
        # the release's version file is generated at release time; the module lacks it
        src = home / "src"
        shutil.copytree(source, src)
        for path in [src, *src.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
        (src / "build" / "version" / "version.txt").write_text(VERSION + "\n")
        code = run_confined(
            [go, "build", "-trimpath", "-o", str(home / "bin" / "ferretdb"), "./cmd/ferretdb"],
            cwd=src, env=env, log=log, timeout=1800, writable=[home],
        )  # fmt: skip
        if code != 0 or not (home / "bin" / "ferretdb").is_file():
            raise LaunchError(f"building FerretDB {VERSION} failed (exit {code}; see {log})")
        # only the binary is reused: the sources and caches would keep ~1 GB for nothing
        for name in ("src", "mod", "build", "gopath"):
            _remove(home / name)
        (home / ".ready").write_text(f"built in {time.monotonic() - t0:.0f} s\n")
    return home / "bin" / "ferretdb"


def _remove(path: Path) -> None:
    # the module cache is read-only by design
    for sub in [path, *path.rglob("*")] if path.exists() else []:
        if sub.is_dir() and not sub.is_symlink():
            sub.chmod(0o700)
    shutil.rmtree(path, ignore_errors=True)


def build_mongo_server() -> Path:
    """Build the server now if missing (what ``scripts/setup.sh`` calls); its path."""
    log = cache_dir() / "tools" / f"ferretdb-{VERSION}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    return ensure_server(log)


def server_command(binary: Path, data: Path) -> list[str]:
    """FerretDB on SQLite, one file per database in ``data``, on loopback inside the sandbox."""
    return [
        str(binary),
        "--handler=sqlite",
        f"--sqlite-url=file:{data}/",
        f"--state-dir={data}",
        f"--listen-addr=127.0.0.1:{PORT}",
        "--debug-addr=-",
        "--telemetry=disable",
        "--log-level=error",  # the log is the app's: the server keeps to its own failures
    ]


# Run by the sandbox's own Python (``/usr/bin/python3 -I``) as the app's uid: it reads the
# server's SQLite files (one per database, a JSON document per row) and prints one INSERT per
# document with the union of its collection's top-level fields as columns, the format
# ``_snapshot.write_snapshot`` reads (backslash escapes, like mariadb-dump).
_DUMP = r"""
import glob, json, os, sqlite3, sys
BREAKS = dict.fromkeys(map(ord, "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), " ")
def lit(v):
    if v is None: return "NULL"
    if isinstance(v, bool): return "1" if v else "0"
    if isinstance(v, (int, float)): return repr(v)
    if not isinstance(v, str): v = json.dumps(v, sort_keys=True)
    v = v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t")
    return "'" + v.replace("\0", "\\0").translate(BREAKS) + "'"
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.sqlite"))):
    if os.path.islink(path): continue
    db = sqlite3.connect(path, timeout=5)
    try:
        meta = db.execute('SELECT name, table_name FROM "_ferretdb_collections"').fetchall()
    except sqlite3.Error:
        continue
    for name, table in meta:
        docs = []
        quoted = table.replace('"', '""')
        for (raw,) in db.execute('SELECT "_ferretdb_sjson" FROM "%s" LIMIT 5000' % quoted):
            doc = json.loads(raw)
            doc.pop("$s", None)
            docs.append(doc)
        cols = list(dict.fromkeys(k for d in docs for k in d))
        if not cols: continue
        head = 'INSERT INTO "%s" (%s) VALUES (' % (name, ", ".join('"%s"' % c for c in cols))
        for d in docs:
            print(head + ", ".join(lit(d.get(c)) for c in cols) + ");")
"""


def mongo_dump(data: Path) -> list[str]:
    """The command that prints the server's documents as INSERT lines, run in the sandbox."""
    return ["/usr/bin/python3", "-I", "-c", _DUMP, str(data)]
