"""Go read as text: comments blanked, function declarations with their bodies, string literals.
Shared by the Go route reader and its input reader."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.app._js_text import call_end, split_args

# a Go string literal: interpreted ("...") or raw (`...`); the value is in group 1 or 2
GO_STRING = r"""(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`)"""
_STRING_OR_COMMENT = re.compile(
    r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_FUNC = re.compile(
    r"^func\s+(?:\(\s*(\w+)?\s*\*?\s*([\w.\[\], ]+?)\s*\)\s*)?(\w+)\s*(?:\[[^\]]*\])?\(", re.M
)
_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)\)", re.M | re.S)
_IMPORT_ONE = re.compile(r"^import\s+(\w+\s+)?\"([^\"]+)\"", re.M)
_IMPORT_LINE = re.compile(r"^\s*(\w+|_|\.)?\s*\"([^\"]+)\"", re.M)


def go_literal(m: re.Match[str], first: int = 0) -> str:
    """The value of the ``GO_STRING`` whose groups start after group ``first`` of ``m``."""
    g = m.groups()[first : first + 2]
    return g[0] if g[0] is not None else (g[1] or "")


def blank_go_comments(text: str) -> str:
    """Comments replaced by spaces of equal length: offsets and line numbers still hold."""
    return _STRING_OR_COMMENT.sub(
        lambda m: m.group(0) if m.group(0)[0] in "'\"`" else re.sub(r"[^\n]", " ", m.group(0)),
        text,
    )


def line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


@dataclass
class GoFunc:
    """A top-level function or method: name, parameters and body offsets."""

    name: str
    receiver: str | None  # receiver type for methods (``*Handler`` -> ``Handler``)
    params: str  # the parameter list's text
    start: int  # offset of ``func``
    body_start: int  # offset of the body's ``{``
    end: int  # just past the body's ``}``

    def param_names(self) -> list[tuple[str, str]]:
        """(name, type) pairs; ``a, b string`` gives both names the type."""
        out: list[tuple[str, str]] = []
        pending: list[str] = []
        for part in split_args(self.params):
            bits = part.strip().split(None, 1)
            if len(bits) == 1:
                pending.append(bits[0])
                continue
            if not bits:
                continue
            for name in [*pending, bits[0]]:
                out.append((name, bits[1].strip()))
            pending = []
        return out


def functions(text: str) -> list[GoFunc]:
    """Top-level functions of ``text`` (comments already blanked), in order."""
    out: list[GoFunc] = []
    for m in _FUNC.finditer(text):
        open_paren = m.end() - 1
        close = call_end(text, open_paren, max_chars=4000)
        brace = text.find("{", close)
        newline_stop = text.find("\n}", close)
        if brace < 0 or (0 <= newline_stop < brace):
            continue
        # the result list may hold braces of its own (``func() struct{}``): take the first
        # brace that ends the signature line
        sig_end = text.find("\n", close)
        if 0 <= sig_end < brace:
            continue  # a declaration without a body
        end = call_end(text, brace)
        receiver = (m.group(2) or "").strip().lstrip("*").split("[")[0] or None
        out.append(
            GoFunc(m.group(3), receiver, text[open_paren + 1 : close - 1], m.start(), brace, end)
        )
    return out


def go_imports(text: str) -> dict[str, str]:
    """Local name -> import path (the last path element when no alias is given; a major
    version suffix ``/v2`` is skipped)."""
    found: list[tuple[str | None, str]] = []
    for block in _IMPORT_BLOCK.finditer(text):
        for m in _IMPORT_LINE.finditer(block.group(1)):
            found.append((m.group(1), m.group(2)))
    for m in _IMPORT_ONE.finditer(text):
        found.append(((m.group(1) or "").strip() or None, m.group(2)))
    out: dict[str, str] = {}
    for alias, path in found:
        parts = path.split("/")
        last = parts[-1]
        if re.fullmatch(r"v\d+", last) and len(parts) > 1:
            last = parts[-2]
        name = alias or last.replace("-", "_").removeprefix("go_").removeprefix("go.")
        out[name] = path
    return out
