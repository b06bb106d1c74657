"""Rules an author keeps in the frontmatter rather than the body.

A key that names rules (``rules:``, ``checklist:``, ``security_rules:``) holding a list of
sentences, or of small mappings (``- name: cors`` / ``rule: only listed origins``), is a list of
promises like a body section of that name; whether the key names rules is decided by the same
section data as headings (checks/sections.yaml), so ``tools:`` or ``examples:`` are never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# mapping keys whose value is the rule's sentence; the first present wins
_TEXT_KEYS = (
    "rule",
    "text",
    "description",
    "requirement",
    "policy",
    "check",
    "promise",
    "must",
    "should",
    "always",
    "do",
    "never",
    "dont",
    "don't",
    "avoid",
)
_DONT_KEYS = frozenset({"never", "dont", "don't", "avoid"})
# mapping keys that name the rule's topic (context for a terse sentence)
_LABEL_KEYS = ("name", "id", "title", "topic", "area", "category")
_MAX_RULES = 100


@dataclass(frozen=True)
class FrontmatterRule:
    section: tuple[str, ...]  # the key path, words only ("security rules",)
    text: str
    label: str | None = None
    dont: bool = False


def _words(key: str) -> str:
    return " ".join(str(key).replace("_", " ").replace("-", " ").split())


def _rule(entry: Any, section: tuple[str, ...]) -> FrontmatterRule | None:
    if isinstance(entry, str):
        text = " ".join(entry.split())
        return FrontmatterRule(section, text) if text else None
    if not isinstance(entry, dict):
        return None
    lowered = {str(k).lower(): v for k, v in entry.items()}
    for key in _TEXT_KEYS:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip():
            label = next(
                (str(lowered[k]) for k in _LABEL_KEYS if isinstance(lowered.get(k), (str, int))),
                None,
            )
            return FrontmatterRule(section, " ".join(value.split()), label, key in _DONT_KEYS)
    return None


def frontmatter_rules(fields: dict[str, Any]) -> list[FrontmatterRule]:
    """Every sentence in a list-valued frontmatter field (one level of grouping allowed:
    ``rules: {security: [...], api: [...]}``), in file order. Which keys make promises is the
    caller's decision."""
    out: list[FrontmatterRule] = []
    for key, value in fields.items():
        groups: list[tuple[tuple[str, ...], Any]] = [((_words(key),), value)]
        if isinstance(value, dict):
            groups = [((_words(key), _words(sub)), v) for sub, v in value.items()]
        for section, entries in groups:
            if not isinstance(entries, list):
                continue
            for entry in entries:
                rule = _rule(entry, section)
                if rule is not None:
                    out.append(rule)
                if len(out) >= _MAX_RULES:
                    return out
    return out
