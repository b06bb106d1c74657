"""The versioned JSON Schema of scorecard.json, generated from :class:`Scorecard`.

The shipped copy lives at schemas/scorecard-v<N>.schema.json; regenerate it after changing the
model with ``python -c "from harness.report import write_schema; write_schema('schemas')"``
(a test fails while the two differ).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.scorecard._model import SCHEMA_VERSION, Scorecard

SCHEMA_FILE = f"scorecard-v{SCHEMA_VERSION}.schema.json"


def scorecard_schema() -> dict[str, Any]:
    schema = Scorecard.model_json_schema()
    schema.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:agent-promise-harness:scorecard:v{SCHEMA_VERSION}",
        "title": f"harness scorecard, schema version {SCHEMA_VERSION}",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(scorecard_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: str | Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / SCHEMA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path
