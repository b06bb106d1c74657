"""What leaks look like in a response body: stack traces, SQL errors, file paths, debug pages."""

from __future__ import annotations

import re

SQL_ERRORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.I))
    for name, rx in (
        ("sqlite3 error", r"sqlite3\.\w+Error|SQLITE_(ERROR|CONSTRAINT|MISMATCH)"),
        (
            "SQL syntax error",
            r"syntax error at or near|near \"[^\"]*\": syntax error|"
            r"unrecognized token|You have an error in your SQL syntax|SQL syntax",
        ),
        (
            "driver error",
            r"OperationalError|ProgrammingError|IntegrityError|psycopg2?\.|"
            r"sqlalchemy\.exc|SequelizeDatabaseError|ER_PARSE_ERROR|QueryFailedError",
        ),
        (
            "SQL text",
            r"\bSELECT\s+[\w*, .\"`]+\s+FROM\s+\w+|\bINSERT\s+INTO\s+\w+|"
            r"\bUPDATE\s+\w+\s+SET\b|\bWHERE\s+\w+\s*=\s*['?$:]",
        ),
        ("unterminated string", r"unterminated quoted string|unclosed quotation mark"),
    )
)

STACK_TRACES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("Python traceback", r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+"),
        (
            "Node stack frame",
            r"\n\s+at [\w$.<>\[\] ]+ \((?:[^()]*?):\d+:\d+\)|\bat [\w$.]+ \(node:",
        ),
        ("Werkzeug debugger", r"Werkzeug Debugger|__debugger__|The debugger caught an exception"),
        (
            "source path",
            r"(?:/home/|/usr/lib/|/usr/local/lib/|/site-packages/|/node_modules/|"
            r"/app/|/tmp/|[A-Z]:\\\\)[\w./\\-]+\.(?:py|js|ts|mjs|cjs)\b",
        ),
        (
            "exception class",
            r"\b(?:TypeError|KeyError|ValueError|AttributeError|IndexError|"
            r"ZeroDivisionError|NameError|UnboundLocalError|JSONDecodeError|UnicodeDecodeError|"
            r"ReferenceError|RangeError|OverflowError|RecursionError)\b(?::|\(|\s+at\b)",
        ),
        ("Express error page", r"<pre>(?:SyntaxError|TypeError|Error):[^<]*<br>"),
    )
)


def sql_error(text: str) -> str | None:
    for name, rx in SQL_ERRORS:
        m = rx.search(text)
        if m:
            return f"{name}: {m.group(0)[:120]}"
    return None


def leak(text: str) -> str | None:
    """The first internal detail found in ``text``, described; None when clean."""
    for name, rx in STACK_TRACES:
        m = rx.search(text)
        if m:
            return f"{name}: {m.group(0).strip()[:160]}"
    return sql_error(text)
