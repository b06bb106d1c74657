"""Source-editing helpers for bench/bench_mutants.py: balanced call rewriting and insertion points.

Every helper works on a {relative path: text} map of an app's source and raises NotApplicable
when it finds nothing to edit, so an operator never silently does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Files = dict[str, str]

PY = frozenset({"python"})
JS = frozenset({"javascript"})
ALL = PY | JS


class NotApplicable(Exception):
    """The operator found nothing to edit in this app."""


def lang_of(path: str) -> str | None:
    if path.endswith(".py"):
        return "python"
    if path.endswith((".js", ".mjs", ".cjs", ".ts")):
        return "javascript"
    return None


def _close(text: str, start: int) -> int:
    """Index just past the bracket closing the one at text[start], skipping strings."""
    depth, i, quote = 0, start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise NotApplicable("unbalanced brackets")


def split_args(inner: str) -> list[str]:
    """Top-level comma-separated arguments of a call's inside."""
    out, depth, cur, quote, i = [], 0, "", "", 0
    while i < len(inner):
        c = inner[i]
        if quote:
            cur += c
            if c == "\\" and i + 1 < len(inner):
                cur += inner[i + 1]
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
            cur += c
        elif c in "([{":
            depth += 1
            cur += c
        elif c in ")]}":
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    if cur.strip():
        out.append(cur.strip())
    return out


def rewrite_calls(
    files: Files,
    callee: str,
    make: Callable[[list[str], bool], str],
    langs: frozenset[str] = ALL,
) -> Files:
    """Replace every call whose callee matches the regex `callee` (an optional `await ` included)
    with make(args, awaited); returns the changed files."""
    pat = re.compile(r"(await\s+)?(?<![\w.])(" + callee + r")\s*\(")
    changed: Files = {}
    for path, text in files.items():
        if lang_of(path) not in langs:
            continue
        out, pos = [], 0
        for m in pat.finditer(text):
            if m.start() < pos:
                continue
            end = _close(text, m.end() - 1)
            args = split_args(text[m.end() : end - 1])
            out.append(text[pos : m.start()])
            out.append(make(args, bool(m.group(1))))
            pos = end
        if out:
            changed[path] = "".join(out) + text[pos:]
    if not changed:
        raise NotApplicable(f"no call matching {callee}")
    return changed


def sub_all(
    files: Files,
    pattern: str,
    repl: str | Callable[[re.Match[str]], str],
    langs: frozenset[str] = ALL,
    flags: int = re.M,
) -> Files:
    """re.sub over every file of the languages; NotApplicable when nothing matched."""
    changed: Files = {}
    for path, text in files.items():
        if lang_of(path) not in langs and not (langs == ALL and path.endswith(".html")):
            continue
        new, n = re.subn(pattern, repl, text, flags=flags)
        if n:
            changed[path] = new
    if not changed:
        raise NotApplicable(f"nothing matches {pattern!r}")
    return changed


def framework(text: str) -> str | None:
    if re.search(r"\bFastAPI\s*\(", text):
        return "fastapi"
    if re.search(r"\bFlask\s*\(", text):
        return "flask"
    if re.search(r"\bexpress\s*\(\s*\)", text):
        return "express"
    return None


def app_file(files: Files) -> tuple[str, str, str]:
    """(path, app variable, framework) of the file that creates the application object."""
    for path, text in sorted(files.items(), key=lambda kv: kv[0].count("/")):
        m = re.search(
            r"^\s*(\w+)\s*(?::\s*\w+\s*)?=\s*(FastAPI|Flask)\s*\(", text, re.M
        ) or re.search(r"^\s*(?:const|let|var)\s+(\w+)\s*=\s*(express)\s*\(\s*\)", text, re.M)
        if m and lang_of(path):
            return path, m.group(1), m.group(2).lower()
    raise NotApplicable("no Flask, FastAPI or Express application object")


def _indent(block: str, pad: str) -> str:
    return "".join(pad + line if line.strip() else line for line in block.splitlines(True))


def insert_early(files: Files, snippets: dict[str, str]) -> Files:
    """Insert the framework's snippet ({APP} = the app variable) right after the app is created
    (Express: before any route or 404 handler) or, for Python, where the app is complete: before
    `return app` in a factory, before `if __name__` or at the end of the module."""
    path, var, fw = app_file(files)
    if fw not in snippets:
        raise NotApplicable(f"no snippet for {fw}")
    text = files[path]
    code = snippets[fw].replace("{APP}", var)
    if fw == "express":
        m = re.search(
            r"^(\s*)(?:const|let|var)\s+" + var + r"\s*=\s*express\s*\(\s*\)\s*;?\s*\n", text, re.M
        )
        assert m
        return {path: text[: m.end()] + _indent(code, m.group(1).lstrip("\n")) + text[m.end() :]}
    return {path: insert_python_end(text, var, code)}


def insert_python_end(text: str, var: str, code: str) -> str:
    m = re.search(r"^([ \t]+)return\s+" + var + r"\s*$", text, re.M)
    if m:
        return text[: m.start()] + _indent(code, m.group(1)) + "\n" + text[m.start() :]
    m = re.search(r"^if\s+__name__\s*==", text, re.M)
    if m:
        return text[: m.start()] + code + "\n\n" + text[m.start() :]
    return text.rstrip("\n") + "\n\n\n" + code


def delete_lines(files: Files, pattern: str, langs: frozenset[str] = ALL) -> Files:
    """Remove every line matching the regex (a statement or decorator on one line)."""
    return sub_all(files, r"^[^\n]*(?:" + pattern + r")[^\n]*\n", "", langs)
