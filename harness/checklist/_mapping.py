"""Mapping an item's words to requirement ids, from the phrase data in checks/phrases.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from harness._paths import checks_dir
from harness.checklist._model import Mapping
from harness.checklist._patterns import compile_any, compile_pattern, key_stems, may_match

_MARKUP = re.compile(r"\*\*|__|`|~~|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LEADING_MARKS = re.compile(r"^[\s\W]*?(?=[\w\"'“(/.])", re.UNICODE)
_NEGATED_START = re.compile(
    r"^\W*(never|don'?t|do not|avoid|no|not|without|must not|should not|prevent|stop)\b", re.I
)
_NEGATION_PREFIX = "never "
_WORD = re.compile(r"[a-z0-9]+")
# Full URLs name other services ("https://api.open-meteo.com/v1/forecast"): neither a promise of
# HTTPS nor of API versioning, so they are blanked before matching.
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)


@dataclass(frozen=True)
class RequirementRule:
    id: str
    ordered: tuple[tuple[str, str], ...]  # (pattern, "phrase" | "keyword"), phrases first
    any_unless: re.Pattern[str] | None  # guards: a match is dropped when one of them matches
    # wordings that keep the requirement even when a guard matches ("Emit structured logs;
    # never log tokens" promises logging although "never log tokens" alone would not)
    any_despite: re.Pattern[str] | None = None


@dataclass(frozen=True)
class PhraseBook:
    """The compiled contents of checks/phrases.yaml."""

    rules: tuple[RequirementRule, ...]
    blockers: re.Pattern[str] | None
    # wordings that say a thing is not wanted ("we do not need rate limiting", "out of scope")
    not_promised: re.Pattern[str] | None
    reasons: tuple[tuple[str, re.Pattern[str] | None], ...]
    # Prefilter: a literal stem -> (rule index, pattern index) pairs that need it; a pattern is
    # only searched when one of its stems occurs in the item. `unfiltered` are always searched.
    stems: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    unfiltered: tuple[tuple[int, int], ...] = ()
    longest_stem: int = 0


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
        rules.append(
            RequirementRule(
                id=rid,
                ordered=tuple((p, "phrase") for p in entry.get("phrases") or ())
                + tuple((p, "keyword") for p in entry.get("keywords") or ()),
                any_unless=compile_any(entry.get("unless") or ()),
                any_despite=compile_any(entry.get("despite") or ()),
            )
        )
    reasons = tuple(
        (reason, compile_any(patterns or ()))
        for reason, patterns in (data.get("unmapped") or {}).items()
    )
    index: dict[str, list[tuple[int, int]]] = {}
    unfiltered: list[tuple[int, int]] = []
    for ri, rule in enumerate(rules):
        for pi, (pattern, _) in enumerate(rule.ordered):
            keys = key_stems(pattern)
            if keys is None:
                unfiltered.append((ri, pi))
            else:
                for stem in keys:
                    index.setdefault(stem, []).append((ri, pi))
    return PhraseBook(
        rules=tuple(rules),
        blockers=compile_any(data.get("blockers") or ()),
        not_promised=compile_any(data.get("not_promised") or ()),
        reasons=reasons,
        stems={stem: tuple(refs) for stem, refs in index.items()},
        unfiltered=tuple(unfiltered),
        longest_stem=max((len(stem) for stem in index), default=0),
    )


def _all_patterns(data: dict[str, Any]) -> list[str]:
    out = []
    for entry in (data.get("requirements") or {}).values():
        entry = entry or {}
        for key in ("phrases", "keywords", "despite"):
            out += list(entry.get(key) or [])
    return out


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
    # "We do not need rate limiting" names a topic and declines it; in a Don't list the same
    # words would be read as "never ...", so only a plain item is declined
    if polarity == "do" and book.not_promised is not None and book.not_promised.search(words):
        return [], "not-promised"
    offset = 0
    probe = _URL.sub("URL", words) if "://" in words else words
    if polarity == "dont" and not is_negated(probe):
        probe = _NEGATION_PREFIX + probe
        offset = len(_NEGATION_PREFIX)
    mappings: list[Mapping] = []
    lowered = probe.lower()
    candidates: dict[int, set[int]] = {}
    for ri, pi in book.unfiltered:
        candidates.setdefault(ri, set()).add(pi)
    # every pattern's key stem starts a word, so looking up word prefixes finds all candidates
    for word in set(_WORD.findall(lowered)):
        for end in range(1, min(len(word), book.longest_stem) + 1):
            refs = book.stems.get(word[:end])
            if refs:
                for ri, pi in refs:
                    candidates.setdefault(ri, set()).add(pi)
    for ri in sorted(candidates):
        rule = book.rules[ri]
        hit = None
        kind = "phrase"
        for pi in sorted(candidates[ri]):
            pattern, pattern_kind = rule.ordered[pi]
            if not may_match(pattern, lowered):
                continue
            m = compile_pattern(pattern).search(probe)
            if m:
                hit, kind = (pattern, m), pattern_kind
                break
        if hit is None:
            continue
        # guards only matter once something matched: most items touch few requirements
        if (
            rule.any_unless is not None
            and rule.any_unless.search(probe)
            and not (rule.any_despite is not None and rule.any_despite.search(probe))
        ):
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
