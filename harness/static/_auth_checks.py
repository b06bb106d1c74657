"""Own checks on authentication and request handling: password KDFs (against the agent's accepted
schemes), JWT expiry in Python, refresh flows, rate limits on login, CSRF, input and upload
validation, audit logging of logins."""

from __future__ import annotations

import ast
import re

from harness.app import call_end
from harness.catalogue import CheckSpec, failed, not_applicable, note, passed
from harness.scorecard._model import CheckResult
from harness.static import _python_ast as pa
from harness.static._declare import requires, requires_fact, requires_routes, static_check
from harness.static._evaluate import cite, fail_with, finding_at
from harness.static._model import Location, StaticContext
from harness.static._routes import Handler, handlers, route_paths

# ------------------------------------------------------------------------- password hashing

_SCHEMES = {
    "bcrypt": r"\bbcrypt(js)?\b|['\"]bcrypt['\"]",
    "argon2": r"\bargon2\w*\b",
    "scrypt": r"\bscrypt(Sync)?\b|hashlib\.scrypt\(|method\s*=\s*['\"]scrypt",
    "pbkdf2": r"\bpbkdf2\w*\b|\bmake_password\(",
}
_WERKZEUG = re.compile(r"\bgenerate_password_hash\(([^)]*)\)")


@static_check(
    "auth.password-hashing.kdf",
    title="passwords are hashed with a slow KDF the agent accepts (bcrypt/argon2/scrypt/pbkdf2)",
)
@requires_fact("passwords", missing="the code handles no passwords")
def password_kdf(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: passwords handled but no bcrypt/argon2/scrypt/pbkdf2, or only schemes outside
    params['auth.password-hashing']['schemes'].

    Passes: an accepted KDF is used (cited by location); Django's `create_user`/`set_password`
    count as the first `PASSWORD_HASHERS` entry (PBKDF2 by default) unless the repo defines its
    own `set_password`."""
    accepted = [s.lower() for s in ctx.param(spec.requirement, "schemes", []) or []] or list(
        _SCHEMES
    )
    found: dict[str, list[Location]] = {}
    for scheme, rx in _SCHEMES.items():
        hits = ctx.search(rx)
        if hits:
            found[scheme] = hits
    for loc in ctx.search(_WERKZEUG.pattern, "python"):
        # werkzeug defaults to scrypt (>= 3.0); method="pbkdf2:..." picks pbkdf2
        scheme = "pbkdf2" if "pbkdf2" in loc.text else "scrypt"
        found.setdefault(scheme, []).append(loc)
    if not found:
        found.update(_django_hasher(ctx))
    if not found:
        return failed(
            spec,
            "passwords are handled but no slow KDF (bcrypt, argon2, scrypt, pbkdf2) is used",
            cite("password handling", ctx.fact("passwords")),
        )
    usable = {s: locs for s, locs in found.items() if s in accepted}
    if not usable:
        used = ", ".join(sorted(found))
        return failed(
            spec,
            f"passwords use {used}, but the agent accepts only {', '.join(accepted)}",
            *[cite(s, locs) for s, locs in found.items()],
        )
    return passed(
        spec,
        f"passwords hashed with {', '.join(sorted(usable))}",
        *[cite(s, locs) for s, locs in usable.items()],
        note("accepted schemes", schemes=accepted),
    )


_DJANGO_USER = re.compile(r"\.(create_user|create_superuser|set_password)\(")
_DJANGO_HASHER = re.compile(r"hashers\.(\w+?)PasswordHasher")


def _django_hasher(ctx: StaticContext) -> dict[str, list[Location]]:
    """Django's own user model hashes with the first of PASSWORD_HASHERS (PBKDF2 unless the
    settings say otherwise) when the code sets passwords through it, not through a
    ``set_password`` of its own."""
    if ctx.profile.framework != "django" or ctx.search(r"def set_password\(", "python"):
        return {}
    calls = ctx.search(_DJANGO_USER.pattern, "python")
    if not calls:
        return {}
    named = ctx.search(_DJANGO_HASHER.pattern, "python")
    first = _DJANGO_HASHER.search(named[0].text) if named else None
    name = (first.group(1) if first else "PBKDF2").lower()
    scheme = next((s for s in _SCHEMES if name.startswith(s)), None)
    if scheme is None:  # MD5PasswordHasher, UnsaltedSHA1...: a fast hash, no KDF
        return {}
    return {scheme: calls}


# ------------------------------------------------------------------------------ JWT expiry

_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}


def _lifetime(node: ast.AST) -> float | None:
    """Seconds of the first timedelta(...) with constant arguments inside ``node``."""
    for c in pa.calls(node):
        if pa.call_name(c).endswith("timedelta"):
            total = 0.0
            for kw in c.keywords:
                if (
                    kw.arg in _UNITS
                    and isinstance(kw.value, ast.Constant)
                    and isinstance(kw.value.value, int | float)
                ):
                    total += kw.value.value * _UNITS[kw.arg]
            if (
                c.args
                and isinstance(c.args[0], ast.Constant)
                and isinstance(c.args[0].value, int | float)
            ):
                total += c.args[0].value * 86400
            return total or None
    return None


def _payload_exp(fn: ast.AST, payload: ast.AST) -> ast.AST | bool | None:
    """The exp value node if the payload sets one, False if it provably has none, None: unknown."""
    if isinstance(payload, ast.Dict):
        for k, v in zip(payload.keys, payload.values, strict=False):
            if isinstance(k, ast.Constant) and k.value == "exp":
                return v
            if k is None and isinstance(v, ast.Name):  # {**base, ...}
                return None
        return False
    if isinstance(payload, ast.Call) and pa.call_name(payload) == "dict":
        return next((kw.value for kw in payload.keywords if kw.arg == "exp"), False)
    if isinstance(payload, ast.Name):
        found_def = False
        for n in ast.walk(fn):
            if (
                isinstance(n, ast.AnnAssign)
                and n.value is not None
                and isinstance(n.target, ast.Name)
                and n.target.id == payload.id
            ):
                n = ast.Assign(targets=[n.target], value=n.value)
            if isinstance(n, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == payload.id for t in n.targets
            ):
                found_def = True
                r = _payload_exp(fn, n.value)
                if r is not False:
                    return r
            if isinstance(n, ast.Assign) and any(
                isinstance(t, ast.Subscript)
                and pa.unparse(t) in (f"{payload.id}['exp']", f'{payload.id}["exp"]')
                for t in n.targets
            ):
                return n.value
            if (
                isinstance(n, ast.Call)
                and pa.call_name(n) == f"{payload.id}.update"
                and "exp" in pa.unparse(n)
            ):
                return n
        return False if found_def else None
    return None


@static_check(
    "auth.token-expiry.python-jwt",
    title="Python JWTs carry an exp claim within the allowed lifetime",
    languages=("python",),
    max_lifetime_s=86400,
)
@requires(
    "Python sources",
    lambda ctx: "python" in ctx.languages,
    "no Python sources (JavaScript JWTs: auth.token-expiry.jwt-sign)",
)
def python_jwt_expiry(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: jwt.encode payload without exp; exp timedelta above max_lifetime_s (param or option,
    default 86400); flask-jwt-extended expiry disabled.

    Passes: exp present within the bound, or create_access_token (15 min default); simplejwt's
    `ACCESS_TOKEN_LIFETIME` (5 min default)."""
    opts = ctx.options_for(spec.id, spec.options)
    limit = ctx.param(spec.requirement, "max_lifetime_s", None) or opts["max_lifetime_s"]
    bad, good, unknown = [], [], []
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        for fn in [f.tree, *pa.functions(f.tree)]:
            for c in pa.calls(fn):
                name = pa.call_name(c)
                if (
                    not (name.endswith("jwt.encode") or (name == "encode" and "jwt" in f.text))
                    or not c.args
                ):
                    continue
                if fn is f.tree and any(c in pa.calls(g) for g in pa.functions(f.tree)):
                    continue
                exp = _payload_exp(fn, c.args[0])
                loc = f.location(c.lineno)
                if exp is False:
                    bad.append(finding_at(spec, loc, "jwt.encode payload has no exp claim", ctx))
                elif exp is None:
                    unknown.append(loc)
                else:
                    seconds = _lifetime(exp) if isinstance(exp, ast.AST) else None
                    if seconds is not None and seconds > limit:
                        bad.append(
                            finding_at(
                                spec, loc, f"token lifetime {seconds:.0f}s exceeds {limit}s", ctx
                            )
                        )
                    else:
                        good.append(loc)
    for loc in ctx.search(r"JWT_ACCESS_TOKEN_EXPIRES\W+False|expires_delta\s*=\s*False", "python"):
        bad.append(
            finding_at(spec, loc, "flask-jwt-extended access tokens set to never expire", ctx)
        )
    good += ctx.search(r"\bcreate_access_token\(", "python")
    simplejwt = _simplejwt_lifetime(ctx)
    if simplejwt is not None:
        loc, seconds = simplejwt
        if seconds > limit:
            bad.append(finding_at(spec, loc, f"simplejwt access tokens live {seconds:.0f}s", ctx))
        else:
            good.append(loc)
    if bad:
        return fail_with(spec, "tokens are issued without a bounded expiry", bad)
    if good:
        return passed(spec, "issued tokens carry an expiry", cite("tokens with exp", good))
    if unknown:
        return not_applicable(
            spec,
            "jwt.encode payloads are built elsewhere; expiry could not be read statically",
            cite("jwt.encode", unknown),
        )
    return not_applicable(spec, "no JWTs are issued in Python code")


def _simplejwt_lifetime(ctx: StaticContext) -> tuple[Location, float] | None:
    """(where, seconds) of djangorestframework-simplejwt's access token lifetime: the
    ACCESS_TOKEN_LIFETIME of SIMPLE_JWT, else its default of five minutes where it is used."""
    for f in ctx.sources_in("python"):
        if f.tree is None or "ACCESS_TOKEN_LIFETIME" not in f.text:
            continue
        for node in ast.walk(f.tree):
            if not isinstance(node, ast.Dict):
                continue
            for k, v in zip(node.keys, node.values, strict=False):
                if isinstance(k, ast.Constant) and k.value == "ACCESS_TOKEN_LIFETIME":
                    seconds = _lifetime(v)
                    if seconds is not None:
                        return f.location(v.lineno), seconds
    used = ctx.search(r"\brest_framework_simplejwt\.authentication\b", "python")
    return (used[0], 300.0) if used else None


# ---------------------------------------------------------------------------- refresh flow


@static_check(
    "auth.token-refresh.route",
    title="a refresh endpoint or flow issues new access tokens",
)
@requires_fact("jwt", missing="no access tokens are issued")
def token_refresh(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: tokens issued, but no refresh route or refresh-token handling.

    Passes: a /refresh route or refresh-token code."""
    routes = [r for r in route_paths(ctx) if "refresh" in r[1].lower()]
    if routes:
        return passed(
            spec,
            "a refresh route exists",
            note("refresh routes: " + ", ".join(f"{m} {p} ({w})" for m, p, w in routes)),
        )
    code = ctx.search(r"(?i)\bcreate_refresh_token\(|refresh_?token|refreshToken")
    if code:
        return passed(
            spec, "refresh tokens are issued and handled", cite("refresh token code", code)
        )
    return failed(
        spec,
        "tokens are issued but there is no refresh route or refresh-token handling",
        cite("tokens issued", ctx.fact("jwt")),
    )


# ------------------------------------------------------------------------------- rate limit

_LIMITER = (
    r"(?i:\brate_?limit\w*|\bthrottl\w*|too.many.requests|Retry-After)|\b429\b|\bslowapi\b|"
    r"\bflask_limiter\b|\bLimiter\(|\bdjango_ratelimit\b|\bfastapi_limiter\b|\bRateLimiter\b|"
    r"express-rate-limit|rate-limiter-flexible|express-slow-down|express-brute|\brateLimit\("
)
_GLOBAL_LIMIT = (
    r"(?i:(add_)?middleware\W[^\n]*(rate_?limit|limiter|throttl))|SlowAPIMiddleware|"
    r"default_limits\s*=|\bapp\.use\(\s*(\w*[lL]imiter\w*|rateLimit\(|"
    r"[\w]*[Ll]imit\w*)\s*[,)]|\bapp\.use\(\s*['\"][^'\"]*['\"]\s*,\s*\w*[lL]imit"
)
AUTH_PATH = re.compile(r"(?i)(log-?in|sign-?in|sign-?up|register|auth/token|/token\b|/session)")


def auth_handlers(ctx: StaticContext) -> list[Handler]:
    return [
        h
        for h in handlers(ctx)
        if AUTH_PATH.search(h.path) and h.method in ("POST", "ANY", "GET,POST", "POST,GET")
    ]


@static_check(
    "ratelimit.applied",
    title="a rate limiter is applied globally or on the login/register routes",
)
@requires_routes
def ratelimit(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: no limiter at all, or one not applied to login/register.

    Passes: global limiter middleware, or limits on the auth routes."""
    limiter = ctx.search(_LIMITER)
    if not limiter:
        return failed(
            spec,
            "no rate limiting library or limiter found",
            note(
                "searched for slowapi, flask-limiter, express-rate-limit, rate-limiter-flexible..."
            ),
        )
    global_use = ctx.search(_GLOBAL_LIMIT)
    if global_use:
        return passed(
            spec, "a rate limiter is applied to every route", cite("global limiter", global_use)
        )
    auth = auth_handlers(ctx)
    limited = [
        h
        for h in auth
        if re.search(
            r"(?i)limit", h.body.split("def ", 1)[0] if h.language == "python" else h.body[:400]
        )
        or (h.node is not None and any("limit" in pa.unparse(d) for d in h.node.decorator_list))
    ]
    if auth and len(limited) < len(auth):
        missing = [h for h in auth if h not in limited]
        return fail_with(
            spec,
            "a limiter exists but is not applied to the authentication routes",
            [
                finding_at(
                    spec,
                    ctx.file(h.file).location(h.line)
                    if ctx.file(h.file)
                    else Location(h.file, h.line),
                    f"{h.method} {h.path} has no rate limit",
                    ctx,
                )
                for h in missing
            ],
        )
    return passed(
        spec,
        "rate limits are applied",
        cite("limiter", limiter),
        *([note("limited auth routes: " + ", ".join(str(h) for h in limited))] if limited else []),
    )


# ----------------------------------------------------------------------------------- CSRF

_COOKIE_AUTH = (
    r"\bsession\[|\.set_cookie\(|\blogin_user\(|\bSessionMiddleware\b|\bflask_login\b|"
    r"express-session|cookie-session|\bres\.cookie\(|\breq\.session\b"
)
_HEADER_AUTH = r"(?i)\bAuthorization\b|\bBearer\b|OAuth2PasswordBearer|HTTPBearer"
_CSRF = (
    r"(?i)CSRFProtect|\bcsrf|samesite\s*=\s*['\"](strict|lax)|"
    r"SESSION_COOKIE_SAMESITE\s*=\s*['\"](strict|lax)|CsrfViewMiddleware|\bcsurf\b|"
    r"sameSite\s*:\s*['\"]?(strict|lax|true)"
)


@static_check(
    "http.csrf.protection",
    title="cookie-authenticated apps use CSRF tokens or SameSite cookies; header tokens need none",
)
@requires(
    "authentication",
    lambda ctx: ctx.search(_COOKIE_AUTH) or ctx.search(_HEADER_AUTH),
    "no cookie sessions or authentication found",
)
def csrf(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: cookie/session auth without CSRF tokens or SameSite.

    Passes: CSRF protection, or bearer-header auth (n/a without auth)."""
    cookies = ctx.search(_COOKIE_AUTH)
    if not cookies:
        return passed(
            spec,
            "token-in-header authentication (no ambient cookies to forge)",
            cite("header auth", ctx.search(_HEADER_AUTH)),
        )
    protection = ctx.search(_CSRF)
    if protection:
        return passed(
            spec,
            "cookie sessions are CSRF-protected",
            cite("CSRF protection", protection),
            cite("cookie use", cookies),
        )
    return fail_with(
        spec,
        "cookie-based sessions without CSRF tokens or SameSite",
        [
            finding_at(spec, loc, "cookie/session auth without CSRF protection", ctx)
            for loc in cookies
        ],
    )


# ----------------------------------------------------------------------------- validation

_PY_READS = re.compile(
    r"request\.(json|get_json|form|data|values|body|POST)\b|await\s+request\.(json|form|body)\(\)|"
    r":\s*dict\b(?!\s*\])(?!\s*=\s*Depends\()|Body\("
)
_PY_VALID = re.compile(
    r"(?i)\.load\(|validate|model_validate|parse_obj|Schema\(|\w+\(\*\*\w+\)|isinstance\(|"
    r"if\s+not\s+[\w.]+|"
    r"\bnot\s+in\b|abort\(\s*4\d\d|\b4(00|22)\b|raise\s+\w*(Validation|BadRequest|"
    r"HTTPException)|len\(|\bform\.validate"
)
_JS_READS = re.compile(r"\breq\.body\b")
_JS_VALID = re.compile(
    r"(?i)validationResult|\.validate\w*\(|\.parse\(|safeParse|celebrate|checkSchema|"
    r"\bbody\(\s*['\"]|\bcheck\(\s*['\"]|"
    r"Joi\.|\bz\.|yup\.|\bajv\b|typeof\s|!\s*req\.body\.\w+|!\s*\w+\s*(\|\||\)|&&)|"
    r"status\(\s*4(00|22)\s*\)|\bvalidate\w*\b"
)


_SCHEMA_BASES = {"BaseModel", "Schema", "SQLModel", "FlaskForm", "Form", "TypedDict", "Struct"}


def _schema_classes(ctx: StaticContext) -> set[str]:
    """Names of classes that derive (transitively, across files) from a validation base."""
    bases: dict[str, set[str]] = {}
    for f in ctx.sources_in("python"):
        for node in ast.walk(f.tree) if f.tree is not None else []:
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
    found = {name for name, bs in bases.items() if bs & _SCHEMA_BASES}
    changed = True
    while changed:
        new = {name for name, bs in bases.items() if bs & found} - found
        changed = bool(new)
        found |= new
    return found


_GO_READS = re.compile(
    r"\.ShouldBind\w*\(|\.Bind(JSON|Body)?\w*\(|\.BodyParser\(|json\.NewDecoder\([^)]*Body\)|"
    r"\.(FormValue|PostForm|PostFormValue)\("
)
_GO_VALID = re.compile(
    r"validate\.Struct\(|\.Validate\w*\(|==\s*\"\"|len\(|StatusBadRequest|"
    r"StatusUnprocessableEntity|\b4(00|22)\b|binding:\\?\""
)
_BODY_RULES = {"python": (_PY_READS, _PY_VALID), "go": (_GO_READS, _GO_VALID)}


@static_check(
    "validation.input.schema",
    title="handlers that read request bodies validate them (schema library or explicit checks)",
)
def validation(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a handler reading request.json/get_json/form/req.body with no schema or explicit
    checks.

    Passes: pydantic/marshmallow-typed parameters, validation middleware (zod, joi,
    express-validator) or explicit checks returning 400/422."""
    readers, good, bad = 0, [], []
    models = _schema_classes(ctx)
    for h in handlers(ctx):
        reads, valid = _BODY_RULES.get(h.language, (_JS_READS, _JS_VALID))
        body = h.body
        if h.node is not None and models:
            annotations = {
                n.id
                for a in h.node.args.args
                if a.annotation is not None
                for n in ast.walk(a.annotation)
                if isinstance(n, ast.Name)
            }
            if annotations & models:
                readers += 1
                good.append(
                    Location(h.file, h.line, f"{h.method} {h.path}: schema-typed parameters")
                )
                continue
        if h.language != "python" and re.search(
            r"\bvalidate\w*\(|\bcelebrate\(|checkSchema\(|\bbody\(\s*['\"]", body
        ):
            readers += 1  # validation middleware in the route's own chain
            good.append(Location(h.file, h.line, f"{h.method} {h.path}: validation middleware"))
            continue
        if not reads.search(body):
            continue
        readers += 1
        if valid.search(body):
            good.append(Location(h.file, h.line, f"{h.method} {h.path}"))
        else:
            source = ctx.file(h.file)
            bad.append(
                finding_at(
                    spec,
                    source.location(h.line) if source else Location(h.file, h.line),
                    f"{h.method} {h.path} uses the request body without validating it",
                    ctx,
                )
            )
    if not readers:
        return not_applicable(spec, "no handler reads a request body")
    if bad:
        return fail_with(
            spec, f"{len(bad)} of {readers} body-reading handlers use input unvalidated", bad
        )
    return passed(
        spec,
        f"all {readers} body-reading handlers validate their input",
        cite("validated handlers", good),
    )


# -------------------------------------------------------------------------------- uploads

_UPLOAD = (
    r"request\.files|\bUploadFile\b|\bFileField\b|\bFileStorage\b|\bmulter\b|\bformidable\b|"
    r"\bbusboy\b|express-fileupload|\breq\.files?\b"
)
_SIZE = (
    r"MAX_CONTENT_LENGTH|content_length|\.size\b|len\(\s*(await\s+)?[\w.]+\.read\(\)\s*\)|"
    r"(?i:max_?(file_?)?size)|MAX_UPLOAD|seek\(0,\s*2\)|fstat|fileSize|maxFileSize|limits\s*:"
)
_TYPE = (
    r"content_type|mimetype|allowed_file|ALLOWED_EXTENSIONS|splitext|\.endswith\(|imghdr|"
    r"\bmagic\.|\bfiletype\b|fileFilter|allowedTypes|\bextname\(|\.endsWith\("
)


@static_check(
    "validation.upload.limits",
    title="file uploads are checked for size and type",
)
@requires("file uploads", lambda ctx: ctx.search(_UPLOAD), "the app accepts no file uploads")
def upload(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: uploads (request.files, UploadFile, multer...) without a size limit or a type check.

    Passes: both present."""
    uploads = ctx.search(_UPLOAD)
    size, kind = ctx.search(_SIZE), ctx.search(_TYPE)
    missing = [label for label, hits in (("size limit", size), ("type check", kind)) if not hits]
    if missing:
        return fail_with(
            spec,
            f"uploads without a {' or '.join(missing)}",
            [
                finding_at(spec, loc, f"file upload without {' and '.join(missing)}", ctx)
                for loc in uploads
            ],
        )
    return passed(
        spec,
        "uploads are limited in size and type",
        cite("size limit", size),
        cite("type check", kind),
    )


# ---------------------------------------------------------------------------- audit logging

_LOG_CALL = re.compile(
    r"\b(\w*(log|logger|audit)\w*|logging|app\.logger|current_app\.logger|winston|pino|"
    r"console|req\.log)\.(info|warning|warn|error|critical|exception|log|debug|fatal)\s*\("
)


# a log record about a failure: a warning/error level or a message that says so
_FAILURE_LOG = re.compile(
    r"(?i)\.(warning|warn|error|critical|exception|fatal)\s*\(|fail|invalid|denied|"
    r"unauthori|reject|wrong|mismatch|bad\b"
)


def _logs_failure(text: str) -> bool:
    """A log call whose level or own arguments speak of a failure."""
    return any(
        _FAILURE_LOG.search(text[m.start() : call_end(text, m.end() - 1)])
        for m in _LOG_CALL.finditer(text)
    )


@static_check(
    "logging.audit.failed-login",
    title="login handlers (or the functions they call) log authentication outcomes",
)
def audit(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: login handlers (and login/authenticate helpers) log nothing at warning/error level or
    about failures.

    Passes: a failure log record."""
    logins = [
        h for h in auth_handlers(ctx) if re.search(r"(?i)log-?in|sign-?in|token|session", h.path)
    ]
    if not logins:
        return not_applicable(spec, "no login route found")
    helpers = []
    for f in ctx.sources_in("python"):
        if f.tree is not None:
            helpers += [
                ("\n".join(f.lines[fn.lineno - 1 : fn.end_lineno]), f.location(fn.lineno))
                for fn in pa.functions(f.tree)
                if re.search(r"(?i)login|authenticate|verify_password|check_credentials", fn.name)
            ]
    helpers += [
        (f.text, Location(f.path, 1))
        for f in ctx.sources_in("javascript", "typescript")
        if re.search(r"(?i)(auth|login)\w*\.(service|controller)|services?/auth", f.path)
    ]
    logged_helpers = [loc for text, loc in helpers if _logs_failure(text)]
    good, bad = [], []
    for h in logins:
        source = ctx.file(h.file)
        loc = source.location(h.line) if source else Location(h.file, h.line)
        if _logs_failure(h.body) or logged_helpers:
            good.append(loc)
        else:
            bad.append(
                finding_at(
                    spec, loc, f"{h.method} {h.path} logs no login attempts or failures", ctx
                )
            )
    if bad:
        return fail_with(spec, "failed logins are not logged", bad)
    return passed(
        spec,
        "login attempts are logged",
        cite("login handlers", good),
        *([cite("logging auth helpers", logged_helpers)] if logged_helpers else []),
    )
