"""Small questions about Python syntax trees that route readers, input readers and static checks
all ask: the dotted name of a callee, a keyword argument, the string a node stands for."""

from __future__ import annotations

import ast
import contextlib
from pathlib import PurePosixPath


def unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, TypeError, AttributeError):  # malformed or unusual nodes
        return ""


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a name chain, ``a.b().c`` through calls; empty when the chain does not start
    at a plain name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        inner = dotted(node.func)
        parts.append(inner + "()" if inner else "")
    else:
        return ""
    return ".".join(reversed(parts))


def call_name(call: ast.Call) -> str:
    """``a.b.c`` for ``a.b.c(...)``; empty when the callee is not a plain name chain."""
    return dotted(call.func)


def name_chain(node: ast.AST) -> str | None:
    """``module.router`` for a chain of plain names and attributes; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = name_chain(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def last_name(node: ast.AST) -> str | None:
    """The last name of a callee or receiver: ``APIRouter`` for ``fastapi.APIRouter(...)``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def kw(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` of ``call``."""
    return next((k.value for k in call.keywords if k.arg == name), None)


def const_str(node: ast.AST | None) -> str | None:
    """A string literal's value."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def str_value(node: ast.AST | None, consts: dict[str, str] | None = None) -> str | None:
    """A string literal, a module constant, or an f-string or ``+`` of those."""
    consts = consts or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    if isinstance(node, ast.JoinedStr):  # f"{API}/todos"
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                parts.append(str_value(v.value, consts) or "")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # API + "/todos"
        left, right = str_value(node.left, consts), str_value(node.right, consts)
        if left is not None and right is not None:
            return left + right
    return None


def module_name(rel: str, import_root: str | None = None) -> str:
    """The dotted module a file imports as when ``import_root`` is on sys.path."""
    p = PurePosixPath(rel)
    if import_root and import_root != ".":
        with contextlib.suppress(ValueError):
            p = p.relative_to(import_root)
    parts = list(p.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(text: str) -> ast.Module | None:
    """The syntax tree, or None when the text is not Python this interpreter reads."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
