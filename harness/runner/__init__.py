"""Running a generated backend: sandboxed locally or in a container, reachable over HTTP."""

from harness.runner._canary import Canary
from harness.runner._model import CommandResult, LaunchError, RunningApp
from harness.runner._mongo import build_mongo_server
from harness.runner._start import RUNNERS, start_app

__all__ = [
    "RUNNERS",
    "Canary",
    "CommandResult",
    "LaunchError",
    "RunningApp",
    "build_mongo_server",
    "start_app",
]
