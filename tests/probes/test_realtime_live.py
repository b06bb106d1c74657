"""ws.auth and ws.origin scored end to end: a Socket.IO chat (Express, JWT middleware, rooms) and
a FastAPI WebSocket notifications API with an event stream, each as a clean and a broken twin,
installed and started in the sandbox, reached over its bridge."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import score
from harness.scorecard import Status, Verdict

pytest.importorskip("websockets", reason="the realtime probes need the 'websockets' client")
pytestmark = pytest.mark.live

APPS = Path(__file__).resolve().parents[2] / "fixtures" / "apps"
AGENT = Path(__file__).resolve().parent / "agents" / "realtime.md"


def _live(card, rid: str):
    return [c for c in card.requirements[rid].checks if c.kind == "live"]


def _said(card, rid: str) -> str:
    return " | ".join(f"{c.check}: {c.status} {c.message}" for c in card.requirements[rid].checks)


def _transcripts(check) -> str:
    return "\n".join((e.data or {}).get("transcript", "") for e in check.evidence)


@pytest.mark.parametrize("app", ["chat-socketio-good", "notify-fastapi-ws-good"])
def test_clean_twin_passes_with_a_control_in_the_evidence(app: str, tmp_path: Path) -> None:
    card = score(AGENT, APPS / app, out_dir=tmp_path, formats=())
    for rid in ("ws.auth", "ws.origin"):
        assert card.requirements[rid].verdict == Verdict.passed, _said(card, rid)
        (live,) = _live(card, rid)
        assert live.status == Status.passed
        assert any(e.message.startswith("control") for e in live.evidence)
    (auth,) = _live(card, "ws.auth")
    # user A's valid token was accepted and answered, the others refused before any data
    assert "handshake 101" in _transcripts(auth)
    assert any(e.message.startswith("no credentials") for e in auth.evidence)
    # every socket exchange carries its frames and a script that replays them (an event
    # stream's curl line replays it)
    sockets = [e for e in auth.evidence if e.exchange and e.exchange.url.startswith("ws")]
    assert sockets and all("websockets" in e.data["replay"] for e in sockets)
    # no false fail on the clean twin anywhere in the card
    failing = [r for r, v in card.requirements.items() if v.verdict == Verdict.failed]
    assert not [r for r in failing if r.startswith("ws.")], failing


def test_socketio_chat_broken_twin_fails_all_three_ways(tmp_path: Path) -> None:
    card = score(AGENT, APPS / "chat-socketio-bad", out_dir=tmp_path, formats=())
    (auth,) = _live(card, "ws.auth")
    assert auth.status == Status.failed, auth.message
    assert "no credentials" in auth.message and "alg none" in auth.message
    assert "user B joined room" in auth.message  # another user's room, and its messages
    (origin,) = _live(card, "ws.origin")
    assert origin.status == Status.failed, origin.message
    assert "https://evil.example" in origin.message
    assert card.requirements["ws.auth"].verdict == Verdict.failed
    assert card.requirements["ws.origin"].verdict in (Verdict.failed, Verdict.partial)


def test_fastapi_notifications_broken_twin_fails_socket_stream_and_origin(tmp_path: Path) -> None:
    card = score(AGENT, APPS / "notify-fastapi-ws-bad", out_dir=tmp_path, formats=())
    (auth,) = _live(card, "ws.auth")
    assert auth.status == Status.failed, auth.message
    assert "accepted a connection with no credentials" in auth.message
    assert "user B read user A's channel" in auth.message
    assert "streamed events to a client with no credentials" in auth.message
    (origin,) = _live(card, "ws.origin")
    assert origin.status == Status.failed, origin.message
    assert card.requirements["ws.auth"].verdict == Verdict.failed


@pytest.mark.parametrize(
    ("app", "verdict"),
    [("alerts-gorilla-good", Verdict.passed), ("alerts-gorilla-bad", Verdict.failed)],
)
def test_gorilla_websocket_found_by_its_handler_route_and_probed(
    app: str, verdict: Verdict, tmp_path: Path
) -> None:
    card = score(AGENT, APPS / app, out_dir=tmp_path, formats=())
    (auth,) = _live(card, "ws.auth")
    assert "gorilla websocket /ws/alerts" in auth.message, auth.message
    assert card.requirements["ws.auth"].verdict == verdict, _said(card, "ws.auth")
    # the token travels in ?token= and the sign-in sets no cookie: nothing for a foreign page
    (origin,) = _live(card, "ws.origin")
    assert origin.status == Status.passed and "sets no cookie" in origin.message
