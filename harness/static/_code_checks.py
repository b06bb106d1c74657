"""Own checks on the shape of the code: layering, typing, blocking calls in async handlers,
transactions, connection handling and N+1 queries. Python via its syntax tree, JavaScript and
TypeScript via handler text."""

from __future__ import annotations

import ast
import re

from harness.app import call_end
from harness.catalogue import CheckSpec, not_applicable, note, passed
from harness.scorecard._model import CheckResult, Finding
from harness.static import _python_ast as pa
from harness.static._declare import requires_database, requires_handlers, static_check
from harness.static._evaluate import cite, fail_with, finding_at
from harness.static._model import Location, StaticContext
from harness.static._routes import Handler, handlers
from harness.static._stores import memory_stores

JS_DB_CALL = re.compile(
    r"\b(db|pool|client|conn|connection|knex|prisma|sequelize|database|sql|trx|tx)\s*\.\s*"
    r"(all|get|run|each|exec|query|execute|prepare|raw|insert|select|update|delete|from|"
    r"\$queryRaw)\s*\(|"
    r"\b[A-Z]\w*\.(find|findOne|findAll|findById|findByPk|findMany|findUnique|create|update|"
    r"destroy|deleteOne|deleteMany|updateOne|insertMany|aggregate|countDocuments)\s*\(|"
    r"\bprisma\.\w+\.\w+\("
)
JS_DB_READ = re.compile(
    r"\b(db|pool|client|conn|connection|knex|prisma|database|trx|tx)\s*\.\s*(all|get|"
    r"query|each|execute|select)\s*\(|"
    r"\b[A-Z]\w*\.(find|findOne|findAll|findById|findByPk|findMany|findUnique|countDocuments)\s*\(|"
    r"\bprisma\.\w+\.(findMany|findUnique|findFirst)\("
)
JS_WRITE = re.compile(
    r"""\b(run|query|execute|exec|prepare)\(\s*['"`]\s*(INSERT|UPDATE|DELETE|REPLACE)\b|"""
    r"""\b(?!(?:res|req|router|app|map|set|cache|headers|params|searchParams|url|console|this|arr|list|seen|ids)\.)"""
    r"""[a-z]\w*\.(create|insert|update|delete|remove|record|save|softDelete)\w*\s*\(|"""
    r"""\b[A-Z]\w*\.(create|update|destroy|deleteOne|deleteMany|updateOne|insertMany)\s*\(|"""
    r"""\bprisma\.\w+\.(create|update|delete|upsert)\w*\(""",
    re.I,
)
JS_TX = re.compile(
    r"(?i)\bBEGIN\b|\.transaction\(|\btransaction\s*\(|\$transaction|\bCOMMIT\b|startSession"
)
JS_SYNC = re.compile(r"\b\w+Sync\s*\(")
PY_TX_WITH = re.compile(
    r"(?i)(begin|atomic|transaction|session|conn|connection|\bdb\b|engine|cursor|savepoint)"
)


def _loc(ctx: StaticContext, file: str, line: int) -> Location:
    source = ctx.file(file)
    return source.location(line) if source else Location(file, line)


SQL_LITERAL = re.compile(
    r"""(?i)[`'"]\s*(SELECT\s[^`'"]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b"""
)

# ------------------------------------------------------------------------------ layering


@static_check(
    "code.layering.inline-db",
    title="route handlers delegate data access to service/repository modules",
    max_inline_ratio=0.5,
)
@requires_handlers
@requires_database
def layering(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: more than max_inline_ratio (0.5) of handlers call the DB, embed SQL or touch an
    in-memory store inline.

    Passes: handlers delegate to services/repositories."""
    opts = ctx.options_for(spec.id, spec.options)
    hs = handlers(ctx)
    stores = memory_stores(ctx)
    inline_rx = [SQL_LITERAL] + (
        [re.compile(r"\b(" + "|".join(map(re.escape, stores)) + r")\s*(\.|\[)")] if stores else []
    )
    inline = []
    for h in hs:
        hit_line = None
        if h.node is not None:
            hit = next((c for c in pa.calls(h.node) if pa.is_db_call(c)), None)
            hit_line = hit.lineno if hit is not None else None
        else:
            m = JS_DB_CALL.search(h.body)
            hit_line = h.line + h.body.count("\n", 0, m.start()) if m else None
        if hit_line is None:
            m = next((m for rx in inline_rx for m in [rx.search(h.body)] if m), None)
            hit_line = h.line + h.body.count("\n", 0, m.start()) if m else None
        if hit_line is not None:
            inline.append((h, hit_line))
    ratio = len(inline) / len(hs)
    detail = f"{len(inline)} of {len(hs)} handlers query the database inline ({ratio:.0%})"
    if ratio > opts["max_inline_ratio"]:
        return fail_with(
            spec,
            detail,
            [
                finding_at(
                    spec,
                    _loc(ctx, h.file, line),
                    f"{h.method} {h.path}: database call inside the route handler",
                    ctx,
                )
                for h, line in inline
            ],
        )
    inline_ids = {id(x) for x, _ in inline}
    delegating = [h for h in hs if id(h) not in inline_ids]
    return passed(
        spec,
        detail,
        cite("handlers without inline DB access", [_loc(ctx, h.file, h.line) for h in delegating]),
    )


# ---------------------------------------------------------------------------------- typing


@static_check(
    "code.typed.coverage",
    title="most function signatures carry type annotations (Python hints, TypeScript)",
    min_ratio=0.6,
)
def typed(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: fewer than min_ratio (0.6) of functions fully annotated; plain JS counts as
    unannotated unless JSDoc @param {type}.

    Passes: enough Python hints / TypeScript."""
    opts = ctx.options_for(spec.id, spec.options)
    total = annotated = 0
    bare: list[Location] = []
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        for fn in pa.functions(f.tree):
            args = [
                a
                for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
                if a.arg not in ("self", "cls")
            ]
            needs_return = fn.name != "__init__"
            total += 1
            if all(a.annotation is not None for a in args) and (
                fn.returns is not None or not needs_return
            ):
                annotated += 1
            else:
                bare.append(f.location(fn.lineno))
    ts = ctx.sources_in("typescript")
    js = ctx.sources_in("javascript")
    js_functions = sum(len(re.findall(r"\bfunction\b|=>", f.text)) for f in js)
    ts_functions = sum(len(re.findall(r"\bfunction\b|=>", f.text)) for f in ts)
    jsdoc = sum(len(re.findall(r"@param\s*\{", f.text)) for f in js)
    total += js_functions + ts_functions
    annotated += ts_functions + min(jsdoc, js_functions)
    if js_functions:
        bare.extend(Location(f.path, 1, "plain JavaScript") for f in js if "@param {" not in f.text)
    if total == 0:
        return not_applicable(spec, "no functions found")
    ratio = annotated / total
    detail = (
        f"{annotated} of {total} functions annotated ({ratio:.0%}; needs {opts['min_ratio']:.0%})"
    )
    if ratio < opts["min_ratio"]:
        return fail_with(
            spec,
            detail,
            [finding_at(spec, loc, "function without type annotations", ctx) for loc in bare[:50]],
        )
    return passed(
        spec, detail, note(detail, annotated=annotated, total=total, typescript_files=len(ts))
    )


# -------------------------------------------------------------------------------- async I/O

_BLOCKING = re.compile(
    r"^(requests\.\w+|time\.sleep|urllib\.request\.urlopen|urlopen|sqlite3\.connect|"
    r"psycopg2\.connect|"
    r"pymysql\.connect|subprocess\.(run|call|check_output|check_call))$"
)
# a parameter annotated with an async driver's type (AsyncSession, asyncpg.Connection...)
_ASYNC_TYPE = re.compile(r"Async|asyncpg|aiosqlite|Motor")


def _root(node: ast.AST) -> ast.AST:
    """The object a call chain starts from: ``result`` in ``result.scalars().all()``."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _own_nodes(fn: ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of ``fn``'s own body: nested functions and lambdas run where they are called or
    are handed to a thread (asyncio.to_thread, run_in_executor, run_sync), and an async one is
    checked on its own."""
    nodes: list[ast.AST] = []
    stack: list[ast.AST] = [*fn.body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        nodes.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return nodes


def _loop_calls(fn: ast.AsyncFunctionDef) -> list[ast.Call]:
    """The calls ``fn`` makes on the event loop that could block it: not awaited, not entered by
    ``async with``/``async for`` (an async driver's connect/execute), and not made on an object an
    await or an ``async with`` produced or an async type annotates (an aiosqlite connection, an
    asyncpg pool, an AsyncSession, or a result an await already fetched)."""
    nodes = _own_nodes(fn)
    exempt: set[int] = set()
    async_names = {
        a.arg
        for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        if a.annotation is not None and _ASYNC_TYPE.search(pa.unparse(a.annotation))
    }
    for node in nodes:
        if isinstance(node, ast.Await):
            exempt.add(id(node.value))
        elif isinstance(node, ast.AsyncWith):
            for item in node.items:
                exempt.add(id(item.context_expr))
                if isinstance(item.optional_vars, ast.Name):
                    async_names.add(item.optional_vars.id)
        elif isinstance(node, ast.AsyncFor):
            exempt.add(id(node.iter))
        elif isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Await):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            async_names.update(t.id for t in targets if isinstance(t, ast.Name))
    found = []
    for node in nodes:
        if not isinstance(node, ast.Call) or id(node) in exempt:
            continue
        root = _root(node.func)
        if isinstance(root, ast.Await) or (isinstance(root, ast.Name) and root.id in async_names):
            continue
        found.append(node)
    return found


@static_check(
    "code.async-io.blocking",
    title="async handlers make no blocking DB/HTTP/sleep calls",
)
def async_io(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: requests/time.sleep/sqlite3/sync DB calls not awaited in async def; *Sync() calls in
    Express handlers.

    Passes: async handlers without blocking calls (n/a when no async handlers, e.g. Flask)."""
    bad = []
    checked = 0
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        for fn in pa.functions(f.tree):
            if not isinstance(fn, ast.AsyncFunctionDef):
                continue
            checked += 1
            for c in _loop_calls(fn):
                name = pa.call_name(c)
                sync_db = (
                    isinstance(c.func, ast.Attribute)
                    and c.func.attr
                    in ("execute", "executemany", "fetchall", "fetchone", "commit", "query")
                    and pa.is_db_call(c)
                )
                if _BLOCKING.match(name) or sync_db:
                    bad.append(
                        finding_at(
                            spec,
                            f.location(c.lineno),
                            f"blocking call {name or c.func.attr}() inside async def {fn.name}",
                            ctx,
                        )
                    )  # type: ignore[union-attr]
    for h in handlers(ctx):
        if h.language == "python":
            continue
        checked += 1
        for m in JS_SYNC.finditer(h.body):
            line = h.line + h.body.count("\n", 0, m.start())
            bad.append(
                finding_at(
                    spec,
                    _loc(ctx, h.file, line),
                    (
                        f"synchronous {m.group(0).rstrip('(')} blocks the event loop in "
                        f"{h.method} {h.path}"
                    ),
                    ctx,
                )
            )
    if not checked:
        return not_applicable(
            spec, "no async handlers (the framework is synchronous, e.g. Flask/Django views)"
        )
    if bad:
        return fail_with(spec, "blocking calls inside async handlers", bad)
    return passed(
        spec,
        f"{checked} async handler(s)/function(s) make no blocking calls",
        note("searched async functions for requests/time.sleep/sync DB calls and *Sync() calls"),
    )


# ---------------------------------------------------------------------------- transactions


def _py_tx_guarded(fn: ast.AST) -> bool:
    for n in ast.walk(fn):
        if isinstance(n, ast.With | ast.AsyncWith) and any(
            PY_TX_WITH.search(pa.unparse(i.context_expr)) for i in n.items
        ):
            return True
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("rollback", "begin", "begin_nested", "atomic")
        ):
            return True
        if isinstance(n, ast.Call) and re.match(r"^\s*(BEGIN|SAVEPOINT)", pa.sql_text(n), re.I):
            return True
    decorators = getattr(fn, "decorator_list", [])
    return any("atomic" in pa.unparse(d) or "transaction" in pa.unparse(d) for d in decorators)


@static_check(
    "db.transactions.multi-write",
    title="functions with several writes run them in one transaction with rollback",
)
def transactions(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a function making 2+ writes with separate commits or no transaction scope/rollback;
    JS functions with 2+ writes without BEGIN/transaction().

    Passes: writes inside with conn:/session.begin()/atomic/try-rollback/transaction()."""
    bad, good = [], []
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        for fn in pa.functions(f.tree):
            own = [c for c in pa.calls(fn) if pa.is_db_write(c) or pa.is_repository_write(c)]
            if len(own) < 2:
                continue
            commits = [
                c
                for c in pa.calls(fn)
                if isinstance(c.func, ast.Attribute) and c.func.attr == "commit"
            ]
            orm_unit = all(
                isinstance(c.func, ast.Attribute)
                and c.func.attr in ("add", "add_all", "delete", "merge")
                and not pa.is_repository_write(c)
                for c in own
            )
            if _py_tx_guarded(fn) or (orm_unit and len(commits) <= 1):
                good.append(f.location(fn.lineno))
                continue
            why = (
                "each write committed separately"
                if len(commits) >= 2
                else "no transaction scope or rollback on error"
            )
            bad.append(
                finding_at(
                    spec, f.location(fn.lineno), f"{fn.name}() makes {len(own)} writes: {why}", ctx
                )
            )
    for f in ctx.sources_in("javascript", "typescript"):
        spans = _js_function_spans(f.text)
        for start, end in spans:
            body = f.text[start:end]
            nested = [(s0, e0) for s0, e0 in spans if start < s0 and e0 <= end]
            writes = [
                m
                for m in JS_WRITE.finditer(f.text, start, end)
                if not any(s0 <= m.start() < e0 for s0, e0 in nested)
            ]
            if len(writes) < 2:
                continue  # each function is judged by the writes it makes itself
            loc = f.location(f.line_of(start))
            if JS_TX.search(body) or JS_TX.search(f.text[max(0, start - 60) : start]):
                good.append(loc)
            else:
                bad.append(
                    finding_at(
                        spec,
                        loc,
                        f"{len(writes)} writes in one function without a transaction",
                        ctx,
                    )
                )
    if bad:
        return fail_with(spec, "multi-step writes outside a transaction", bad)
    if not good:
        return not_applicable(spec, "no function or handler performs more than one write")
    return passed(
        spec,
        f"{len(good)} multi-write function(s) run in a transaction",
        cite("transactional", good),
    )


# ------------------------------------------------------------------------------- pooling

_PY_CONNECT = re.compile(
    r"^(sqlite3|psycopg2?|pymysql|MySQLdb|mysql\.connector)\.connect$|^create_engine$|"
    r"^sqlalchemy\.create_engine$"
)
_PY_TEARDOWN = (
    r"\bteardown_(appcontext|request)\b|\bshutdown_session\b|@app\.on_event\(\s*['\"]shutdown"
)


def _py_connections(ctx: StaticContext, spec: CheckSpec) -> tuple[list[Finding], list[Location]]:
    """Python: (leaks, well-kept connections). A connection opened in a function is kept well when
    entered by ``with``, closed, yielded or torn down by the framework; an engine made per call
    leaks its pool; a function that returns a connection is a factory, judged by its callers."""
    bad, good = [], []
    teardown = ctx.search(_PY_TEARDOWN)
    factories: dict[str, Location] = {}
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        in_function: set[int] = set()
        for fn in pa.functions(f.tree):
            for c in pa.calls(fn):
                if not _PY_CONNECT.match(pa.call_name(c)):
                    continue
                in_function.add(id(c))
                with_items = {
                    id(i.context_expr)
                    for n in ast.walk(fn)
                    if isinstance(n, ast.With | ast.AsyncWith)
                    for i in n.items
                }
                closes = any(
                    isinstance(x.func, ast.Attribute) and x.func.attr in ("close", "dispose")
                    for x in pa.calls(fn)
                )
                if (
                    any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(fn))
                    and not closes
                ):
                    factories[fn.name] = f.location(c.lineno)
                    continue  # a factory: judged by what its callers do with the connection
                generator = any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(fn))
                if "engine" in pa.call_name(c) and not closes:
                    bad.append(
                        finding_at(
                            spec,
                            f.location(c.lineno),
                            f"{fn.name}() creates a new engine (and pool) per call",
                            ctx,
                        )
                    )
                elif id(c) in with_items or closes or generator or teardown:
                    good.append(f.location(c.lineno))
                else:
                    bad.append(
                        finding_at(
                            spec,
                            f.location(c.lineno),
                            f"{fn.name}() opens a connection that is never closed",
                            ctx,
                        )
                    )
        for c in pa.calls(f.tree):
            if id(c) not in in_function and _PY_CONNECT.match(pa.call_name(c)):
                good.append(f.location(c.lineno))  # module level: one per process
    for name, where in factories.items():
        leaks = _factory_leaks(ctx, spec, name, bool(teardown))
        if leaks:
            bad.extend(leaks)
        else:
            good.append(where)
    return bad, good


def _factory_leaks(
    ctx: StaticContext, spec: CheckSpec, factory: str, teardown: bool
) -> list[Finding]:
    """Functions that take a connection from ``factory()`` and neither close it, enter it with
    ``with``, yield it nor hand it on (nor does a framework teardown close it)."""
    leaks = []
    for f in ctx.sources_in("python"):
        for fn in pa.functions(f.tree) if f.tree is not None else []:
            uses = [c for c in pa.calls(fn) if pa.call_name(c).split(".")[-1] == factory]
            if not uses or fn.name == factory:
                continue
            stored = any(
                isinstance(p, ast.Call) and any(a is u for a in p.args for u in uses)
                for p in pa.calls(fn)
            )
            closes = any(
                isinstance(x.func, ast.Attribute) and x.func.attr == "close" for x in pa.calls(fn)
            )
            withs = any(isinstance(n, ast.With | ast.AsyncWith) for n in ast.walk(fn))
            yields = any(isinstance(n, ast.Yield) for n in ast.walk(fn))
            if not (stored or closes or withs or yields or teardown):
                leaks.append(
                    finding_at(
                        spec,
                        f.location(uses[0].lineno),
                        f"{fn.name}() takes a new connection from {factory}() and never closes it",
                        ctx,
                    )
                )
    return leaks


_JS_POOL = re.compile(
    r"\b(createPool|new\s+(pg\.)?Pool|new\s+(sqlite3\.)?Database|new\s+Sequelize|"
    r"knex\(|mongoose\.connect|new\s+PrismaClient)\s*\(?"
)
# TypeORM's DataSource / TypeOrmModule and Drizzle hold a pool of their own
_TS_POOL = re.compile(
    r"\bnew\s+DataSource\s*\(|\bTypeOrmModule\.forRoot(Async)?\s*\(|\bdrizzle\s*\("
)
# Go: database/sql, pgxpool, GORM and sqlx handles are pools, meant to be opened once
_GO_POOL = re.compile(
    r"\b(sql|sqlx)\.(Open|Connect)\s*\(|\bpgxpool\.New(WithConfig)?\s*\(|\bgorm\.Open\s*\("
)


def _pools(ctx: StaticContext) -> list[Location]:
    """Where JavaScript/TypeScript and Go code sets up a pool, client or engine."""
    found = []
    for f in ctx.sources_in("javascript", "typescript"):
        found += [f.location(f.line_of(m.start())) for m in _JS_POOL.finditer(f.text)]
        found += [f.location(f.line_of(m.start())) for m in _TS_POOL.finditer(f.text)]
    for f in ctx.sources_in("go"):
        found += [f.location(f.line_of(m.start())) for m in _GO_POOL.finditer(f.text)]
    return found


# what opens a connection inside a request handler, and what releases it
_JS_NEW_CONN = re.compile(r"new\s+(sqlite3\.)?(Database|Client)\s*\(|\bcreateConnection\s*\(")
_JS_RELEASE = re.compile(r"\.(close|end|release|destroy)\s*\(")
_GO_NEW_CONN = re.compile(r"\b(sql|sqlx)\.(Open|Connect)\s*\(|\bpgx\.Connect\s*\(")
_GO_RELEASE = re.compile(r"\.Close\s*\(")


def _per_request_leaks(ctx: StaticContext, spec: CheckSpec) -> list[tuple[Handler, Finding]]:
    """JavaScript/TypeScript and Go handlers that open a connection and never release it."""
    out = []
    for h in handlers(ctx):
        if h.language == "python":
            continue
        opens, release = (
            (_GO_NEW_CONN, _GO_RELEASE) if h.language == "go" else (_JS_NEW_CONN, _JS_RELEASE)
        )
        m = opens.search(h.body)
        if m and not release.search(h.body):
            line = h.line + h.body.count("\n", 0, m.start())
            message = f"{h.method} {h.path} opens a connection per request and never closes it"
            out.append((h, finding_at(spec, _loc(ctx, h.file, line), message, ctx)))
    return out


@static_check(
    "db.pooling.connections",
    title="connections come from one engine/pool or are closed after use",
)
def pooling(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: connect() per call never closed (also via a get_db() factory whose callers never
    close), engine per call, new Client per request; a Go handler calling `sql.Open`/`pgx.Connect`
    without `Close`.

    Passes: module-level engine/pool, with/close/yield/teardown; TypeORM `DataSource`/
    `TypeOrmModule.forRoot`, Drizzle; Go `sql.Open`, `sqlx`, `pgxpool.New`, `gorm.Open` outside
    handlers."""
    bad, good = _py_connections(ctx, spec)
    good += _pools(ctx)
    for h, leak in _per_request_leaks(ctx, spec):
        bad.append(leak)
        # what a leaking handler opens per request is no pool, though it matched one
        good = [g for g in good if not (g.file == h.file and h.line <= g.line <= h.end_line)]
    if bad:
        return fail_with(spec, "connections opened per call and not released", bad)
    if not good:
        return not_applicable(spec, "no database connection code found")
    return passed(
        spec, "connections are created once or released after use", cite("connection setup", good)
    )


# -------------------------------------------------------------------------------- N+1


def _result_names(fn: ast.AST) -> set[str]:
    """Names bound to query results inside a function."""
    names = set()
    for n in ast.walk(fn):
        if not (isinstance(n, ast.Assign | ast.AnnAssign) and n.value is not None):
            continue
        if any(
            pa.is_db_read(c)
            or (
                isinstance(c.func, ast.Attribute)
                and c.func.attr in ("fetchall", "fetchmany", "all", "scalars")
            )
            for c in pa.calls(n.value)
        ):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _py_loop_queries(fn: ast.AST) -> list[ast.Call]:
    """Query calls inside loops that iterate over query results."""
    results = _result_names(fn)
    out = []
    for loop in ast.walk(fn):
        if isinstance(loop, ast.For | ast.AsyncFor):
            iters, body = [loop.iter], loop.body
        elif isinstance(loop, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            iters = [g.iter for g in loop.generators]
            body = [loop.key, loop.value] if isinstance(loop, ast.DictComp) else [loop.elt]
        else:
            continue
        over_rows = any(
            any(isinstance(n, ast.Name) and n.id in results for n in ast.walk(it))
            or any(pa.is_db_read(c) for c in pa.calls(it))
            for it in iters
        )
        if not over_rows:
            continue
        hit = next((c for b in body for c in pa.calls(b) if pa.is_db_read(c)), None)
        if hit is not None:
            out.append(hit)
    return out


_JS_FUNCTION = re.compile(
    (
        r"(\bfunction\b[^(]*\([^)]*\)|\([^()]*\)\s*=>|\b[A-Za-z_$][\w$]*\s*=>|"
        r"^\s*(async\s+)?[A-Za-z_$][\w$]*\s*\([^)]*\))\s*\{"
    ),
    re.M,
)


def _js_function_spans(text: str, base: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of function bodies (declarations, arrows, methods)."""
    spans = []
    for m in _JS_FUNCTION.finditer(text):
        brace = m.end() - 1
        spans.append((base + brace, base + call_end(text, brace)))
    return spans


_JS_LOOP = re.compile(r"\bfor\s*\(|\.(forEach|map|flatMap)\s*\(")


def _js_loop_queries(text: str) -> list[int]:
    """Offsets of database reads inside the arguments or body of a for/forEach/map loop."""
    out = []
    for m in _JS_LOOP.finditer(text):
        start = text.index("(", m.start())
        end = call_end(text, start)
        span = text[start:end]
        if m.group(0).startswith("for"):  # for (...) { body }
            brace = text.find("{", end)
            if 0 <= brace - end < 3:
                span = text[brace : call_end(text, brace)]
        q = JS_DB_READ.search(span)
        if q:
            out.append(text.find(span) + q.start())
    return out


@static_check(
    "db.query-efficiency.n-plus-one",
    title="no query inside a loop over results (N+1)",
)
@requires_database
def n_plus_one(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a query inside a loop over an earlier query's rows (Python) / inside for/forEach/map
    (JS).

    Passes: reads present, none in loops."""
    bad, reads = [], 0
    for f in ctx.sources_in("python"):
        if f.tree is None:
            continue
        reads += sum(1 for c in pa.calls(f.tree) if pa.is_db_read(c)) + len(
            re.findall(r"""(?i)["']\s*SELECT\s""", f.text)
        )
        for fn in pa.functions(f.tree):
            for hit in _py_loop_queries(fn):
                bad.append(
                    finding_at(
                        spec,
                        f.location(hit.lineno),
                        "a query runs once per row of an earlier query (N+1)",
                        ctx,
                    )
                )
    for f in ctx.sources_in("javascript", "typescript"):
        reads += len(JS_DB_READ.findall(f.text)) + len(
            re.findall(r"""(?i)[`'"]\s*SELECT\s""", f.text)
        )
        for offset in _js_loop_queries(f.text):
            bad.append(
                finding_at(
                    spec,
                    f.location(f.line_of(offset)),
                    "a query runs once per item of a loop (N+1)",
                    ctx,
                )
            )
    if bad:
        unique = {(b.file, b.line): b for b in bad}
        return fail_with(spec, "queries inside loops", list(unique.values()))
    if not reads:
        return not_applicable(spec, "no database reads found")
    return passed(
        spec,
        f"{reads} database read(s), none inside a loop",
        note("searched loops and comprehensions for queries"),
    )


# ----------------------------------------------------------------------------- soft delete

_HARD_DELETE = re.compile(
    r"""(?i)\bDELETE\s+FROM\b|\bsession\.delete\(|\.objects\.[^\n]*\.delete\(\)|\.destroy\(|\.deleteOne\(|"""
    r"""\.deleteMany\(|\.splice\(|\bdel\s+\w+\[|\.pop\(\s*\w+\s*\)|\.remove\(\s*\w+\s*\)|\bfilter\(\s*\w+\s*=>[^)]*!==?"""
)
_SOFT = re.compile(r"(?i)deleted_?at|is_?deleted|paranoid\s*:\s*true|soft_?delete")


@static_check(
    "db.soft-delete.flag",
    title="deletes set a deleted_at/is_deleted flag instead of removing rows",
)
def soft_delete(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: DELETE routes / DELETE FROM / destroy / splice without a deleted_at/is_deleted flag.

    Passes: a soft-delete flag exists."""
    delete_routes = [h for h in handlers(ctx) if h.method == "DELETE"]
    hard = ctx.search(_HARD_DELETE.pattern)
    if not delete_routes and not hard:
        return not_applicable(spec, "the app deletes nothing (no DELETE route or delete statement)")
    soft = ctx.search(_SOFT.pattern) + [
        loc for f in ctx.sources_in("sql", "prisma") for loc in f.search(_SOFT)
    ]
    if soft:
        return passed(spec, "deletion is soft", cite("soft-delete flag", soft))
    where = hard or [_loc(ctx, h.file, h.line) for h in delete_routes]
    return fail_with(
        spec,
        "deletes remove data; no deleted_at/is_deleted flag",
        [finding_at(spec, loc, "hard delete", ctx) for loc in where],
    )
