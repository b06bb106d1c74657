"""Where the app keeps its data: a database it talks to, or module-level lists and maps that act
as its store when it has none."""

from __future__ import annotations

import re

from harness.static._model import StaticContext

_PY_STORE = re.compile(
    r"^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=\s*(\[\]|\{\}|list\(\)|dict\(\)|\[\s*\{)", re.M
)
_JS_STORE = re.compile(
    r"^(?:let|const|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(\[\]|\{\}|new\s+Map\(\)|\[\s*\{)", re.M
)


def memory_stores(ctx: StaticContext) -> list[str]:
    """Module-level lists/dicts/maps that act as the app's data store when it has no database."""
    names = []
    for f in ctx.sources:
        rx = _PY_STORE if f.language == "python" else _JS_STORE
        names += [
            m.group(1)
            for m in rx.finditer(f.text)
            if not m.group(1).isupper() or f.language == "python"
        ]
    return sorted(set(names))


def uses_database(ctx: StaticContext) -> bool:
    """SQL or a schema, MongoDB, or an in-memory store standing in for a database."""
    return bool(
        ctx.fact("sql")
        or ctx.fact("schema")
        or ctx.search(r"\bmongoose\b|\bMongoClient\b|\bpymongo\b")
        or memory_stores(ctx)
    )
