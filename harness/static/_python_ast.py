"""Small questions about Python syntax trees that several checks ask: is this call a database
call, a write, a blocking call; what does a function contain. Name and text helpers come from
the one Python reader in ``harness.app``."""

from __future__ import annotations

import ast
import re

from harness.app._pyast import call_name, unparse

__all__ = [
    "awaited",
    "call_name",
    "calls",
    "functions",
    "is_db_call",
    "is_db_read",
    "is_db_write",
    "is_repository_write",
    "sql_text",
    "unparse",
]

_DB_RECEIVER = re.compile(
    r"(?i)(^|\.|_)(session|db|conn|connection|cursor|cur|engine|database|tx)$"
)
_READ_SQL = re.compile(r"^\s*(SELECT|WITH)\b", re.I)
_WRITE_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
_ALWAYS_DB = {
    "execute",
    "executemany",
    "executescript",
    "commit",
    "rollback",
    "fetchall",
    "fetchone",
}
_SESSION_DB = {
    "add",
    "add_all",
    "delete",
    "merge",
    "query",
    "scalars",
    "scalar",
    "get",
    "refresh",
    "flush",
}
_ORM_CHAIN = re.compile(r"\.(objects|query)\b|^(select|insert|update|delete)\(")


def sql_text(call: ast.Call) -> str:
    """The leading literal text of a call's first argument (constant or f-string head)."""
    if not call.args:
        return ""
    return _leading_text(call.args[0])


def _leading_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _leading_text(node.values[0])
    if isinstance(node, ast.BinOp):  # "..." % args, "..." + x
        return _leading_text(node.left)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return _leading_text(node.func.value)
    if isinstance(node, ast.Call) and call_name(node).endswith("text") and node.args:
        return _leading_text(node.args[0])
    return ""


def is_db_call(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    attr = call.func.attr
    receiver = unparse(call.func.value)
    if attr in _ALWAYS_DB:
        return True
    if attr in _SESSION_DB and _DB_RECEIVER.search(receiver):
        return True
    return bool(_ORM_CHAIN.search(receiver + "." + attr)) and attr in {
        "filter", "filter_by", "get", "all", "first", "create", "update", "delete", "raw",
        "exclude", "one", "one_or_none", "count", "save", "bulk_create", "get_or_404",
    }  # fmt: skip


def is_db_read(call: ast.Call) -> bool:
    if not is_db_call(call):
        return False
    attr = call.func.attr  # type: ignore[union-attr]
    if attr in ("execute", "executemany"):
        text = sql_text(call)
        return bool(_READ_SQL.match(text)) or not text
    return attr in {
        "query",
        "scalars",
        "scalar",
        "get",
        "filter",
        "filter_by",
        "all",
        "first",
        "one",
        "one_or_none",
        "raw",
        "exclude",
        "count",
        "get_or_404",
    }


def is_db_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    attr = call.func.attr
    if attr in ("execute", "executemany"):
        return bool(_WRITE_SQL.match(sql_text(call)))
    receiver = unparse(call.func.value)
    if attr in ("add", "add_all", "delete", "merge") and _DB_RECEIVER.search(receiver):
        return True
    if attr in ("create", "bulk_create", "update", "delete") and ".objects" in receiver:
        return True
    return attr == "save" and not receiver.startswith(("self", "os", "file", "img", "image"))


_REPO_WRITE = re.compile(
    r"^(create|insert|add|update|delete|remove|record|save|set|mark|soft_delete|restore)(_\w+)?$"
)
_REPO_RECEIVER = re.compile(r"(?i)(repo|repository|dao|store|crud|model|queries)")


def is_repository_write(call: ast.Call) -> bool:
    """A call such as todo_repository.create(...): a write one layer down."""
    return (
        isinstance(call.func, ast.Attribute)
        and bool(_REPO_WRITE.match(call.func.attr))
        and bool(_REPO_RECEIVER.search(unparse(call.func.value)))
    )


def calls(node: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def awaited(node: ast.AST) -> set[int]:
    """ids of call nodes that are awaited directly."""
    return {id(n.value) for n in ast.walk(node) if isinstance(n, ast.Await)}
