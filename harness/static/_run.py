"""run_static: start semgrep and bandit, run our own checks while they work, then judge."""

from __future__ import annotations

import time
import traceback
from pathlib import Path
from typing import Any

from harness._errors import InputError
from harness.app import AppProfile, detect_app, list_files
from harness.catalogue import CheckSpec, errored, note, registered_checks
from harness.scorecard._model import CheckResult, Finding, Status
from harness.static import _bandit, _semgrep
from harness.static._catalogue import attach_facts, load_catalogue, rules_dir
from harness.static._evaluate import assign_fingerprints, evaluate_data, tie_findings
from harness.static._model import StaticContext, StaticRun
from harness.static._sources import load_sources
from harness.static._tools import ToolRun


def select_checks(requirements: set[str] | None) -> list[CheckSpec]:
    specs = registered_checks(kind="static")
    if requirements is not None:
        specs = [s for s in specs if s.requirement in requirements]
    return sorted(specs, key=lambda s: (s.requirement, s.id))


def build_context(
    repo: Path,
    profile: AppProfile | None,
    params: dict[str, dict] | None = None,
    options: dict[str, dict] | None = None,
) -> StaticContext:
    all_files = list_files(repo)
    sources, tests = load_sources(repo, all_files)
    ctx = StaticContext(
        repo=repo,
        profile=profile or detect_app(repo),
        files=sources,
        test_files=tests,
        all_files=all_files,
        params=params or {},
        options=options or {},
    )
    attach_facts(ctx)
    return ctx


def run_own(spec: CheckSpec, ctx: StaticContext) -> CheckResult:
    started = time.perf_counter()
    broken = [f for f in ctx.sources_in("python") if f.parse_error]
    misses = {f.path: f.tree_misses for f in broken}
    try:
        result = spec.func(ctx, spec)  # type: ignore[misc]
    except RecursionError:  # deeply nested generated code
        result = errored(spec, f"check {spec.id} crashed: RecursionError on deeply nested code")
    except Exception as exc:  # a bug in one check must not sink the others
        where = traceback.extract_tb(exc.__traceback__)[-1:]
        at = f" (at {Path(where[0].filename).name}:{where[0].lineno})" if where else ""
        result = errored(spec, f"check {spec.id} crashed: {type(exc).__name__}: {exc}{at}")
    unread = [f for f in broken if f.tree_misses > misses[f.path]]
    if unread:
        # the check wanted syntax trees it could not get: say so instead of judging silently,
        # and claim no pass over files it never read (a fail found elsewhere stands)
        listed = ", ".join(f"{f.path} ({f.parse_error})" for f in unread[:5])
        what = f"{len(unread)} Python file(s) do not parse and were not analysed: {listed}"
        if result.status == Status.passed:
            result.status = Status.error
            result.message = f"no pass over files never read: {what} (elsewhere: {result.message})"
        else:
            result.message += f"; {what}"
        result.evidence.append(
            note(
                f"not analysed (syntax error): {listed}",
                unparsed=[f.path for f in unread],
            )
        )
    result.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    return result


def judge(
    ctx: StaticContext,
    specs: list[CheckSpec],
    runs: dict[str, ToolRun],
    own: dict[str, CheckResult] | None = None,
) -> tuple[list[CheckResult], list[Finding]]:
    """Results of every check in ``specs`` given the analyzer runs; own checks not yet run in
    ``own`` are run here."""
    own = dict(own or {})
    by_id = {s.id: s for s in specs}
    tied = tie_findings(ctx, runs, by_id)
    results: list[CheckResult] = []
    for spec in specs:
        if spec.func is not None:
            result = own.get(spec.id) or run_own(spec, ctx)
        else:
            result = evaluate_data(spec, ctx, runs, tied.get(spec.id, []))
        results.append(result)
    findings = [e.finding for r in results for e in r.evidence if e.finding is not None]
    # findings beyond the evidence cap still belong in the run's list
    for check_id, fs in tied.items():
        cited = {id(e.finding) for r in results if r.check == check_id for e in r.evidence}
        findings.extend(f for f in fs if id(f) not in cited)
    assign_fingerprints(findings)
    return results, findings


def run_static(
    repo: Path | str,
    profile: AppProfile | None = None,
    *,
    requirements: set[str] | None = None,
    params: dict[str, dict] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    timeout: float = 600.0,
) -> StaticRun:
    """Statically verify ``repo``: one semgrep and one bandit process run concurrently with our
    in-process checks. ``requirements`` limits the requirements checked (None: every static one),
    ``params`` carries the agent's specifics per requirement, ``options`` per-check option
    overrides keyed by check id."""
    started = time.perf_counter()
    repo = Path(repo).resolve()
    if not repo.is_dir():
        raise InputError(
            f"repo {repo} is not a directory; pass the generated backend's root folder"
        )
    specs = select_checks(requirements)
    tools_needed = {s.tool for s in specs}
    timings: dict[str, float] = {}

    t = time.perf_counter()
    ctx = build_context(repo, profile, params, options)
    timings["collect"] = time.perf_counter() - t

    deadline = started + timeout
    analyzable = [f for f in ctx.sources]
    sg_job = bd_job = None
    if "semgrep" in tools_needed and analyzable:
        sg_job = _semgrep.start(repo, rules_dir())
    if "bandit" in tools_needed:
        bandit_ids = [
            r for c in load_catalogue().checks.values() if c.tool == "bandit" for r in c.rules
        ]
        bd_job = _bandit.start(repo, [f.path for f in ctx.sources_in("python")], bandit_ids)

    try:
        t = time.perf_counter()
        own = {s.id: run_own(s, ctx) for s in specs if s.func is not None}
        timings["own_checks"] = time.perf_counter() - t

        runs: dict[str, ToolRun] = {}
        if "semgrep" in tools_needed:
            if sg_job is None:
                runs["semgrep"] = ToolRun("semgrep", notes=["semgrep not run: no source files"])
            else:
                runs["semgrep"] = _semgrep.finish(sg_job, repo, deadline - time.perf_counter())
        if "bandit" in tools_needed:
            runs["bandit"] = _bandit.finish(bd_job, repo, deadline - time.perf_counter())
    finally:
        for job in (sg_job, bd_job):
            if job is not None and not isinstance(job, str):
                job.kill()
    for name, run in runs.items():
        timings[name] = round(run.duration, 3)

    results, findings = judge(ctx, specs, runs, own)
    timings["total"] = time.perf_counter() - started
    return StaticRun(
        results=results,
        findings=findings,
        tools={
            name: run.version or ("error" if run.error else "not run") for name, run in runs.items()
        },
        timings={k: round(v, 3) for k, v in timings.items()},
        files_scanned=len(ctx.sources),
        notes=[n for run in runs.values() for n in run.notes][:50],
        skipped=[f"{name}: {s}" for name, run in runs.items() for s in run.skipped]
        + [
            f"python ast: {f.path} ({f.parse_error})"
            for f in ctx.sources_in("python")
            if f.parse_error
        ],
    )
