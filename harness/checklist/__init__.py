"""The checklist: the promises in an agent definition, mapped to requirement ids."""

from harness.checklist._extract import NOT_TEXT_MESSAGE, extract_checklist, not_text_share
from harness.checklist._json import checklist_json
from harness.checklist._mapping import load_phrasebook, map_text
from harness.checklist._model import (
    CHECKLIST_SCHEMA_VERSION,
    Checklist,
    ChecklistItem,
    Mapping,
    RequirementUse,
    SectionDecision,
)

__all__ = [
    "CHECKLIST_SCHEMA_VERSION",
    "NOT_TEXT_MESSAGE",
    "Checklist",
    "ChecklistItem",
    "Mapping",
    "RequirementUse",
    "SectionDecision",
    "checklist_json",
    "extract_checklist",
    "load_phrasebook",
    "map_text",
    "not_text_share",
]
