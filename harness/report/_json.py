"""The scorecard as JSON: the record itself, from which every other format is projected."""

from __future__ import annotations

from harness.scorecard._model import Scorecard


def render_json(card: Scorecard) -> str:
    return card.model_dump_json(indent=2) + "\n"
