"""Running the live probes in phases: setup -> independent probes concurrently -> scans of what
they saw -> latency under load -> the rate-limit burst -> log checks -> resource exhaustion, one
at a time -> still alive? -> shutdown.

The burst runs late so that a lockout cannot spoil the other probes; graceful shutdown runs last
because it stops the app."""

from __future__ import annotations

import asyncio
import time
import traceback
from typing import Any

from pydantic import BaseModel, Field

from harness.apimodel import ApiModel, open_client, run_sync
from harness.catalogue import (
    CheckSpec,
    errored,
    load_requirements,
    not_applicable,
    not_checkable,
    registered_checks,
)
from harness.probes._context import ProbeBlind, ProbeContext, ProbeError, ProbeSkip, Session
from harness.probes._session import setup
from harness.scorecard import CheckResult, Evidence

PHASES = ("main", "late", "perf", "burst", "logs", "exhaust", "final", "shutdown")
# exhaust: payloads that may stall a worker (harness/probes/_exhaust.py) go one at a time
_SEQUENTIAL = {"burst", "exhaust", "shutdown"}
DEFAULT_TIMEOUT_S = 30.0


class ProbeRun(BaseModel):
    results: list[CheckResult] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


def live_checks(requirements: set[str] | None = None) -> list[CheckSpec]:
    """The registered live checks for ``requirements`` (None: every live requirement)."""
    _load_probe_modules()
    live = {rid for rid, r in load_requirements().items() if r.live}
    wanted = live if requirements is None else set(requirements)
    return [s for s in registered_checks(kind="live") if s.requirement in wanted]


def run_probes(
    app: Any,
    api: ApiModel,
    *,
    requirements: set[str] | None = None,
    params: dict[str, dict] | None = None,
    options: dict[str, dict] | None = None,
) -> ProbeRun:
    """Probe the running ``app`` for ``requirements`` (None: all live requirements).

    ``params`` holds the agent's specifics per requirement id, ``options`` per-check overrides
    keyed by check id or requirement id (e.g. ``{"live.graceful-shutdown": {"enabled": False}}``).
    """
    return run_sync(
        arun_probes(app, api, requirements=requirements, params=params, options=options)
    )


async def arun_probes(
    app: Any,
    api: ApiModel,
    *,
    requirements: set[str] | None = None,
    params: dict[str, dict] | None = None,
    options: dict[str, dict] | None = None,
    concurrent: bool = True,
) -> ProbeRun:
    """``run_probes`` as a coroutine; ``concurrent=False`` runs every probe one after the other
    (the baseline bench/bench_probes.py compares against)."""
    params, options = params or {}, options or {}
    run = ProbeRun()
    specs = live_checks(requirements)
    t_all = time.perf_counter()
    client = open_client(app)
    session = Session(app=app, api=api, client=client)
    try:
        t = time.perf_counter()
        await setup(session)
        run.timings["setup"] = round(time.perf_counter() - t, 4)
        for phase in PHASES:
            batch = [s for s in specs if s.phase == phase]
            if not batch:
                continue
            t = time.perf_counter()
            contexts = [
                ProbeContext(
                    session,
                    s,
                    params=params.get(s.requirement),
                    options={**options.get(s.requirement, {}), **options.get(s.id, {})},
                    all_params=params,
                )
                for s in batch
            ]
            if phase in _SEQUENTIAL or not concurrent:
                for ctx in contexts:
                    run.results.append(await _run_one(ctx))
            else:
                run.results += await asyncio.gather(*(_run_one(c) for c in contexts))
            run.timings[f"phase.{phase}"] = round(time.perf_counter() - t, 4)
    finally:
        await client.aclose()
    run.timings["total"] = round(time.perf_counter() - t_all, 4)
    run.notes = [
        *session.notes,
        f"{len(session.records)} requests sent to {app.base_url} by {len(specs)} live checks",
    ]
    return run


async def _run_one(ctx: ProbeContext) -> CheckResult:
    spec = ctx.spec
    t = time.perf_counter()
    if ctx.options.get("enabled") is False:
        result = not_applicable(spec, f"disabled by the option {spec.id}.enabled=false")
    else:
        timeout = float(spec.timeout_s or DEFAULT_TIMEOUT_S)
        try:
            result = await asyncio.wait_for(spec.func(ctx), timeout)  # type: ignore[misc]
        except ProbeSkip as skip:
            result = not_applicable(spec, str(skip), *skip.evidence)
        except ProbeBlind as blind:
            result = not_checkable(spec, str(blind), *blind.evidence)
        except ProbeError as exc:
            result = errored(spec, str(exc), *exc.evidence)
        except TimeoutError:
            result = errored(spec, f"the probe did not finish within {timeout:g} s")
        except Exception as exc:  # a probe bug is an error verdict, never a pass
            tb = traceback.format_exc(limit=4)
            result = errored(
                spec,
                f"the probe failed: {type(exc).__name__}: {exc}",
                Evidence(kind="note", message="probe traceback", data={"traceback": tb[-2000:]}),
            )
    if not result.evidence:
        result.evidence.append(Evidence(kind="note", message=result.message))
    result.duration_ms = round((time.perf_counter() - t) * 1000, 2)
    return result


def _load_probe_modules() -> None:
    """Importing the probe modules registers their checks; the list of them is kept in one
    place, the package's ``__init__``."""
    import harness.probes  # noqa: F401
