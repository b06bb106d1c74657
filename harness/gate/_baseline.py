"""The baseline: failures a team has accepted for now, so that the gate only fails on new ones.

It is written only on request (``harness baseline update``) from a scorecard, and read by the
gate. Entries are keyed by failure fingerprint and count occurrences: if the baseline knows one
copy of a finding and the code now has two, the second one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from harness._errors import InputError
from harness.gate._failures import Failure, FailureKind, failures_by_requirement
from harness.scorecard._model import Scorecard

BASELINE_VERSION = 1


class BaselineEntry(BaseModel):
    kind: FailureKind
    requirement: str
    check: str
    where: str = ""
    message: str = ""
    count: int = Field(1, ge=1)


class Baseline(BaseModel):
    version: int = BASELINE_VERSION
    created_at: str = ""
    agent: str | None = None
    repo: str | None = None
    entries: dict[str, BaselineEntry] = Field(default_factory=dict)

    @classmethod
    def from_scorecard(cls, card: Scorecard) -> Baseline:
        entries: dict[str, BaselineEntry] = {}
        for failures in failures_by_requirement(card).values():
            for failure in failures:
                entry = entries.get(failure.fingerprint)
                if entry is not None:
                    entry.count += 1
                    continue
                entries[failure.fingerprint] = BaselineEntry(
                    kind=failure.kind,
                    requirement=failure.requirement,
                    check=failure.check,
                    where=failure.where,
                    message=failure.message[:300],
                )
        return cls(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            agent=card.agent.name if card.agent else None,
            repo=card.repo.path,
            entries=dict(sorted(entries.items(), key=lambda kv: (kv[1].requirement, kv[0]))),
        )

    def new_failures(self, failures: list[Failure]) -> tuple[list[Failure], list[Failure]]:
        """Split ``failures`` into (new, known): each fingerprint is known up to its count."""
        budget = Counter({fp: e.count for fp, e in self.entries.items()})
        new: list[Failure] = []
        known: list[Failure] = []
        for failure in failures:
            if budget[failure.fingerprint] > 0:
                budget[failure.fingerprint] -= 1
                known.append(failure)
            else:
                new.append(failure)
        return new, known

    def dump(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


def load_baseline(path: str | Path) -> Baseline:
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"baseline {str(path)!r} not found; create it with `harness baseline update SCORECARD "
            f"--baseline {path}`"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: baseline is not valid JSON: {exc.msg}") from None
    if isinstance(raw, dict) and raw.get("version", BASELINE_VERSION) != BASELINE_VERSION:
        raise InputError(
            f"{path}: baseline version {raw.get('version')!r} is not {BASELINE_VERSION}; "
            "regenerate it with `harness baseline update`"
        )
    try:
        return Baseline.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: baseline field {where!r}: {first['msg']}") from None


def update_baseline(card: Scorecard, path: str | Path) -> Baseline:
    """Replace the baseline at ``path`` with every failure in ``card``. Failures fixed since the
    last update drop out, so the baseline only ever shrinks unless someone runs this again."""
    baseline = Baseline.from_scorecard(card)
    baseline.dump(Path(path))
    return baseline
