"""Fixtures for report tests: realistic scorecards judged by the real rules."""

from __future__ import annotations

import pytest
from report_cards import sample_card

from harness.scorecard import Scorecard


@pytest.fixture
def card() -> Scorecard:
    return sample_card()
