"""Route handlers with their bodies: what the handler-level checks (layering, blocking calls,
transactions, audit logging, rate limits...) look inside.

Python handlers come from the syntax tree (decorated functions, Django views named in urls.py);
Express handlers from a small scanner that finds ``x.get('/path', ...)`` calls and their full
argument text, skipping strings, template literals and comments.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from harness.static._model import SourceFile, StaticContext

HTTP_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "api_route", "head", "options"}


@dataclass
class Handler:
    method: str
    path: str
    file: str
    line: int
    end_line: int
    name: str
    language: str
    body: str  # source text of the handler (Python function / Express call)
    node: ast.FunctionDef | ast.AsyncFunctionDef | None = None

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef) or (
            self.language != "python" and "async" in self.body[:200]
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.file}:{self.line})"


# ------------------------------------------------------------------------------------ Python


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _receiver(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _constants(files: list[SourceFile]) -> dict[str, str]:
    """Module-level NAME = "literal" assignments, for prefixes given as constants."""
    out: dict[str, str] = {}
    for f in files:
        for node in f.tree.body if f.tree is not None else []:
            if isinstance(node, ast.Assign | ast.AnnAssign) and _const_str(node.value) is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        out.setdefault(t.id, _const_str(node.value) or "")
    return out


def _python_prefixes(files: list[SourceFile]) -> dict[tuple[str, str], str]:
    """(file stem or '*', router variable) -> prefix, from constructors and mounts."""
    own: dict[tuple[str, str], str] = {}
    mounts: dict[tuple[str, str], str] = {}
    constants = _constants(files)

    def value(node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        if isinstance(node, ast.Attribute):
            return constants.get(node.attr)
        return _const_str(node)

    for f in files:
        if f.tree is None:
            continue
        stem = PurePosixPath(f.path).stem
        for node in ast.walk(f.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                ctor = _receiver(node.value.func)
                prefix = value(_kw(node.value, "prefix") or _kw(node.value, "url_prefix"))
                if ctor in ("APIRouter", "Blueprint") and prefix:
                    for t in node.targets:
                        if isinstance(t, ast.Name):
                            own[(stem, t.id)] = prefix
            if isinstance(node, ast.Call) and _receiver(node.func) in (
                "include_router",
                "register_blueprint",
            ):
                prefix = value(_kw(node, "prefix") or _kw(node, "url_prefix"))
                if prefix and node.args:
                    target = node.args[0]
                    module = (
                        target.value.id
                        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        else "*"
                    )
                    mounts[(module, _receiver(target))] = prefix
    out = dict(own)
    for (module, var), prefix in mounts.items():
        for (stem, v), p in list(own.items()) or []:
            if v == var and module in ("*", stem):
                out[(stem, v)] = prefix.rstrip("/") + p
        out.setdefault((module, var), prefix)
    return out


def _python_handlers(files: list[SourceFile]) -> list[Handler]:
    prefixes = _python_prefixes(files)
    out: list[Handler] = []
    django_views = _django_views(files)
    for f in files:
        if f.tree is None:
            continue
        stem = PurePosixPath(f.path).stem
        for node in ast.walk(f.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for dec in node.decorator_list:
                if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
                    continue
                if dec.func.attr not in HTTP_DECORATORS:
                    continue
                path = _const_str(dec.args[0]) if dec.args else _const_str(_kw(dec, "path"))
                if path is None:
                    continue
                method = dec.func.attr.upper()
                if method in ("ROUTE", "API_ROUTE"):
                    methods = _kw(dec, "methods")
                    names = [
                        e.value.upper()
                        for e in getattr(methods, "elts", [])
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    ]
                    method = ",".join(names) or "GET"
                var = _receiver(dec.func.value)
                prefix = prefixes.get((stem, var)) or prefixes.get(("*", var), "")
                out.append(_py_handler(f, node, method, prefix.rstrip("/") + path))
                break
            else:
                if (f.path, node.name) in django_views:
                    out.append(_py_handler(f, node, "ANY", django_views[(f.path, node.name)]))
    return out


def _py_handler(
    f: SourceFile, node: ast.FunctionDef | ast.AsyncFunctionDef, method: str, path: str
) -> Handler:
    end = node.end_lineno or node.lineno
    return Handler(
        method=method,
        path=path or "/",
        file=f.path,
        line=node.lineno,
        end_line=end,
        name=node.name,
        language="python",
        body="\n".join(f.lines[node.lineno - 1 : end]),
        node=node,
    )


_DJANGO_PATH = re.compile(r"""\b(?:re_)?path\(\s*r?['"]([^'"]*)['"]\s*,\s*(?:\w+\.)*(\w+)""")


def _django_views(files: list[SourceFile]) -> dict[tuple[str, str], str]:
    """(views file, function name) -> path, for function views named in urls.py files."""
    named: dict[str, str] = {}
    for f in files:
        if f.path.endswith("urls.py"):
            for m in _DJANGO_PATH.finditer(f.text):
                named.setdefault(m.group(2), "/" + m.group(1).lstrip("^").rstrip("$"))
    out = {}
    for f in files:
        if f.tree is None or not PurePosixPath(f.path).name.startswith("views"):
            continue
        for node in f.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in named:
                out[(f.path, node.name)] = named[node.name]
            if isinstance(node, ast.ClassDef) and node.name in named:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name in HTTP_DECORATORS:
                        out[(f.path, item.name)] = named[node.name]
    return out


# ---------------------------------------------------------------------------------- Express

_JS_ROUTE = re.compile(
    r"""\b([A-Za-z_$][\w$]*)\.(get|post|put|patch|delete|all)\(\s*(['"`])(/[^'"`]*)\3"""
)
_JS_REQUIRE = re.compile(
    r"""(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\(\s*['"](\.[^'"]+)['"]\s*\)"""
    r"""|import\s+([A-Za-z_$][\w$]*)\s+from\s+['"](\.[^'"]+)['"]"""
)
_JS_DESTRUCTURE = re.compile(
    r"""(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"](\.[^'"]+)['"]\s*\)"""
    r"""|import\s*\{([^}]*)\}\s*from\s+['"](\.[^'"]+)['"]"""
)
_JS_CONST = re.compile(r"""(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(['"`])(/[^'"`]*)\2""")
_JS_MOUNT = re.compile(
    r"""\b[A-Za-z_$][\w$]*\.use\(\s*(?:(['"`])(/[^'"`]*)\1|([A-Za-z_$][\w$.]*))\s*,\s*(?:[^,()]*,\s*)*"""
    r"""(?:require\(\s*['"](\.[^'"]+)['"]\s*\)|([A-Za-z_$][\w$]*))\s*(?:\([^()]*\))?\s*\)"""
)
_JS_CHAIN = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*\.route\(\s*(['"`])(/[^'"`]*)\2\s*\)""")
_JS_CHAINED_METHOD = re.compile(r"""\s*\.(get|post|put|patch|delete|all)\s*\(""")


def call_end(text: str, open_paren: int) -> int:
    """Index just past the parenthesis matching ``text[open_paren]``; strings, template literals
    and comments are skipped. Returns len(text) when unbalanced."""
    depth = 0
    i = open_paren
    n = len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "`":
            j = i + 1
            while j < n and text[j] != "`":
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith("${", j):
                    j = call_end(text, j + 1)  # ${ ... } may nest anything
                    continue
                j += 1
            i = j + 1
            continue
        if text.startswith("//", i):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _resolve(base: str, spec: str, known: set[str]) -> str | None:
    root = PurePosixPath(base).parent
    parts: list[str] = []
    for part in (root / spec).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    target = "/".join(parts)
    for candidate in (
        target,
        *(target + e for e in (".js", ".ts", ".mjs", ".cjs")),
        *(target + "/index" + e for e in (".js", ".ts")),
    ):
        if candidate in known:
            return candidate
    return None


def _js_prefixes(files: list[SourceFile]) -> dict[str, str]:
    """file -> prefix under which its routes are mounted (app.use('/api/v1', router))."""
    known = {f.path for f in files}
    constants = {m.group(1): m.group(3) for f in files for m in _JS_CONST.finditer(f.text)}
    mounted: dict[str, tuple[str, str]] = {}  # child file -> (parent file, prefix)
    local: dict[tuple[str, str], str] = {}
    for f in files:
        imports: dict[str, str] = {}
        for m in _JS_REQUIRE.finditer(f.text):
            var, spec = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            target = _resolve(f.path, spec, known)
            if target:
                imports[var] = target
        for m in _JS_DESTRUCTURE.finditer(f.text):
            names, spec = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
            target = _resolve(f.path, spec, known)
            for name in (names or "").split(","):
                name = name.split(":")[-1].split(" as ")[-1].strip()
                if target and name:
                    imports[name] = target
        for m in _JS_MOUNT.finditer(f.text):
            prefix = m.group(2) if m.group(1) else constants.get((m.group(3) or "").split(".")[-1])
            spec, var = m.group(4), m.group(5)
            target = _resolve(f.path, spec, known) if spec else imports.get(var or "")
            if prefix is not None and target and target != f.path:
                mounted[target] = (f.path, prefix)
            elif prefix is not None and var and not spec:
                local[(f.path, var)] = prefix  # router declared and mounted in one file
    out: dict[str, str] = {}
    for child in mounted:
        prefix, seen, node = "", set(), child
        while node in mounted and node not in seen:
            seen.add(node)
            parent, p = mounted[node]
            prefix = p.rstrip("/") + prefix
            node = parent
        out[child] = prefix
    for (path, var), prefix in local.items():
        out[f"{path}\x00{var}"] = out.get(path, "").rstrip("/") + prefix
    return out


def _js_handlers(files: list[SourceFile]) -> list[Handler]:
    prefixes = _js_prefixes(files)
    out: list[Handler] = []
    for f in files:
        for m in _JS_ROUTE.finditer(f.text):
            receiver = m.group(1)
            if receiver in ("axios", "http", "https", "api", "client", "request", "fetch", "$"):
                continue
            open_paren = f.text.index("(", m.start())
            end = call_end(f.text, open_paren)
            line = f.line_of(m.start())
            out.append(
                Handler(
                    method=m.group(2).upper().replace("ALL", "ANY"),
                    path=prefixes.get(f"{f.path}\x00{receiver}", prefixes.get(f.path, "")).rstrip(
                        "/"
                    )
                    + m.group(4),
                    file=f.path,
                    line=line,
                    end_line=f.line_of(end - 1),
                    name=f"{receiver}.{m.group(2)}",
                    language=f.language,
                    body=f.text[m.start() : end],
                )
            )
        for m in _JS_CHAIN.finditer(f.text):  # router.route('/x').get(...).post(...)
            pos = call_end(f.text, f.text.index("(", m.start() + len(m.group(1))))
            while True:
                cm = _JS_CHAINED_METHOD.match(f.text, pos)
                if not cm:
                    break
                end = call_end(f.text, cm.end() - 1)
                out.append(
                    Handler(
                        method=cm.group(1).upper().replace("ALL", "ANY"),
                        path=prefixes.get(f.path, "").rstrip("/") + m.group(3),
                        file=f.path,
                        line=f.line_of(cm.start() + len(cm.group(0)) - len(cm.group(0).lstrip())),
                        end_line=f.line_of(end - 1),
                        name=f"{m.group(1)}.route.{cm.group(1)}",
                        language=f.language,
                        body=f.text[cm.start() : end],
                    )
                )
                pos = end
    return [h for h in out if h.method != "ANY" or "methodNotAllowed" not in h.body]


def handlers(ctx: StaticContext) -> list[Handler]:
    """Every route handler found in the repo's sources (cached on the context)."""
    if "handlers" not in ctx._cache:
        ctx._cache["handlers"] = _python_handlers(ctx.sources_in("python")) + _js_handlers(
            ctx.sources_in("javascript", "typescript")
        )
    return ctx._cache["handlers"]


def route_paths(ctx: StaticContext) -> list[tuple[str, str, str]]:
    """(method, path, where) for every route: the app profile's when it has them (the detection
    stage follows mounts more thoroughly), else the handlers found here."""
    if ctx.profile.routes:
        return [(r.method, r.path, f"{r.file}:{r.line}") for r in ctx.profile.routes]
    return [(h.method, h.path, f"{h.file}:{h.line}") for h in handlers(ctx)]
