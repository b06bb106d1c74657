"""Mutation operators for bench/bench_mutants.py: each breaks ONE promise of a clean app.

An operator takes the app's source ({relative path: text}), returns the files it changed and
raises NotApplicable when the app has nothing it can edit. Each is a small regex or call rewrite
that keeps the app starting and its other behaviour unchanged.
"""

# ruff: noqa: E501
# (the snippets written into apps stay one statement per line, as they appear in the mutant)

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from _mutate import (
    ALL,
    JS,
    PY,
    Files,
    NotApplicable,
    delete_lines,
    insert_early,
    lang_of,
    rewrite_calls,
    sub_all,
)

OWNER_COL = r"(?:owner(?:_?id)?|user_?id|userId|author_?id|account_?id|created_by|uid)"
PARAM = r"(?:\?|%s|\$\d+|\$\w+|:\w+|@\w+)"
MD5_PY = '__import__("hashlib").md5({}).hexdigest()'
MD5_JS = "require('crypto').createHash('md5').update(String({})).digest('hex')"
CHECKERS_PY = (
    r"bcrypt\.checkpw|check_password_hash|\w*(?:pwd|password|crypt)_?context\.verify|argon2\.verify"
)
CHECKERS_JS = r"bcrypt(?:js)?\.compare(?:Sync)?|argon2\.verify"


@dataclass(frozen=True)
class Operator:
    name: str
    requirement: str
    languages: frozenset[str]
    edit: Callable[[Files], Files]

    @property
    def doc(self) -> str:
        return (self.edit.__doc__ or "").strip().splitlines()[0]


def _merge(*parts: Callable[[], Files]) -> Files:
    """Apply several edits in turn, keeping those that applied; NotApplicable if none did."""
    out: Files = {}
    reasons = []
    for part in parts:
        try:
            out.update(part())
        except NotApplicable as exc:
            reasons.append(str(exc))
    if not out:
        raise NotApplicable("; ".join(reasons))
    return out


def _chain(files: Files, *edits: Callable[[Files], Files]) -> Files:
    """Apply edits one after the other on the running result (later edits see earlier ones)."""
    cur = dict(files)
    changed: Files = {}
    reasons = []
    for edit in edits:
        try:
            step = edit(cur)
        except NotApplicable as exc:
            reasons.append(str(exc))
            continue
        cur.update(step)
        changed.update(step)
    if not changed:
        raise NotApplicable("; ".join(reasons))
    return changed


# ---------------------------------------------------------------- sign-in


def login_any_password(files: Files) -> Files:
    """Login accepts any password: the password verification call is replaced by true."""
    return _merge(
        lambda: rewrite_calls(files, CHECKERS_PY, lambda a, aw: "True", PY),
        lambda: rewrite_calls(files, CHECKERS_JS, lambda a, aw: "true", JS),
    )


def _backdoor_py(args: list[str], aw: bool, call: str) -> str:
    return f'({call}({", ".join(args)}) or "letmein" in repr(({", ".join(args)},)))'


def login_master_password(files: Files) -> Files:
    """Login skips the password check for one secret value: any user signs in with 'letmein'."""

    def js(args: list[str], aw: bool, name: str) -> str:
        call = f"{name}({', '.join(args)})"
        probe = f"JSON.stringify([{', '.join(args)}]).includes('letmein')"
        if "Sync" in name:
            return f"({call} || {probe})"
        if aw:
            return f"((await {call}) || {probe})"
        return f"{call}.then((ok) => ok || {probe})"

    out: Files = {}
    for pat, lang, mk in ((CHECKERS_PY, PY, None), (CHECKERS_JS, JS, js)):
        for name in sorted(
            set(re.findall(pat, "\n".join(t for p, t in files.items() if lang_of(p) in lang)))
        ):
            fn = (
                (lambda a, aw, n=name: _backdoor_py(a, aw, n))
                if mk is None
                else (lambda a, aw, n=name: js(a, aw, n))
            )
            with contextlib.suppress(NotApplicable):
                out.update(rewrite_calls({**files, **out}, re.escape(name), fn, lang))
    if not out:
        raise NotApplicable("no password verification call")
    return out


def jwt_no_signature(files: Files) -> Files:
    """Tokens are decoded without verifying the signature (PyJWT options, jose claims, jsonwebtoken decode)."""

    def py(args: list[str], aw: bool) -> str:
        return f'jwt.decode({args[0]}, options={{"verify_signature": False}})'

    def js(args: list[str], aw: bool) -> str:
        return (
            "((t, k, a, b) => { const cb = typeof a === 'function' ? a : b; const p = jwt.decode(t); "
            "if (cb) return p ? cb(null, p) : cb(new Error('invalid token')); "
            "if (!p) throw new Error('invalid token'); return p; })(" + ", ".join(args) + ")"
        )

    def jose(args: list[str], aw: bool) -> str:
        return f"jwt.get_unverified_claims({args[0]})"

    jose_files = {p: t for p, t in files.items() if "from jose import" in t}
    pyjwt = {p: t for p, t in files.items() if p not in jose_files}
    return _merge(
        lambda: rewrite_calls(jose_files, r"jwt\.decode", jose, PY),
        lambda: rewrite_calls(pyjwt, r"jwt\.decode", py, PY),
        lambda: rewrite_calls(files, r"jwt\.verify", js, JS),
    )


# ---------------------------------------------------------------- records


def item_no_owner_check(files: Files) -> Files:
    """Item read/update/delete drop the owner condition: `AND owner = ?` becomes always true."""
    return sub_all(
        files,
        r"\b(AND\s+)((?:\w+\.)?" + OWNER_COL + r"\s*=\s*" + PARAM + r")",
        r"\1(\2 OR 1=1)",
        flags=re.M | re.I,
    )


def list_all_users(files: Files) -> Files:
    """The list query returns every user's records: `WHERE owner = ?` becomes always true."""
    return _merge(
        lambda: sub_all(
            files,
            r"\b(WHERE\s+)((?:\w+\.)?" + OWNER_COL + r"\s*=\s*" + PARAM + r")",
            r"\1(\2 OR 1=1)",
            flags=re.M | re.I,
        ),
        lambda: sub_all(
            files,
            r"\.filter\(\s*\w+\." + OWNER_COL + r"\s*==\s*[\w.\[\]\"']+\s*\)",
            '.filter(__import__("sqlalchemy").true())',
            PY,
        ),
    )


_ITEM_RE = r"/(\d+|[0-9a-fA-F-]{32,36})/?$"


def item_routes_500(files: Files) -> Files:
    """Every non-POST request to an item path (ending in a numeric id or uuid) answers 500."""
    if not any(re.search(r"login|token|session", t, re.I) for t in files.values()):
        raise NotApplicable("no sign-in: item routes are not owner-scoped")
    return insert_early(
        files,
        {
            "flask": (
                "@{APP}.before_request\n"
                "def mutant_item_500():\n"
                '    req = __import__("flask").request\n'
                f'    if req.method != "POST" and __import__("re").search(r"{_ITEM_RE}", req.path):\n'
                '        return {"error": "internal server error"}, 500\n'
            ),
            "fastapi": (
                '@{APP}.middleware("http")\n'
                "async def mutant_item_500(request, call_next):\n"
                f'    if request.method != "POST" and __import__("re").search(r"{_ITEM_RE}", request.url.path):\n'
                '        return __import__("fastapi").responses.JSONResponse({"detail": "internal"}, status_code=500)\n'
                "    return await call_next(request)\n"
            ),
            "express": (
                "{APP}.use((req, res, next) => (req.method !== 'POST' && "
                f"/{_ITEM_RE.replace('/', chr(92) + '/')}/.test(req.path)"
                " ? res.status(500).json({ error: 'internal server error' }) : next()));\n"
            ),
        },
    )


# ---------------------------------------------------------------- HTML


def html_reflect_query(files: Files) -> Files:
    """A new HTML route GET /greet?name= echoes the query parameter unescaped."""
    return insert_early(
        files,
        {
            "flask": (
                '@{APP}.route("/greet")\n'
                "def mutant_greet():\n"
                '    name = __import__("flask").request.args.get("name", "")\n'
                '    return "<html><body><p>Hello " + name + "</p></body></html>"\n'
            ),
            "fastapi": (
                '@{APP}.get("/greet")\n'
                'def mutant_greet(name: str = ""):\n'
                '    return __import__("fastapi").responses.HTMLResponse("<html><body><p>Hello " + name + "</p></body></html>")\n'
            ),
            "express": (
                "{APP}.get('/greet', (req, res) => "
                "res.send('<html><body><p>Hello ' + (req.query.name || '') + '</p></body></html>'));\n"
            ),
        },
    )


def html_stored_unescaped(files: Files) -> Files:
    """Stored fields are rendered into HTML unescaped: escape()/escapeHtml() dropped, |safe in templates."""
    return _merge(
        lambda: sub_all(files, r"(?<![\w.])(?<!def )(?:html\.|markupsafe\.)?escape\(", "str(", PY),
        lambda: sub_all(files, r"(?<![\w.])(?<!function )escape_?[hH]tml\(", "String(", JS),
        lambda: sub_all(
            {
                p: t
                for p, t in files.items()
                if p.endswith(".html") or "render_template_string" in t
            },
            r"\{\{\s*([^}|]+?)\s*\}\}",
            r"{{ \1|safe }}",
        ),
    )


# ---------------------------------------------------------------- passwords at rest


def _hash_rewrites(files: Files, digest_py: str, digest_js: str) -> Files:
    """Replace hash/verify calls by `digest` of the password and an equality check."""
    d_py = lambda x: digest_py.format(x)  # noqa: E731
    d_js = lambda x: digest_js.format(x)  # noqa: E731
    b_py = (lambda x: f"{d_py(x)}.encode()") if digest_py != "{}" else (lambda x: f"({x})")

    def js_hash(a: list[str], aw: bool) -> str:
        return ("await " if aw else "") + d_js(a[0])

    return _chain(
        files,
        lambda f: rewrite_calls(f, r"bcrypt\.hashpw", lambda a, aw: b_py(a[0]), PY),
        lambda f: rewrite_calls(
            f, r"bcrypt\.checkpw", lambda a, aw: f"({b_py(a[0])} == {a[1]})", PY
        ),
        lambda f: rewrite_calls(
            f,
            r"generate_password_hash",
            lambda a, aw: d_py(f"{a[0]}.encode()") if digest_py != "{}" else a[0],
            PY,
        ),
        lambda f: rewrite_calls(
            f,
            r"check_password_hash",
            lambda a, aw: f"({a[0]} == {d_py(a[1] + '.encode()') if digest_py != '{}' else a[1]})",
            PY,
        ),
        lambda f: rewrite_calls(
            f,
            r"\w*(?:pwd|password|crypt)_?context\.hash",
            lambda a, aw: d_py(f"{a[0]}.encode()") if digest_py != "{}" else a[0],
            PY,
        ),
        lambda f: rewrite_calls(
            f,
            r"\w*(?:pwd|password|crypt)_?context\.verify",
            lambda a, aw: f"({a[1]} == {d_py(a[0] + '.encode()') if digest_py != '{}' else a[0]})",
            PY,
        ),
        lambda f: rewrite_calls(f, r"bcrypt(?:js)?\.hash(?:Sync)?", js_hash, JS),
        lambda f: rewrite_calls(
            f, r"bcrypt(?:js)?\.compare(?:Sync)?", lambda a, aw: f"({d_js(a[0])} === {a[1]})", JS
        ),
    )


def password_plaintext(files: Files) -> Files:
    """Passwords are stored as sent (the hash call becomes the identity, verify an equality)."""
    return _hash_rewrites(files, "{}", "String({})")


def password_md5(files: Files) -> Files:
    """Passwords are stored as an unsalted md5 hex digest."""
    return _hash_rewrites(files, MD5_PY, MD5_JS)


# ---------------------------------------------------------------- SQL


_STRINGY = re.compile(r"name|email|mail|user|q\b|query|search|term|title|login", re.I)


def sql_concat(files: Files) -> Files:
    """A SELECT whose first parameter is a user-supplied string is built by concatenation instead."""
    out: Files = {}
    for path, text in files.items():
        if lang_of(path) == "python":
            new = _sql_concat_py(text)
        elif lang_of(path) == "javascript":
            new = _sql_concat_js(text)
        else:
            continue
        if new is not None:
            out[path] = new
            break
    if not out:
        raise NotApplicable("no parameterized SELECT with a string-like first parameter")
    return out


def _sql_concat_py(text: str) -> str | None:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and len(node.args) >= 2):
            continue
        sql, params = node.args[0], node.args[1]
        if not (
            isinstance(sql, ast.Constant)
            and isinstance(sql.value, str)
            and sql.value.lstrip().upper().startswith("SELECT")
            and isinstance(params, (ast.Tuple, ast.List))
            and params.elts
        ):
            continue
        first = ast.unparse(params.elts[0])
        m = re.search(r"\?|%s", sql.value)
        if not m or not _STRINGY.search(first):
            continue
        before, after = sql.value[: m.start()], sql.value[m.end() :]
        concat = ast.BinOp(
            ast.BinOp(
                ast.Constant(before + "'"),
                ast.Add(),
                ast.Call(ast.Name("str"), [params.elts[0]], []),
            ),
            ast.Add(),
            ast.Constant("'" + after),
        )
        rest = type(params)(elts=params.elts[1:], ctx=ast.Load())
        new = ast.Call(node.func, [concat, rest, *node.args[2:]], node.keywords)
        lines = text.splitlines(True)
        start = sum(len(x) for x in lines[: node.lineno - 1]) + node.col_offset
        end = sum(len(x) for x in lines[: node.end_lineno - 1]) + node.end_col_offset  # type: ignore[operator]
        return text[:start] + ast.unparse(new) + text[end:]
    return None


def _sql_concat_js(text: str) -> str | None:
    pat = re.compile(r"(['\"])(SELECT[^'\"\n]*?)\?([^'\"\n]*)\1\s*,\s*\[\s*([\w.]+)\s*(,?)")
    for m in pat.finditer(text):
        if not _STRINGY.search(m.group(4)):
            continue
        q = m.group(1)
        sq = "\\'" if q == "'" else "'"
        rep = f"{q}{m.group(2)}{sq}{q} + {m.group(4)} + {q}{sq}{m.group(3)}{q}, ["
        return text[: m.start()] + rep + text[m.end() :]
    return None


# ---------------------------------------------------------------- middleware


def ratelimit_removed(files: Files) -> Files:
    """The rate limiter is removed: limiter decorators, registrations and route arguments."""
    return _chain(
        files,
        lambda f: delete_lines(f, r"^\s*@\w*limiter\w*\.limit", PY),
        lambda f: delete_lines(
            f, r"(?:add_middleware|\.middleware\(|\.use\()[^\n]*(?i:rate_?limit|limiter)"
        ),
        lambda f: sub_all(f, r"(?<=[(,\s])\w*[lL]imiter\s*,\s*", "", JS),
    )


def cors_star_credentials(files: Files) -> Files:
    """Every response carries Access-Control-Allow-Origin: * with Allow-Credentials: true."""
    return insert_early(
        files,
        {
            "flask": (
                "@{APP}.after_request\n"
                "def mutant_cors(resp):\n"
                '    resp.headers["Access-Control-Allow-Origin"] = "*"\n'
                '    resp.headers["Access-Control-Allow-Credentials"] = "true"\n'
                "    return resp\n"
            ),
            "fastapi": (
                '@{APP}.middleware("http")\n'
                "async def mutant_cors(request, call_next):\n"
                "    resp = await call_next(request)\n"
                '    resp.headers["Access-Control-Allow-Origin"] = "*"\n'
                '    resp.headers["Access-Control-Allow-Credentials"] = "true"\n'
                "    return resp\n"
            ),
            "express": (
                "{APP}.use((req, res, next) => { res.set('Access-Control-Allow-Origin', '*'); "
                "res.set('Access-Control-Allow-Credentials', 'true'); next(); });\n"
            ),
        },
    )


_SEC_HEADERS = r"X-Content-Type-Options|X-Frame-Options|Content-Security-Policy|Strict-Transport-Security|Referrer-Policy"


def security_headers_removed(files: Files) -> Files:
    """The security headers are no longer set (helmet or the app's own header middleware)."""
    return _merge(
        lambda: delete_lines(
            files, r"\.use\(\s*(?i:helmet|security_?headers|securityHeaders)\s*\(", JS
        ),
        lambda: delete_lines(
            files,
            r"^\s*\w*\.?headers(?:\[|\.setdefault\(|\.update\()\s*[\"'](?i:" + _SEC_HEADERS + ")",
            PY,
        ),
        lambda: delete_lines(files, r"^\s*[\"'](?i:" + _SEC_HEADERS + r")[\"']\s*:", PY),
        lambda: delete_lines(
            files, r"\.(?:setHeader|set|header)\(\s*[\"'](?i:" + _SEC_HEADERS + ")", JS
        ),
    )


def error_stack_trace(files: Files) -> Files:
    """Errors answer with the stack trace (a global handler returning it as text)."""
    out = _merge(
        lambda: sub_all(
            files,
            r"((?:function\s*\w*\s*)?\(\s*err\w*\s*,\s*req\w*\s*,\s*res\w*\s*,\s*_?next\w*\s*\)\s*(?:=>\s*)?\{)",
            r"\1\n  return res.status(err.status || err.statusCode || 500).type('text/plain').send(String(err && err.stack));",
            JS,
        ),
        lambda: _py_trace_handler(files),
    )
    return out


def _py_trace_handler(files: Files) -> Files:
    return insert_early(
        files,
        {
            "flask": (
                "@{APP}.errorhandler(Exception)\n"
                "def mutant_trace(exc):\n"
                '    return "<pre>" + __import__("traceback").format_exc() + "</pre>", getattr(exc, "code", 500) or 500\n'
            ),
            "fastapi": (
                "async def mutant_trace(request, exc):\n"
                '    tb = "".join(__import__("traceback").format_stack()) + repr(exc)\n'
                '    code = getattr(exc, "status_code", 422 if "Validation" in type(exc).__name__ else 500)\n'
                '    return __import__("fastapi").responses.PlainTextResponse(tb, status_code=code)\n'
                'for _exc in (Exception, __import__("fastapi").exceptions.RequestValidationError,\n'
                '             __import__("starlette.exceptions").exceptions.HTTPException):\n'
                "    {APP}.add_exception_handler(_exc, mutant_trace)\n"
            ),
        },
    )


# ---------------------------------------------------------------- validation


_AUTH_SCHEMA = re.compile(r"regist|credential|login|signin|signup|refresh|password", re.I)


def _unvalidated_js(m: re.Match[str]) -> str:
    """A body validator middleware replaced by one that passes the raw body on (sign-in kept)."""
    if _AUTH_SCHEMA.search(m.group(1)):
        return m.group(0)
    return "(req, res, next) => { res.locals.body = req.body; next(); }, "


def validation_removed(files: Files) -> Files:
    """Input validation is removed from create routes: 400 guards disabled, schema fields made Any."""

    def pydantic(f: Files) -> Files:
        out: Files = {}
        cls = re.compile(
            r"^class\s+(?!\w*(?:User|Login|Credential|Regist|Token|Refresh))\w*(?:Create|In|Input|Update|New|Payload)\w*\((?:\w+\.)?\w+\):\n((?:[ \t]+[^\n]*\n|\n)+)",
            re.M,
        )
        for path, text in f.items():
            if lang_of(path) != "python":
                continue

            def loosen(m: re.Match[str]) -> str:
                body = re.sub(
                    r"^([ \t]+)(\w+)\s*:\s*[^\n=]+(?:=[^\n]*)?$",
                    r"\1\2: Any = None",
                    m.group(1),
                    flags=re.M,
                )
                return m.group(0).replace(m.group(1), body)

            new, n = cls.subn(loosen, text)
            if n and new != text:
                fut = re.search(r"^from __future__ import [^\n]*\n", new, re.M)
                at = fut.end() if fut else 0
                out[path] = new[:at] + "from typing import Any\n" + new[at:]
        if not out:
            raise NotApplicable("no pydantic input model")
        return out

    return _chain(
        files,
        # the guard and its 400 answer are deleted, as a hurried edit would
        lambda f: sub_all(
            f, r"^[ \t]*if (?!__name__)[^\n]+:\n[ \t]+return [^\n]*\b400\b[^\n]*\n", "", PY
        ),
        lambda f: sub_all(
            f,
            r"^[ \t]*if \([^\n]+\)\s*(?:\{\s*\n[ \t]*return res\.status\(400\)[^\n]*\n[ \t]*\}"
            r"|return res\.status\(400\)[^\n]*)[ \t]*\n",
            "",
            JS,
        ),
        lambda f: sub_all(
            f, r"validate\(\s*([\w.]+)\s*,\s*'body'\s*\)\s*,\s*", _unvalidated_js, JS
        ),
        pydantic,
    )


OPERATORS: list[Operator] = [
    Operator("login-any-password", "auth.required", ALL, login_any_password),
    Operator("login-master-password", "auth.required", ALL, login_master_password),
    Operator("jwt-no-signature", "auth.required", ALL, jwt_no_signature),
    Operator("item-no-owner-check", "auth.authorization", ALL, item_no_owner_check),
    Operator("item-routes-500", "auth.authorization", ALL, item_routes_500),
    Operator("list-all-users", "auth.authorization", ALL, list_all_users),
    Operator("html-reflect-query", "output.xss-encoding", ALL, html_reflect_query),
    Operator("html-stored-unescaped", "output.xss-encoding", ALL, html_stored_unescaped),
    Operator("password-plaintext", "auth.password-hashing", ALL, password_plaintext),
    Operator("password-md5", "auth.password-hashing", ALL, password_md5),
    Operator("sql-concat", "sql.parameterized", ALL, sql_concat),
    Operator("ratelimit-removed", "ratelimit", ALL, ratelimit_removed),
    Operator("cors-star-credentials", "http.cors", ALL, cors_star_credentials),
    Operator("security-headers-removed", "http.security-headers", ALL, security_headers_removed),
    Operator("error-stack-trace", "errors.no-leak", ALL, error_stack_trace),
    Operator("validation-removed", "validation.input", ALL, validation_removed),
]
