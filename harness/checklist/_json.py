"""The JSON contract of ``harness extract --format json`` (documented in docs/checklist.md)."""

from __future__ import annotations

from typing import Any

from harness.checklist._model import Checklist


def checklist_json(checklist: Checklist) -> dict[str, Any]:
    """A checklist as the stable, versioned JSON document.

    The keys listed in docs/checklist.md are the contract; "kind", "context", "mappings" on items
    and "sections" at the top are extras that may grow.
    """
    agent = checklist.agent
    return {
        "schema_version": checklist.schema_version,
        "agent": {
            "name": agent.name,
            "path": agent.path,
            "fields": agent.fields,
            "diagnostics": [{"line": d.line, "message": d.message} for d in agent.diagnostics],
            "sha256": agent.sha256,
        },
        "items": [
            {
                "id": item.id,
                "text": item.text,
                "section": item.section,
                "line": item.line,
                "polarity": item.polarity,
                "requirements": item.requirements,
                "reason": item.reason,
                "kind": item.kind,
                "context": item.context,
                "mappings": [m.model_dump() for m in item.mappings],
            }
            for item in checklist.items
        ],
        "requirements": {
            rid: {"items": use.items, "params": use.params}
            for rid, use in checklist.requirements.items()
        },
        "sections": [s.model_dump() for s in checklist.sections],
    }
