"""start_app: one entry point for every runner."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from harness._errors import InputError
from harness.app import AppProfile
from harness.runner._model import RunningApp

RUNNERS = ("local", "docker")


@contextlib.contextmanager
def start_app(
    profile: AppProfile,
    *,
    runner: str = "local",
    env: dict[str, str] | None = None,
    startup_timeout: float = 60,
    isolation: str | None = None,
    use_repo_dockerfile: bool = False,
    require_isolation: bool = False,
) -> Iterator[RunningApp]:
    """Install and start the app of ``profile``; yield it running; always tear it down.

    ``runner="local"`` sandboxes it on this machine (``isolation``, default HARNESS_ISOLATION
    or "auto": the best this machine allows, the bubblewrap sandbox where it can be made;
    "sandbox", "netns" or "host-network" force one); ``runner="docker"`` builds and runs a
    container, from the framework's template or, with ``use_repo_dockerfile``, from the repo's
    own Dockerfile. Raises LaunchError (with the log tail) when the app cannot be installed or
    does not come up, and, with ``require_isolation``, when any part of the sandbox cannot be
    applied on this machine.
    """
    if runner == "local":
        from harness.runner._local import LocalRunner

        isolation = isolation or os.environ.get("HARNESS_ISOLATION") or "auto"
        with LocalRunner(
            profile,
            env=env,
            startup_timeout=startup_timeout,
            isolation=isolation,
            require_isolation=require_isolation,
        ).start() as app:
            yield app
    elif runner == "docker":
        from harness.runner._docker import DockerRunner  # the docker SDK only when asked for

        with DockerRunner(
            profile,
            env=env,
            startup_timeout=startup_timeout,
            use_repo_dockerfile=use_repo_dockerfile,
            require_isolation=require_isolation,
        ) as app:
            yield app
    else:
        raise InputError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
