"""The checklist: the promises in an agent definition, mapped to requirement ids."""

from harness.checklist._extract import extract_checklist
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
    "Checklist",
    "ChecklistItem",
    "Mapping",
    "RequirementUse",
    "SectionDecision",
    "checklist_json",
    "extract_checklist",
    "load_phrasebook",
    "map_text",
]
