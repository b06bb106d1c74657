"""Fixtures for gate tests: the realistic scorecards of tests/report/report_cards.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from harness.scorecard import Scorecard


def _cards():
    if "report_cards" not in sys.modules:
        path = Path(__file__).parents[1] / "report" / "report_cards.py"
        spec = importlib.util.spec_from_file_location("report_cards", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["report_cards"] = module
        spec.loader.exec_module(module)
    return sys.modules["report_cards"]


cards = _cards()


@pytest.fixture
def card() -> Scorecard:
    return cards.sample_card()
