"""What every runner hands to the probes: a started app and the means to reach it."""

from __future__ import annotations

import abc
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel

from harness._errors import HarnessError
from harness.runner._canary import Canary
from harness.scorecard import Sandbox

MAX_DUMP_BYTES = 64 << 20  # the most of one database dump read, from its first row
DUMP_SECONDS = 60


class LaunchError(HarnessError):
    """The app could not be installed or started. ``log_tail`` holds its last output lines."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        super().__init__(message)
        self.log_tail = log_tail


class CommandResult(BaseModel):
    """One command run in an app's environment. ``output`` is the tail of stdout+stderr;
    ``exit_code`` is None only when the command was killed at its deadline (``timed_out``)."""

    argv: list[str]
    exit_code: int | None
    output: str
    seconds: float
    timed_out: bool = False


class RunningApp(abc.ABC):
    """A backend started by a runner, alive until the runner's context exits.

    ``base_url`` is the URL probes put in requests (and in reproducing curl lines); ``client()``
    is already wired to reach it, whatever the isolation (a unix-socket bridge into a private
    network namespace, a port published by a container...).
    """

    runner: str
    isolation: str
    base_url: str
    workdir: Path
    inferred_dependencies: list[str]
    curl_prefix: str = "curl"
    # where the app's files can be read on the host when ``workdir`` does not hold them (the
    # docker runner's code lives in the image; this is the repo it was built from)
    source_dir: Path | None = None
    # what contains the app, as applied (None: the runner does not say)
    sandbox: Sandbox | None = None

    @abc.abstractmethod
    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        """A fresh async client that reaches the app (timeouts etc. in kwargs)."""

    @abc.abstractmethod
    def logs(self) -> str:
        """Everything the app wrote to stdout/stderr so far."""

    @abc.abstractmethod
    def alive(self) -> bool:
        """Whether the app's process (or container) is still running."""

    @abc.abstractmethod
    def db_files(self) -> list[Path]:
        """SQLite database files the app created or uses, readable from the host."""

    @abc.abstractmethod
    def stop_gracefully(self, timeout: float = 10.0) -> dict[str, Any]:
        """Send SIGTERM and wait; report {"exited", "exit_code", "seconds"}."""

    def canary(self) -> Canary | None:
        """The canary HTTP server on the app's own loopback that the SSRF probe points the app
        at; None when this runner has none (the probe then says not_checkable)."""
        return None

    def run_command(
        self, argv: list[str], *, timeout: float = 120, env: dict[str, str] | None = None
    ) -> CommandResult:
        """Run ``argv`` where the app runs: its working copy as cwd, its dependencies, network
        and environment (``env`` merged over it). At ``timeout`` the command's whole process
        tree is killed. A runner that cannot do this raises HarnessError (the check that asked
        then says error)."""
        raise HarnessError(f"the {self.runner} runner cannot run commands beside the app")
