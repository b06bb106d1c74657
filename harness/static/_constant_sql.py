"""Is string-built SQL constant after all? Analyzers flag every query assembled with an f-string,
%, .format, + or a template literal; generated code often does that with values that cannot carry
input: module constants, a ternary of two literals ("ASC" / "DESC"), int()/parseInt() casts,
placeholder lists (",".join("?" * n)) or a name checked against an allowlist first. Such a finding
is dropped, with the reason, only when every interpolated part is proven safe."""

from __future__ import annotations

import ast
import re

from harness.app import call_end
from harness.static._model import SourceFile

# ------------------------------------------------------------------------------------ Python

_CASTS = {"int", "float", "len", "bool", "abs", "round", "min", "max"}
_CONSTANT_HOLDERS = {"self", "cls", "config", "settings", "constants", "Config", "Settings"}


def _enclosing(tree: ast.Module, line: int) -> ast.AST:
    """The innermost function around ``line`` (the module when there is none)."""
    best: ast.AST = tree
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
            and (best is tree or node.lineno >= best.lineno)  # type: ignore[attr-defined]
        ):
            best = node
    return best


class _PyProver:
    def __init__(self, tree: ast.Module, scope: ast.AST):
        self.tree = tree
        self.scope = scope
        self.seen: set[str] = set()

    def assignments(self, name: str, where: ast.AST) -> list[ast.AST]:
        out: list[ast.AST] = []
        for node in ast.walk(where):
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            ) or (
                isinstance(node, ast.AnnAssign | ast.AugAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
                and node.value is not None
            ):
                out.append(node.value)
            elif isinstance(node, ast.For | ast.comprehension) and any(
                isinstance(t, ast.Name) and t.id == name for t in ast.walk(node.target)
            ):
                out.append(node.iter)
            elif isinstance(node, ast.arguments) and any(
                a.arg == name for a in [*node.args, *node.kwonlyargs, *node.posonlyargs]
            ):
                out.append(ast.Name(id="<parameter>"))  # input: never constant
        return out

    def allowlisted(self, name: str) -> bool:
        """``if name not in ALLOWED: return/raise/abort/name = "const"`` in the scope."""
        for node in ast.walk(self.scope):
            if not isinstance(node, ast.If):
                continue
            test = node.test
            if (
                isinstance(test, ast.Compare)
                and isinstance(test.left, ast.Name)
                and test.left.id == name
                and len(test.ops) == 1
                and isinstance(test.ops[0], ast.NotIn)
            ):
                last = node.body[-1] if node.body else None
                if isinstance(last, ast.Return | ast.Raise):
                    return True
                if (
                    isinstance(last, ast.Expr)
                    and isinstance(last.value, ast.Call)
                    and re.search(r"(^|\.)abort$", ast.unparse(last.value.func))
                ):
                    return True  # abort(400): raises
                if isinstance(last, ast.Assign) and self.safe(last.value):
                    return True
        return False

    def safe(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(
                self.safe(v.value) if isinstance(v, ast.FormattedValue) else True
                for v in node.values
            )
        if isinstance(node, ast.BinOp):
            return self.safe(node.left) and self.safe(node.right)
        if isinstance(node, ast.IfExp):
            return self.safe(node.body) and self.safe(node.orelse)
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return all(self.safe(e) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(v is not None and self.safe(v) for v in node.values)
        if isinstance(node, ast.GeneratorExp | ast.ListComp):
            return self.safe(node.elt)
        if isinstance(node, ast.Subscript):  # ALLOWED_COLUMNS[key]: a value of a constant dict
            return self.safe(node.value)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _CASTS:
                return True
            if isinstance(func, ast.Attribute) and func.attr == "join":
                return self.safe(func.value) and all(self.safe(a) for a in node.args)
            if isinstance(func, ast.Attribute) and func.attr == "get" and node.args:
                # ALLOWED.get(key, "default"): the value comes from a constant mapping
                return self.safe(func.value) and all(self.safe(a) for a in node.args[1:])
            if isinstance(func, ast.Attribute) and func.attr in ("upper", "lower", "strip"):
                return self.safe(func.value)
            if isinstance(func, ast.Name) and func.id in ("range", "enumerate", "zip"):
                return True  # numbers
            if isinstance(func, ast.Attribute) and func.attr == "format":
                return self.safe(func.value) and all(self.safe(a) for a in node.args)
            return False
        if isinstance(node, ast.Name):
            if node.id == "<parameter>" or node.id in self.seen:
                return node.id != "<parameter>"
            self.seen.add(node.id)
            try:
                if self.allowlisted(node.id):
                    return True
                local = self.assignments(node.id, self.scope) if self.scope is not self.tree else []
                module = [
                    v
                    for stmt in self.tree.body
                    if isinstance(stmt, ast.Assign | ast.AnnAssign)
                    for v in self.assignments(node.id, stmt)
                ]
                values = local or module
                return bool(values) and all(self.safe(v) for v in values)
            finally:
                self.seen.discard(node.id)
        if isinstance(node, ast.Attribute):  # config.TABLE, self.TABLE: constants by convention
            return (
                isinstance(node.value, ast.Name)
                and node.value.id in _CONSTANT_HOLDERS
                and node.attr.isupper()
            )
        return False


def _py_sql_nodes(tree: ast.Module, line: int, end_line: int) -> list[ast.AST]:
    """The string-building expressions on the finding's lines, and query arguments that are
    plain names (resolved by the prover)."""
    out: list[ast.AST] = []
    for node in ast.walk(tree):
        lineno = getattr(node, "lineno", None)
        if lineno is None or not (line <= lineno <= end_line):
            continue
        if (
            isinstance(node, ast.JoinedStr)
            or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
            )
        ):
            out.append(node)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
            out.append(node.args[0])
    return out


def python_reason(source: SourceFile, line: int, end_line: int) -> str | None:
    tree = source.tree
    if tree is None:
        return None
    nodes = _py_sql_nodes(tree, line, end_line)
    if not nodes:
        return None
    prover = _PyProver(tree, _enclosing(tree, line))
    if all(prover.safe(n) for n in nodes):
        return "every interpolated part is a constant, a cast, a placeholder list or allowlisted"
    return None


# ---------------------------------------------------------------------------- JavaScript

_JS_SAFE_EXPR = re.compile(
    r"""^\s*(?:
        -?\d+(?:\.\d+)?                                       # number
      | '[^'\\\n]*' | "[^"\\\n]*"                             # string literal
      | (?:parseInt|parseFloat|Number|Math\.\w+)\s*\(.*\)(?:\s*\|\|\s*\d+)?  # numeric cast
      | [\w$.]+\s*\?\s*(?:'[^'\n]*'|"[^"\n]*"|\d+)\s*:\s*(?:'[^'\n]*'|"[^"\n]*"|\d+)
      | .*?\?\s*(?:'[^'\n]*'|"[^"\n]*")\s*:\s*(?:'[^'\n]*'|"[^"\n]*")   # cond ? 'A' : 'B'
      | [\w$.]+\.map\(\s*\(?\s*\w*\s*\)?\s*=>\s*['"]\?['"]\s*\)\.join\(\s*['"][^'"]*['"]\s*\)
      | (?:Array\(|new\ Array\()[^)]*\)\.fill\(\s*['"]\?['"]\s*\)\.join\(\s*['"][^'"]*['"]\s*\)
      | ['"]\?[^'"]*['"]\.repeat\(.*\)(?:\.slice\(.*\))?
    )\s*;?\s*$""",
    re.X,
)
_JS_IDENT = re.compile(r"^\s*([A-Za-z_$][\w$]*)\s*$")
_JS_UPPER = re.compile(r"^\s*[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*\s*$")


def _js_interpolations(text: str) -> list[str] | None:
    """The non-literal parts of template literals and + concatenations in ``text``; None when
    the text is not understood."""
    parts: list[str] = []
    for m in re.finditer(r"\$\{", text):  # ${ expr } with nesting
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth:
            return None
        parts.append(text[m.end() : i - 1])
    no_templates = re.sub(r"`[^`]*`", "``", text)
    no_strings = re.sub(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", "''", no_templates)
    for m in re.finditer(r"\+\s*([A-Za-z_$][\w$.]*(?:\([^()]*\))?)", no_strings):
        parts.append(m.group(1))
    for m in re.finditer(r"([A-Za-z_$][\w$.]*(?:\([^()]*\))?)\s*\+", no_strings):
        parts.append(m.group(1))
    return parts


def _js_definitions(text: str, name: str) -> list[str]:
    rx = re.compile(
        rf"(?:\b(?:const|let|var)\s+{re.escape(name)}\s*(?::\s*[\w<>\[\]| ]+)?=(?!=)|"
        rf"(?<![\w$.]){re.escape(name)}\s*\+?=(?!=))\s*([^;\n]+)"
    )
    return [m.group(1) for m in rx.finditer(text)]


def _js_allowlisted(text: str, name: str) -> bool:
    n = re.escape(name)
    return bool(
        re.search(
            rf"if\s*\(\s*!\s*[\w$.]+\.(includes|has)\(\s*{n}\s*\)\s*\)\s*\{{?\s*"
            rf"(return\b|throw\b|{n}\s*=\s*['\"])",
            text,
        )
        or re.search(
            rf"if\s*\(\s*[\w$.]+\.indexOf\(\s*{n}\s*\)\s*===?\s*-1\s*\)\s*\{{?\s*(return|throw)",
            text,
        )
    )


def _js_safe(text: str, expr: str, depth: int = 0) -> bool:
    if depth > 4:
        return False
    if _JS_SAFE_EXPR.match(expr) or _JS_UPPER.match(expr):
        return True
    m = _JS_IDENT.match(expr)
    if not m:
        return False
    name = m.group(1)
    if _js_allowlisted(text, name):
        return True
    definitions = _js_definitions(text, name)
    if not definitions:
        return False
    for d in definitions:
        d = d.strip().rstrip(";")
        if d.startswith(("`", "'", '"')) or "+" in d:
            inner = _js_interpolations(d)
            if inner is None or not all(_js_safe(text, p, depth + 1) for p in inner):
                return False
        elif not _js_safe(text, d, depth + 1):
            return False
    return True


_JS_QUERY_CALL = re.compile(
    r"\.\s*(all|get|run|each|exec|query|execute|prepare|raw|unsafe|\$queryRawUnsafe|"
    r"\$executeRawUnsafe)\s*\("
)


def _first_argument(text: str, open_paren: int) -> str:
    """The text of the first argument of the call opening at ``open_paren``."""
    end = call_end(text, open_paren)
    inner = text[open_paren + 1 : end - 1]
    depth, i = 0, 0
    while i < len(inner):
        c = inner[i]
        if c in "'\"`":
            j = i + 1
            while j < len(inner) and inner[j] != c:
                j += 2 if inner[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            return inner[:i]
        i += 1
    return inner


def javascript_reason(source: SourceFile, line: int, end_line: int) -> str | None:
    chunk = "\n".join(source.lines[line - 1 : end_line])
    m = _JS_QUERY_CALL.search(chunk)
    sql = _first_argument(chunk, m.end() - 1).strip() if m else chunk
    parts = _js_interpolations(sql)
    if parts is None:
        return None
    if not parts and _JS_IDENT.match(sql):  # a query handed over as a variable
        parts = [sql]
    if not parts:
        return None
    before = "\n".join(source.lines[:end_line])
    if all(_js_safe(before, p) for p in parts):
        return "every interpolated part is a constant, a cast, a placeholder list or allowlisted"
    return None


def constant_sql_reason(source: SourceFile | None, line: int, end_line: int) -> str | None:
    """Why the SQL built at these lines cannot carry input, or None when that is not proven."""
    if source is None:
        return None
    try:
        if source.language == "python":
            return python_reason(source, line, end_line)
        if source.language in ("javascript", "typescript"):
            return javascript_reason(source, line, end_line)
    except RecursionError:
        return None
    return None
