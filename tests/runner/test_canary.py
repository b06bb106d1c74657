"""The SSRF canary as a real server on loopback: what it records, what it answers, its bounds."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from harness.runner import Canary, _canary


@pytest.fixture
def canary(tmp_path: Path):
    c = Canary.start_here(tmp_path, avoid=set())
    try:
        yield c
    finally:
        c.stop()


def test_a_request_is_recorded_with_its_path_and_answered(canary: Canary) -> None:
    resp = httpx.get(f"http://127.0.0.1:{canary.port}/ssrf-abc?x=1", trust_env=False)
    assert resp.status_code == 200
    # the answer starts with the mark: the runner's readiness check tells the canary from the app
    assert "/ssrf-abc?x=1" in resp.text and resp.text.startswith(_canary.BODY_MARK)
    (hit,) = canary.hits()
    assert hit["method"] == "GET" and hit["path"] == "/ssrf-abc?x=1"
    assert hit["host"] == f"127.0.0.1:{canary.port}" and hit["peer"] == "127.0.0.1"


def test_it_listens_on_loopback_only(canary: Canary) -> None:
    bound = {s.getsockname()[0] for s in canary.server.listeners}  # type: ignore[union-attr]
    assert bound <= {"127.0.0.1", "::1"}, bound


def test_the_port_file_is_found_and_a_missing_one_is_none(canary: Canary, tmp_path: Path) -> None:
    assert Canary.find(tmp_path).port == canary.port  # type: ignore[union-attr]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert Canary.find(empty) is None


def test_avoided_ports_are_left_alone(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    first = Canary.start_here(tmp_path / "a")
    first.stop()
    # the next canary must not take a port it is told to avoid, even one that is free again
    second = Canary.start_here(tmp_path / "b", avoid={first.port})
    try:
        assert second.port != first.port
    finally:
        second.stop()


def test_hits_are_capped(canary: Canary, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canary.server, "count", _canary.MAX_HITS - 2)
    for i in range(5):
        with socket.create_connection(("127.0.0.1", canary.port), timeout=5) as s:
            s.sendall(f"GET /n{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            s.recv(1024)
    assert [h["path"] for h in canary.hits()] == ["/n0", "/n1"]
