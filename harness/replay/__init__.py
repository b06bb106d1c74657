"""Replay: start a scored app again and re-send what the probes sent, then vs now.

- :func:`replay` re-sends the recorded exchanges of a scorecard's live checks with fresh users and
  returns a :class:`Replay`; with ``serve_for`` the app stays up behind a 127.0.0.1 relay so that
  the curl lines in the reports can be run by hand.
- :func:`portable_curl` is the curl line of an exchange written against ``$APP`` and the users'
  ``$TOKEN_A``/``$COOKIE_A`` variables that ``harness replay --serve`` prints.
"""

from harness.replay._curl import portable_curl
from harness.replay._replay import Replay, ReplayedExchange, recorded, replay

__all__ = [
    "Replay",
    "ReplayedExchange",
    "portable_curl",
    "recorded",
    "replay",
]
