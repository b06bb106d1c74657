"""The small pattern language of checks/phrases.yaml and checks/sections.yaml.

A pattern is a case-insensitive regular expression with four conveniences for writing wordings:

- a space matches any run of spaces, hyphens, underscores or slashes ("rate limit*" matches
  "rate-limiting", "async await" matches "async/await"); `` ?`` makes the separator optional
  ("hard ?cod*" matches "hardcoded" and "hard-coded");
- ``word*`` (also ``(a|b)*`` and ``[sz]*``) matches with any ending ("validat*": validate,
  validates, validation; "optimi[sz]*": optimize, optimised);
- `` ... `` (three dots between spaces) matches a gap of up to four words;
- the pattern as a whole matches on word boundaries and tolerates a plural ending ("status code"
  matches "status codes").

A pattern starting with ``re:`` is a plain regular expression (still case-insensitive).
"""

from __future__ import annotations

import re
from functools import lru_cache

_GAP = r"(?:\W+\w+){0,4}?\W+"
_SPACE = r"[\s\-_/]+"
_OPTIONAL_SPACE = r"[\s\-_/]*"


def to_regex(pattern: str) -> str:
    """The regular expression a pattern stands for."""
    if pattern.startswith("re:"):
        return pattern[3:]
    out = pattern.strip()
    # "[ -]" style classes mean "a separator" here; the space rule below covers them
    out = re.sub(r"\[[ _/-]+\]\?", " ?", out)
    out = re.sub(r"\[[ _/-]+\]", " ", out)
    out = out.replace(" ... ", "\x00").replace(" ?", "\x01")
    out = re.sub(r"(?<=[\w)\]])(?<!\\[wdsWDS])\*", r"\\w*", out)
    out = out.replace(" ", _SPACE)
    out = out.replace("\x00", _GAP).replace("\x01", _OPTIONAL_SPACE)
    return rf"(?<!\w)(?:{out})(?:e?s)?(?!\w)"


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(to_regex(pattern), re.IGNORECASE)


def compile_any(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of all patterns (one regex search instead of many), or None if empty."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{to_regex(p)})" for p in patterns), re.IGNORECASE)


def first_match(
    patterns: list[str] | tuple[str, ...], text: str
) -> tuple[str, re.Match[str]] | None:
    """The first pattern (in order) that matches ``text``, with its match."""
    for pattern in patterns:
        m = compile_pattern(pattern).search(text)
        if m:
            return pattern, m
    return None


def _top_level_split(pattern: str, sep: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and pattern.startswith(sep, i):
            parts.append(pattern[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    parts.append(pattern[start:])
    return parts


_LEADING = re.compile(r"[a-z0-9]+")


def _closing(token: str) -> int:
    depth = 0
    for i, ch in enumerate(token):
        if ch == "(" and (i == 0 or token[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and token[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _token_stems(token: str) -> frozenset[str] | None:
    """The literal stems one of which must occur for ``token`` to match, or None if unknown."""
    token = token.strip().lower()
    if token.startswith("?"):  # glued to the previous word ("hard ?cod*"): not at a word start
        return None
    while token.startswith("("):
        close = _closing(token)
        if close < 0 or (token[1:2] == "?" and token[1:3] != "?:"):
            return None
        group, rest = token[1:close], token[close + 1 :]
        if group.startswith("?:"):
            group = group[2:]
        if rest.startswith("?"):  # an optional group says nothing; look at what follows
            token = rest[1:]
            continue
        stems = set()
        for alt in _top_level_split(group, "|"):
            stem = _stem(alt.strip().lstrip("?"))
            if not stem:
                return None
            stems.add(stem)
        return frozenset(stems)
    stem = _stem(token)
    return frozenset({stem}) if stem else None


def _stem(word: str) -> str | None:
    """The leading letters a word pattern must start with ("uploads?" -> "upload")."""
    m = _LEADING.match(word)
    if not m:
        return None
    stem = m.group(0)
    if word[m.end() : m.end() + 1] in ("?", "*", "{"):  # the last letter is optional
        stem = stem[:-1]
    return stem or None


@lru_cache(maxsize=4096)
def anchors(pattern: str) -> tuple[tuple[frozenset[str], ...], ...] | None:
    """A cheap prefilter: per top-level alternative, the sets of lowercase literal stems that the
    text must contain (one stem of each set) for the pattern to have a chance. None: no filter
    (plain regexes and patterns without literal words are always searched)."""
    if pattern.startswith("re:"):
        return _regex_anchors(pattern[3:])
    branches = []
    for branch in _top_level_split(pattern.strip(), "|"):
        words = [
            w for part in _top_level_split(branch, " ... ") for w in _top_level_split(part, " ")
        ]
        sets = tuple(s for s in (_token_stems(w) for w in words) if s)
        if not sets:
            return None
        branches.append(sets)
    return tuple(branches)


def may_match(pattern: str, lowered_text: str) -> bool:
    """False only when ``pattern`` certainly cannot match (a required literal stem is absent)."""
    branches = anchors(pattern)
    if branches is None:
        return True
    return any(
        all(any(stem in lowered_text for stem in stems) for stems in sets) for sets in branches
    )


def key_stems(pattern: str) -> frozenset[str] | None:
    """Stems of which at least one must start a word of the text for ``pattern`` to match: per
    top-level alternative, its most selective required set (longest shortest stem); None: no
    filter."""
    branches = anchors(pattern)
    if branches is None:
        return None
    keys: set[str] = set()
    for sets in branches:
        keys |= max(sets, key=lambda stems: (min(len(s) for s in stems), -len(stems)))
    return frozenset(keys)


_REGEX_NOISE = re.compile(r"^(?:\^|\\b|\\W\*|\\s\*)")


def _regex_anchors(regex: str) -> tuple[tuple[frozenset[str], ...], ...] | None:
    """Leading literal words of a plain regex (after anchors and lookarounds), if it has them."""
    branches = []
    for branch in _top_level_split(regex, "|"):
        rest = branch.strip()
        while rest:
            m = _REGEX_NOISE.match(rest)
            if m and m.end():
                rest = rest[m.end() :]
            elif rest.startswith(("(?<!", "(?<=", "(?!", "(?=")):
                close = _closing(rest)
                if close < 0:
                    return None
                rest = rest[close + 1 :]
            else:
                break
        stems = _token_stems(rest)
        if not stems:
            return None
        branches.append((stems,))
    return tuple(branches)
