"""JavaScript/TypeScript read as text: where a call ends, what a file imports from its siblings.
Shared by the route reader, the input reader and the static checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

JS_EXTENSIONS = (".js", ".ts", ".mjs", ".cjs")
# a one-line string literal; its value is in one of three groups (see ``literal``)
STRING = r"""(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$\n]*)`)"""
# strings first, so that the ``//`` of a URL in a string is not read as a comment
_STRING_OR_COMMENT = re.compile(
    r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|//[^\n]*|/\*.*?\*/""",
    re.DOTALL,
)


def literal(m: re.Match[str], first: int) -> str:
    """The value of the ``STRING`` whose first group is group ``first + 1`` of ``m``."""
    return next((g for g in m.groups()[first : first + 3] if g is not None), "")


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def blank_comments(text: str) -> str:
    """Comments replaced by spaces of equal length, so offsets and line numbers still hold."""
    return _STRING_OR_COMMENT.sub(
        lambda m: m.group(0) if m.group(0)[0] in "'\"`" else re.sub(r"[^\n]", " ", m.group(0)), text
    )


def call_end(text: str, open_paren: int, *, max_chars: int | None = None) -> int:
    """Index just past the bracket matching ``text[open_paren]``; strings, template literals
    (with nested ``${...}``) and comments are skipped. Unbalanced: the end of the text, or of the
    ``max_chars`` window after ``open_paren``."""
    n = len(text) if max_chars is None else min(len(text), open_paren + max_chars)
    depth = 0
    i = open_paren
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
                    j = call_end(text, j + 1, max_chars=n - j - 1)  # ${ ... } may nest anything
                    continue
                j += 1
            i = j + 1
            continue
        if text.startswith("//", i):
            nl = text.find("\n", i, n)
            i = n if nl < 0 else nl
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2, n)
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


def split_args(s: str) -> list[str]:
    """Top-level comma-separated pieces of an argument list's text."""
    depth, cur, out = 0, "", []
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return out


def resolve_import(rel: str, spec: str, known: set[str]) -> str | None:
    """The repo file a relative specifier (``./routes/todos``) in file ``rel`` names, as Node
    resolves it: the path itself, with an extension, or its ``index`` file."""
    parts: list[str] = []
    for part in (PurePosixPath(rel).parent / spec).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    target = "/".join(parts)
    for candidate in (
        target,
        *(target + e for e in JS_EXTENSIONS),
        *(f"{target}/index{e}" for e in JS_EXTENSIONS),
    ):
        if candidate in known:
            return candidate
    return None


_REQUIRE = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\s*\(\s*['\"](\.[^'\"]+)['\"]\s*\)"
    r"|\bimport\s+([A-Za-z_$][\w$]*)\s+from\s+['\"](\.[^'\"]+)['\"]"
)
_DESTRUCTURE = re.compile(
    r"\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\s*\(\s*['\"](\.[^'\"]+)['\"]\s*\)"
    r"|\bimport\s*\{([^}]*)\}\s*from\s+['\"](\.[^'\"]+)['\"]"
)


@dataclass
class JsImports:
    """What a file takes from the repo's other files."""

    default: dict[str, str] = field(default_factory=dict)  # local name -> file
    named: dict[str, tuple[str, str]] = field(default_factory=dict)  # local -> (file, export)


def imports(rel: str, text: str, known: set[str]) -> JsImports:
    """``const x = require('./y')``, ``import x from './y'`` and their ``{ a, b: c }`` /
    ``{ a, b as c }`` forms, resolved to files in ``known``."""
    out = JsImports()
    for m in _REQUIRE.finditer(text):
        local, spec = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        target = resolve_import(rel, spec, known)
        if target:
            out.default[local] = target
    for m in _DESTRUCTURE.finditer(text):
        names, spec = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
        target = resolve_import(rel, spec, known)
        if not target:
            continue
        for part in (names or "").split(","):
            name, alias = _import_pair(part)
            if name:
                out.named[alias] = (target, name)
    return out


def _import_pair(part: str) -> tuple[str, str]:
    """(exported name, local name) of one ``a``, ``a: b`` or ``a as b`` piece."""
    piece = part.strip()
    m = re.match(r"^([A-Za-z_$][\w$]*)\s*(?::|\bas\b)\s*([A-Za-z_$][\w$]*)", piece)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^([A-Za-z_$][\w$]*)", piece)
    return (m.group(1), m.group(1)) if m else ("", "")
