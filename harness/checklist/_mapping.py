"""Mapping an item's words to requirement ids, from the phrase data in checks/phrases.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from harness._paths import checks_dir
from harness.checklist._model import Mapping
from harness.checklist._patterns import compile_any, compile_pattern, may_match

_MARKUP = re.compile(r"\*\*|__|`|~~|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LEADING_MARKS = re.compile(r"^[\s\W]*?(?=[\w\"'“(/.])", re.UNICODE)
_NEGATED_START = re.compile(
    r"^\W*(never|don'?t|do not|avoid|no|not|without|must not|should not|prevent|stop)\b", re.I
)
_NEGATION_PREFIX = "never "


@dataclass(frozen=True)
class RequirementRule:
    id: str
    phrases: tuple[str, ...]
    keywords: tuple[str, ...]
    unless: tuple[str, ...]
    any_phrase: re.Pattern[str] | None
    any_keyword: re.Pattern[str] | None
    any_unless: re.Pattern[str] | None
    ordered: tuple[tuple[str, str], ...] = ()  # (pattern, "phrase" | "keyword"), phrases first


@dataclass(frozen=True)
class PhraseBook:
    """The compiled contents of checks/phrases.yaml."""

    rules: tuple[RequirementRule, ...]
    blockers: re.Pattern[str] | None
    reasons: tuple[tuple[str, re.Pattern[str] | None], ...]


def clean_text(text: str) -> str:
    """An item's words without markdown emphasis, links, checkboxes or leading emoji."""
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s+", " ", text).strip()
    return _LEADING_MARKS.sub("", text, count=1) if text else text


def is_negated(text: str) -> bool:
    return bool(_NEGATED_START.match(text))


@cache
def load_phrasebook(path: Path | None = None) -> PhraseBook:
    """Compile checks/phrases.yaml once per process."""
    data: dict[str, Any] = yaml.safe_load(
        (path or checks_dir() / "phrases.yaml").read_text(encoding="utf-8")
    )
    rules = []
    for pattern in _all_patterns(data):
        compile_pattern(pattern)  # compile everything once, up front
    for rid, entry in (data.get("requirements") or {}).items():
        entry = entry or {}
        phrases = tuple(entry.get("phrases") or ())
        keywords = tuple(entry.get("keywords") or ())
        unless = tuple(entry.get("unless") or ())
        rules.append(
            RequirementRule(
                id=rid,
                phrases=phrases,
                keywords=keywords,
                unless=unless,
                any_phrase=compile_any(phrases),
                any_keyword=compile_any(keywords),
                any_unless=compile_any(unless),
                ordered=tuple((p, "phrase") for p in phrases)
                + tuple((p, "keyword") for p in keywords),
            )
        )
    reasons = tuple(
        (reason, compile_any(patterns or ()))
        for reason, patterns in (data.get("unmapped") or {}).items()
    )
    return PhraseBook(
        rules=tuple(rules), blockers=compile_any(data.get("blockers") or ()), reasons=reasons
    )


def _all_patterns(data: dict[str, Any]) -> list[str]:
    out = []
    for entry in (data.get("requirements") or {}).values():
        out += list((entry or {}).get("phrases") or []) + list((entry or {}).get("keywords") or [])
    return out


def _which(patterns: tuple[str, ...], text: str) -> tuple[str, re.Match[str]] | None:
    for pattern in patterns:
        m = compile_pattern(pattern).search(text)
        if m:
            return pattern, m
    return None


def map_text(
    text: str, polarity: str = "do", book: PhraseBook | None = None
) -> tuple[list[Mapping], str | None]:
    """The requirements an item's words promise, or ([], reason) when they promise none.

    A "dont" item is matched as "never <words>" unless it already starts with a negation, so that
    wordings written with a negation also catch the bare items of a Don't list.
    """
    book = book or load_phrasebook()
    words = clean_text(text)
    if not words:
        return [], "too-vague"
    if book.blockers is not None and book.blockers.search(words):
        return [], "not-about-code"
    offset = 0
    probe = words
    if polarity == "dont" and not is_negated(words):
        probe = _NEGATION_PREFIX + words
        offset = len(_NEGATION_PREFIX)
    mappings: list[Mapping] = []
    lowered = probe.lower()
    for rule in book.rules:
        hit = None
        kind = "phrase"
        for pattern, pattern_kind in rule.ordered:
            if not may_match(pattern, lowered):
                continue
            m = compile_pattern(pattern).search(probe)
            if m:
                hit, kind = (pattern, m), pattern_kind
                break
        if hit is None:
            continue
        # guards only matter once something matched: most items touch few requirements
        if rule.any_unless is not None and rule.any_unless.search(probe):
            continue
        pattern, m = hit
        start = max(m.start(), offset)
        phrase = probe[start : m.end()].strip() or m.group(0).strip()
        mappings.append(Mapping(requirement=rule.id, phrase=phrase, rule=kind, pattern=pattern))
    if mappings:
        return mappings, None
    return [], unmapped_reason(words, book)


def unmapped_reason(words: str, book: PhraseBook | None = None) -> str:
    book = book or load_phrasebook()
    for reason, pattern in book.reasons:
        if pattern is not None and pattern.search(words):
            return reason
    return "unknown"
