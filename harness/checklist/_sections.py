"""Deciding which parts of an agent file make promises (data: checks/sections.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from harness._paths import checks_dir
from harness.checklist._patterns import compile_any, first_match, to_regex


@dataclass(frozen=True)
class SectionRules:
    non_promise: tuple[str, ...]
    dont: tuple[str, ...]
    promise: tuple[str, ...]
    sentence_sections: re.Pattern[str] | None
    sentence_start: re.Pattern[str] | None
    sentence_modal: re.Pattern[str] | None
    sentence_skip: re.Pattern[str] | None
    descriptive: re.Pattern[str] | None
    descriptive_share: float
    descriptive_min_items: int


@dataclass(frozen=True)
class Decision:
    promises: bool
    reason: str
    polarity: str = "do"  # "dont" when the section is a Don't list
    explicit: bool = False  # decided by a heading/lead-in word, not by default or item wording


@cache
def load_section_rules(path: Path | None = None) -> SectionRules:
    data: dict[str, Any] = yaml.safe_load(
        (path or checks_dir() / "sections.yaml").read_text(encoding="utf-8")
    )
    cues = data.get("sentence_cues") or {}
    start = cues.get("start") or []
    descriptive = data.get("descriptive") or {}
    return SectionRules(
        non_promise=tuple(data.get("non_promise") or ()),
        dont=tuple(data.get("dont") or ()),
        promise=tuple(data.get("promise") or ()),
        sentence_sections=compile_any(data.get("sentence_sections") or ()),
        # an instruction may open with "You", "Please", "Always" or "Never" before its verb
        sentence_start=re.compile(
            r"^\W*(?:(?:you|please|always|never|also)\s+)?(?:"
            + "|".join(f"(?:{to_regex(p)})" for p in start)
            + ")",
            re.IGNORECASE,
        )
        if start
        else None,
        sentence_modal=compile_any(cues.get("modal") or ()),
        sentence_skip=compile_any(cues.get("skip") or ()),
        descriptive=compile_any(descriptive.get("item") or ()),
        descriptive_share=float(descriptive.get("min_share", 0.5)),
        descriptive_min_items=int(descriptive.get("min_items", 2)),
    )


def decide(
    path: list[str],
    items: list[str],
    rules: SectionRules | None = None,
    *,
    checkboxes: bool = False,
    by_wording: bool = True,
) -> Decision:
    """Whether a list under ``path`` (headings, lead-in line, parent item) makes promises.

    The deepest element of the path that any word list decides wins, so a "Rules" heading under
    "Expertise" promises and "Expertise Areas > Authentication" does not. A path nothing decides is
    read as promises, unless most of its items are worded like a technology list, example
    requests or usage triggers (``by_wording=False``: sentences already read as rules, whose
    wording does not decide the section).
    """
    rules = rules or load_section_rules()
    polarity = "do"
    for element in reversed(path):
        hit = first_match(rules.non_promise, element)
        if hit:
            return Decision(
                False,
                f"'{element}' ({hit[1].group(0).strip()!r}) describes the agent "
                "(knowledge, usage or collaboration), not the code it writes",
                explicit=True,
            )
        hit = first_match(rules.dont, element)
        if hit:
            polarity = "dont"
            return Decision(
                True,
                f"'{element}' is a Don't list: each item promises its negation",
                polarity,
                explicit=True,
            )
        hit = first_match(rules.promise, element)
        if hit:
            return Decision(
                True,
                f"'{element}' ({hit[1].group(0).strip()!r}) states commitments",
                polarity,
                explicit=True,
            )
    # a checkbox list ("- [ ] CSRF protection") is a checklist, whatever its wording
    if (
        not checkboxes
        and by_wording
        and rules.descriptive is not None
        and len(items) >= rules.descriptive_min_items
    ):
        descriptive = [
            text
            for text in items
            if rules.descriptive.search(text) and not is_instruction(text, rules)
        ]
        if len(descriptive) >= rules.descriptive_share * len(items):
            return Decision(
                False,
                f"{len(descriptive)} of {len(items)} items are technology lists, example "
                "requests or usage triggers, not commitments",
            )
    where = f"'{path[-1]}'" if path else "the top of the body"
    return Decision(True, f"nothing in {where} says otherwise; items decide one by one")


def sentence_section(path: list[str], rules: SectionRules | None = None) -> bool:
    """Whether paragraphs under ``path`` are read sentence by sentence for instructions."""
    rules = rules or load_section_rules()
    return rules.sentence_sections is not None and any(
        rules.sentence_sections.search(element) for element in path
    )


def is_instruction(sentence: str, rules: SectionRules | None = None) -> bool:
    rules = rules or load_section_rules()
    if rules.sentence_skip is not None and rules.sentence_skip.search(sentence):
        return False
    if rules.sentence_start is not None and rules.sentence_start.search(sentence):
        return True
    return rules.sentence_modal is not None and bool(rules.sentence_modal.search(sentence))


def is_statement(sentence: str, rules: SectionRules | None = None) -> bool:
    """A sentence about the code rather than about the agent itself ("You are...")."""
    rules = rules or load_section_rules()
    return not (rules.sentence_skip is not None and rules.sentence_skip.search(sentence))
