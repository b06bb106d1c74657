"""Docker runner tests run against the real engine that .ci/docker-engine.sh provisions."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from engine_state import leftover_containers


@pytest.fixture(scope="session")
def engine() -> str:
    from harness.runner._docker import docker_available

    ok, reason = docker_available()
    if not ok:
        # CI provisions the engine first and sets this, so a broken provisioning fails loudly.
        if os.environ.get("HARNESS_REQUIRE_DOCKER") == "1":
            pytest.fail(f"HARNESS_REQUIRE_DOCKER=1 but {reason}")
        pytest.skip(reason)
    return reason


@pytest.fixture
def no_leftovers(engine: str) -> Iterator[None]:
    """Every test leaves no harness container behind, whatever happened inside it.

    Compared with what existed before, so that a parallel run on a shared engine does not
    count; on CI's fresh engine `before` is empty."""
    before = set(leftover_containers())
    yield
    assert set(leftover_containers()) - before == set()
