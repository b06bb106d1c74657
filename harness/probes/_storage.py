"""Storage probes: what the app really stored for a password (read from its SQLite file or JSON
store after a live registration), and whether responses expose secrets.

Decision on hashing schemes: bcrypt, argon2, scrypt and pbkdf2 (>= 10,000 iterations) pass. When
the agent names schemes (params["schemes"]) they are the accepted ones, and a KDF at least as
strong as the weakest named one passes too (argon2 > scrypt = bcrypt > pbkdf2): promising bcrypt
and storing argon2 passes, promising argon2 and storing pbkdf2 fails. Plaintext and fast hashes
(md5/sha1/sha2 of the password, plain or with a salt from the same row) fail. A value that is
none of these is reported as an error with its shape, never guessed."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from harness.probes._context import ProbeBlind, ProbeContext, ProbeError, probe
from harness.probes._lookup import (
    json_files,
    open_copy,
    readable_storage,
    search_storage,
    storage_files,
    stored_forms,
)
from harness.probes._preconditions import requires_signed_in_user
from harness.scorecard import CheckResult, Evidence

STRENGTH = {"argon2": 4, "scrypt": 3, "bcrypt": 3, "pbkdf2": 2}
_CRED_COLUMNS = (
    "password_hash",
    "hashed_password",
    "passwordhash",
    "password_digest",
    "encrypted_password",
    "password",
    "passwd",
    "pwd",
    "pass",
    "hash",
    "secret",
)
_FAST = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")


# ---------------------------------------------------------------- reading the app's storage


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    return [r[0] for r in rows if not r[0].startswith("sqlite_")]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]


def find_rows(app: Any, needles: list[str]) -> list[tuple[str, str, list[str], tuple[Any, ...]]]:
    """Rows (file, table, columns, values) in which a column equals one of ``needles``."""
    hits = []
    for path in storage_files(app):
        try:
            with open_copy(path) as conn:
                for table in _tables(conn):
                    cols = _columns(conn, table)
                    for col in cols:
                        marks = ",".join("?" * len(needles))
                        sql = f'SELECT * FROM "{table}" WHERE "{col}" IN ({marks}) LIMIT 3'
                        for row in conn.execute(sql, needles).fetchall():
                            hits.append((str(path), table, cols, tuple(row)))
        except (sqlite3.Error, OSError):
            continue
    return hits


def find_record_row(
    app: Any, rid: Any, resource: str
) -> tuple[str, list[str], tuple[Any, ...]] | None:
    """The row of record ``rid`` in the table that looks like ``resource``'s."""
    stem = resource.lower().rstrip("s")
    for path in storage_files(app):
        try:
            with open_copy(path) as conn:
                for table in _tables(conn):
                    if stem not in table.lower():
                        continue
                    cols = _columns(conn, table)
                    key = next((c for c in ("id", "_id", f"{stem}_id", "uuid") if c in cols), None)
                    if key is None:
                        continue
                    row = conn.execute(
                        f'SELECT * FROM "{table}" WHERE "{key}" = ?', (rid,)
                    ).fetchone()
                    if row is not None:
                        return table, cols, tuple(row)
        except (sqlite3.Error, OSError):
            continue
    return None


def table_columns(app: Any, table: str) -> list[str]:
    for path in storage_files(app):
        try:
            with open_copy(path) as conn:
                if table in _tables(conn):
                    return _columns(conn, table)
        except (sqlite3.Error, OSError):
            continue
    return []


def json_store_records(app: Any, needles: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Objects in JSON files of the workdir (a file-backed store) holding one of ``needles``."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path in json_files(app):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if not any(n in text for n in needles):
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        out += [(str(path), obj) for obj in _dicts(data) if any(v in needles for v in obj.values())]
    return out


def _dicts(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _dicts(v, depth + 1)
    elif isinstance(node, list):
        for v in node:
            yield from _dicts(v, depth + 1)


# ---------------------------------------------------------------- classifying a stored credential


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode("ascii")
        except UnicodeDecodeError:
            return raw.hex()
    return str(value)


def shape(value: str) -> dict[str, Any]:
    """What a stored value looks like, without repeating it."""
    return {
        "length": len(value),
        "prefix": value[:7],
        "charset": "hex" if re.fullmatch(r"[0-9a-fA-F]+", value) else "mixed",
        "separators": sorted(set(re.findall(r"[$:.]", value))),
    }


def classify(stored: Any, password: str, row: list[Any] | None = None) -> tuple[str, str, str]:
    """(scheme, "pass"|"fail"|"unknown", detail) for the value stored for ``password``."""
    s = _text(stored).strip()
    others = [_text(v) for v in row or [] if v is not None and _text(v) != s]
    if s == password:
        return "plaintext", "fail", "the stored value is the password itself"
    if password and password in s:
        return "plaintext", "fail", "the stored value contains the password"
    m = re.match(r"^\$2[abxy]?\$(\d\d)\$", s)
    if m:
        cost = int(m.group(1))
        return "bcrypt", "pass", f"bcrypt, cost {cost}" + (" (below 10)" if cost < 10 else "")
    if s.startswith("$argon2"):
        return "argon2", "pass", s.split("$")[1] + " hash"
    if s.startswith(("scrypt:", "$scrypt$", "$7$")):
        return "scrypt", "pass", "scrypt hash"
    m = re.match(r"^(?:pbkdf2:(\w+):(\d+)\$|\$pbkdf2-(\w+)\$(\d+)\$|pbkdf2_(\w+)\$(\d+)\$)", s)
    if m:
        iterations = int(next(g for g in m.groups()[1::2] if g))
        if iterations < 10_000:
            return "pbkdf2", "fail", f"pbkdf2 with only {iterations} iterations"
        return "pbkdf2", "pass", f"pbkdf2 with {iterations} iterations"
    if s.startswith("pbkdf2:"):
        return "pbkdf2", "pass", "pbkdf2 (default iterations)"
    m = re.match(r"^(md5|sha1|sha224|sha256|sha512|plain)\$", s)
    if m:
        return m.group(1), "fail", f"legacy fast {m.group(1)} hash"
    if s.startswith("$1$"):
        return "md5-crypt", "fail", "md5-crypt"
    if s.startswith(("$5$", "$6$")):
        return (
            "sha-crypt",
            "fail",
            "SHA-crypt: iterated, but not one of bcrypt/argon2/scrypt/pbkdf2",
        )
    fast = _fast_hash(s, password, others)
    if fast:
        return fast, "fail", f"a fast {fast} of the password"
    kdf = _raw_kdf(s, password, others)
    if kdf:
        return kdf[0], kdf[1], kdf[2]
    if re.fullmatch(r"[0-9a-fA-F]{32,128}", s):
        return (
            "unknown-hex",
            "unknown",
            "a bare hex digest: no plain or salted fast hash of the password matches",
        )
    return "unknown", "unknown", "the stored value matches no known hash format"


def _fast_hash(s: str, password: str, others: list[str]) -> str | None:
    parts = [p for p in re.split(r"[$:.]", s) if p]
    digests = [p.lower() for p in parts if re.fullmatch(r"[0-9a-fA-F]{32,128}", p)]
    if not digests:
        return None
    salts = [
        "",
        "salt",
        *[o for o in others if 0 < len(o) <= 128],
        *[p for p in parts if p.lower() not in digests],
    ]
    for algo in _FAST:
        for salt in dict.fromkeys(salts):
            for combo in (salt + password, password + salt):
                if hashlib.new(algo, combo.encode()).hexdigest() in digests:
                    if not salt:
                        return f"{algo}(password)"
                    first = combo.startswith(salt)
                    return f"{algo}({'salt+password' if first else 'password+salt'})"
    return None


def _raw_kdf(s: str, password: str, others: list[str]) -> tuple[str, str, str] | None:
    """Node-style ``salt:hexhash`` (or a salt in another column): verify scrypt/pbkdf2."""
    parts = [p for p in re.split(r"[$:]", s) if p]
    digests = [p for p in parts if re.fullmatch(r"[0-9a-fA-F]{32,256}", p) and len(p) % 2 == 0]
    if not digests:
        return None
    salts = [p for p in parts if p not in digests] + [o for o in others if 8 <= len(o) <= 128]
    if len(digests) == 2 and not salts:
        salts = digests[:1]
    pw = password.encode()
    for digest in digests:
        want = bytes.fromhex(digest)
        for salt in dict.fromkeys(salts):
            encodings = [salt.encode()]
            if re.fullmatch(r"[0-9a-fA-F]+", salt) and len(salt) % 2 == 0:
                encodings.append(bytes.fromhex(salt))
            for raw in encodings:
                try:
                    if (
                        hashlib.scrypt(
                            pw,
                            salt=raw,
                            n=16384,
                            r=8,
                            p=1,
                            dklen=len(want),
                            maxmem=64 * 1024 * 1024,
                        )
                        == want
                    ):
                        return "scrypt", "pass", "scrypt (verified: N=16384, r=8, p=1)"
                except (ValueError, MemoryError):
                    pass
                for algo in ("sha512", "sha256", "sha1"):
                    for iterations in (1000, 10000, 100000):
                        if hashlib.pbkdf2_hmac(algo, pw, raw, iterations, len(want)) == want:
                            ok = iterations >= 10_000
                            return (
                                "pbkdf2",
                                "pass" if ok else "fail",
                                f"pbkdf2-{algo} (verified), {iterations} iterations",
                            )
    return None


def judge_scheme(scheme: str, status: str, promised: list[str]) -> tuple[str, str]:
    """Apply the agent's accepted schemes on top of the generic verdict."""
    if status != "pass" or not promised:
        return status, ""
    names = [p.lower().replace("-", "").replace("_", "") for p in promised]
    names = [next((k for k in STRENGTH if k in n), n) for n in names]
    if scheme in names:
        return "pass", f"{scheme} is one of the promised schemes"
    known = [STRENGTH[n] for n in names if n in STRENGTH]
    if known and STRENGTH.get(scheme, 0) >= min(known):
        return "pass", f"{scheme} is at least as strong as the promised {', '.join(promised)}"
    return "fail", f"{scheme} is weaker than the promised {', '.join(promised)}"


_CRED_HINT = re.compile(r"pass|pwd|hash|digest|crypt|credential", re.I)
_KDF_SHAPE = re.compile(r"^(\$2[abxy]?\$\d\d\$|\$argon2|\$scrypt\$|scrypt:|pbkdf2[:_$]|\$pbkdf2-)")


def _credential_key(names: list[str], values: list[Any]) -> str | None:
    """The column holding the credential: a conventional name, else a name that says so, else
    the one value shaped like a password hash (apps name columns freely)."""
    lowered = [n.lower() for n in names]
    named = next((names[lowered.index(c)] for c in _CRED_COLUMNS if c in lowered), None)
    named = named or next((n for n in names if _CRED_HINT.search(n)), None)
    if named is not None and values[names.index(named)] not in (None, ""):
        return named
    return next(
        (n for n, v in zip(names, values, strict=False) if _KDF_SHAPE.match(_text(v or ""))),
        None,
    )


async def stored_credential(ctx: ProbeContext) -> dict[str, Any] | None:
    """Find user A's stored credential; cached on the session. None when storage is unreadable."""
    cache = ctx.session.cache
    if "credential" in cache:
        return cache["credential"]
    a = ctx.user("a")
    needles = [
        v
        for v in {a.username, a.email, *[str(v) for v in a.sent.values()]}
        if v and v != a.password
    ]
    found: dict[str, Any] | None = None
    rows = await asyncio.to_thread(find_rows, ctx.app, needles)
    for path, table, cols, values in rows:
        col = _credential_key(cols, list(values))
        if col is None:
            continue
        found = {
            "where": f"{path} table {table} column {col}",
            "value": values[cols.index(col)],
            "row": list(values),
            "columns": cols,
        }
        break
    if found is None:
        for path, obj in await asyncio.to_thread(json_store_records, ctx.app, needles):
            names = [str(k) for k in obj]
            key = _credential_key(names, list(obj.values()))
            if key:
                found = {
                    "where": f"{path} key {key}",
                    "value": obj[key],
                    "row": list(obj.values()),
                    "columns": names,
                }
                break
    cache["credential"] = found
    return found


_FORM_WORDS = {"as sent": "in the clear", "base64": "base64-encoded", "base64url": "base64-encoded"}


@probe(
    "live.password-storage",
    requirement="auth.password-hashing",
    title="after a live registration the password is nowhere in the clear, encoded or as a fast "
    "hash, and the stored credential is a slow salted hash",
)
@requires_signed_in_user("a")
async def password_storage(ctx: ProbeContext) -> CheckResult:
    """Fails: after a live registration the stored credential is found in the clear, encoded,
    or as a fast unsalted hash.

    Passes: it is a slow salted hash (bcrypt, argon2, scrypt, pbkdf2). No readable store:
    not checkable."""
    a = ctx.user("a")
    reg_path = ctx.api.auth.registration.path if ctx.api.auth.registration else None
    reg = next(
        (
            r
            for r in ctx.session.records
            if r.purpose == "sign-in"
            and r.status is not None
            and r.status < 300
            and reg_path is not None
            and r.exchange.url.split("?")[0].endswith(reg_path)
            and (
                a.email in (r.exchange.request_body or "")
                or a.username in (r.exchange.request_body or "")
            )
        ),
        None,
    )
    base: list[Evidence] = [ctx.evidence(reg.exchange, "user A's registration")] if reg else []
    # every table and column of every readable database, not only the users table: the password
    # kept in a sessions, accounts or audit table is as exposed as one in the users table
    places = await asyncio.to_thread(search_storage, ctx.app, stored_forms(a.password))
    if places:
        first = places[0]
        how = _FORM_WORDS.get(first.label) or (
            "hex-encoded" if first.label == "hex" else f"as an unsalted {first.label} of it"
        )
        return ctx.failed(
            f"user A's password is stored {how} in {first.where}"
            + (f" (and {len(places) - 1} more place(s))" if len(places) > 1 else ""),
            ctx.note(
                "where the password was found",
                places=[f"{p.label}: {p.where}" for p in places[:12]],
            ),
            *base,
        )
    cred = await stored_credential(ctx)
    if cred is None:
        files = readable_storage(ctx.app)
        reason = (
            "user A's row was not found in the app's databases or JSON stores"
            if files
            else "the app has no SQLite file, database server or JSON store the harness can read "
            "(in-memory or external storage)"
        )
        raise ProbeBlind(
            f"{reason}; stored passwords cannot be read",
            *base,
            ctx.note("storage read", files=files),
        )
    scheme, status, detail = await asyncio.to_thread(
        classify, cred["value"], a.password, cred["row"]
    )
    value = _text(cred["value"])
    info = ctx.note(f"stored credential in {cred['where']}", scheme=scheme, shape=shape(value))
    promised = [str(s) for s in ctx.params.get("schemes") or []]
    final, why = judge_scheme(scheme, status, promised)
    if final == "pass":
        return ctx.passed(f"{detail}{'; ' + why if why else ''}", info, *base)
    if final == "fail":
        return ctx.failed(f"{detail}{'; ' + why if why else ''}", info, *base)
    # neither a known slow hash nor the password in any readable form: a peppered HMAC, an
    # encryption or a scheme of the app's own; the shape is reported, the verdict not guessed
    return ctx.not_checkable(
        f"the stored credential is in no known format ({detail}); the password itself is in no "
        "readable database in the clear, encoded or as an unsalted fast hash",
        info,
        *base,
    )


# ---------------------------------------------------------------- sensitive fields in responses


SENSITIVE_KEYS = {
    "password",
    "password_hash",
    "passwordhash",
    "hashed_password",
    "hashedpassword",
    "password_digest",
    "encrypted_password",
    "passwd",
    "pwd",
    "hash",
    "salt",
    "secret",
    "secret_key",
    "private_key",
    "api_key",
}


def _sensitive_keys(
    node: Any, path: str = "", depth: int = 0, stored: frozenset[str] = frozenset()
) -> list[str]:
    """Paths of secret-looking fields; ``stored`` holds values the harness itself stored as
    data (a secret-keeping app hands its user's own secret back: that is its job)."""
    if depth > 8:
        return []
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            p = f"{path}.{k}" if path else str(k)
            if str(k).lower() in SENSITIVE_KEYS and isinstance(v, str) and v and v not in stored:
                out.append(p)
            out += _sensitive_keys(v, p, depth + 1, stored)
    elif isinstance(node, list):
        for i, v in enumerate(node[:50]):
            out += _sensitive_keys(v, f"{path}[{i}]", depth + 1, stored)
    return out


@probe(
    "live.sensitive-fields",
    requirement="data.no-sensitive-fields",
    title="no response carries passwords, hashes, secrets or another user's token",
    phase="late",
)
@requires_signed_in_user("a")
async def sensitive_fields(ctx: ProbeContext) -> CheckResult:
    """Fails: a response seen during the probes carries a password, a password hash, a
    secret-named field or another user's token.

    Passes: the scanned responses carry none."""
    a = ctx.user("a")
    b = ctx.session.b
    api = ctx.api
    own = [p for p in (api.auth.me_path,) if p]
    own += [
        op.path
        for op in api.operations
        if op.method == "GET" and "user" in op.path.lower() and not op.path_params
    ]
    if a.user_id is not None:
        own += [
            op.path.replace("{" + op.path_params[-1] + "}", str(a.user_id))
            for op in api.operations
            if op.method == "GET" and "user" in op.path.lower() and len(op.path_params) == 1
        ]
    for path in dict.fromkeys(own[:6]):
        await ctx.exchange("GET", path, user=a, purpose="sensitive")
    cred = None
    with contextlib.suppress(ProbeError):
        cred = await stored_credential(ctx)
    stored = _text(cred["value"]) if cred else None
    passwords = [acc.password for acc in ctx.session.accounts()]
    stored_data = _stored_values(ctx, passwords)
    hits: list[Evidence] = []
    scanned = 0
    for rec in ctx.session.records:
        if not rec.text:
            continue
        scanned += 1
        ok = rec.status is not None and rec.status < 300
        if stored and len(stored) >= 16 and stored in rec.text:
            hits.append(ctx.evidence(rec.exchange, "the stored password hash is in the response"))
            continue
        if ok:
            keys = _sensitive_keys(rec.data, stored=stored_data)
            if keys:
                hits.append(
                    ctx.evidence(
                        rec.exchange, f"sensitive field(s) in the response: {', '.join(keys[:4])}"
                    )
                )
                continue
            if any(pw in rec.text for pw in passwords):
                hits.append(
                    ctx.evidence(rec.exchange, "a probe user's password is echoed in the response")
                )
                continue
        if (
            b is not None
            and b.token
            and a.token
            and rec.exchange.request_headers.get(api.auth.header_name, "").endswith(a.token)
            and b.token in rec.text
        ):
            hits.append(
                ctx.evidence(rec.exchange, "user B's token appears in a response to user A")
            )
    if hits:
        return ctx.failed(f"{len(hits)} responses expose sensitive data", *hits[:8])
    sample = [
        r
        for r in ctx.session.records
        if r.purpose in ("sign-in", "sensitive") and r.status and r.status < 300
    ][:4]
    return ctx.passed(
        f"{scanned} responses scanned: no password, hash, secret or foreign token",
        *(ctx.evidence(r.exchange, "scanned response") for r in sample),
    )


def _stored_values(ctx: ProbeContext, passwords: list[str]) -> frozenset[str]:
    """String values the harness sent as data (not sign-in) in JSON or form bodies."""
    out: set[str] = set()
    for rec in ctx.session.records:
        body = rec.exchange.request_body
        if rec.purpose == "sign-in" or not body:
            continue
        try:
            data = json.loads(body)
        except ValueError:
            continue
        if isinstance(data, dict):
            out.update(v for v in data.values() if isinstance(v, str) and len(v) >= 8)
    return frozenset(out - set(passwords))
