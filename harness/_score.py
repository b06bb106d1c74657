"""The pipeline: agent + repo (+ task) -> Scorecard. Each stage is a function of its own package;
this module only wires them together, times them and turns stage failures into verdicts."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from harness._errors import InputError
from harness._paths import fixtures_dir
from harness.agent import Agent, parse_agent
from harness.app import AppProfile, detect_app
from harness.catalogue import (
    check_options,
    errored,
    load_requirements,
    note,
    registered_checks,
)
from harness.checklist import (
    NOT_TEXT_MESSAGE,
    Checklist,
    ChecklistItem,
    RequirementUse,
    extract_checklist,
)
from harness.runner import LaunchError
from harness.scorecard import (
    AgentRef,
    CheckResult,
    Finding,
    RepoRef,
    RunInfo,
    Scorecard,
    judge_checklist,
    judged_fields,
    redact_scorecard,
)

Progress = Callable[[str], None]
DEFAULT_FORMATS = ("json", "md")


def resolve_agent(ref: str | Path) -> Path:
    """A path as given, or the name of a bundled agent ("backend" -> fixtures/agents/backend.md)."""
    return _resolve(ref, "agents", suffix=".md")


def resolve_repo(ref: str | Path) -> Path:
    """A path as given, or the name of a bundled app ("todo-flask-bad")."""
    return _resolve(ref, "apps")


def resolve_task(ref: str | Path) -> Path:
    """A path as given, or the name of a bundled task ("todo-api")."""
    return _resolve(ref, "tasks")


def _resolve(ref: str | Path, kind: str, suffix: str = "") -> Path:
    path = Path(ref).expanduser()
    if path.exists():
        return path
    bundled = fixtures_dir() / kind / f"{ref}{suffix}"
    if str(ref) and "/" not in str(ref) and bundled.exists():
        return bundled
    return path  # let the stage that reads it say what is wrong


def catalogue_checklist() -> Checklist:
    """A checklist that promises every requirement in the catalogue: used without an agent."""
    requirements = load_requirements()
    agent = Agent(name="catalogue", sha256="", description="every requirement in the catalogue")
    items = [
        ChecklistItem(id=f"r{n}", text=r.title, section=[r.group], requirements=[r.id])
        for n, r in enumerate(requirements.values(), start=1)
    ]
    uses = {it.requirements[0]: RequirementUse(items=[it.id]) for it in items}
    return Checklist(agent=agent, items=items, requirements=uses)


def score(
    agent: str | Path | None,
    repo: str | Path,
    *,
    task: str | Path | None = None,
    live: bool = True,
    runner: str = "local",
    use_repo_dockerfile: bool = False,
    require_isolation: bool = False,
    startup_timeout: float | None = None,
    out_dir: str | Path | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
    options: dict[str, dict] | None = None,
    progress: Progress | None = None,
) -> Scorecard:
    """Score ``repo`` against the promises of ``agent`` (every requirement when None).

    Static analysis and the live run go side by side; the scorecard is written to ``out_dir``
    (default reports/<agent>/<repo>/) in ``formats`` unless ``out_dir`` is False-y and formats
    is empty. ``startup_timeout`` is how long the app may take to listen once installed
    (default: the runner's, 60 s).
    """
    if startup_timeout is not None and startup_timeout <= 0:
        raise InputError(f"the startup timeout must be a positive number, not {startup_timeout}")
    if options:  # a typo in an option must not quietly leave a check at its default
        load_checks()
        options = check_options(registered_checks(), options)
    say = progress or (lambda _msg: None)
    started, t0 = datetime.now(UTC), time.perf_counter()
    info = RunInfo(started_at=started.isoformat(), duration_s=0.0)
    info.mode = "static+live" if live else "static"
    timings = info.timings  # the model keeps its own dict: time every stage into that one

    repo_path = resolve_repo(repo)
    if not repo_path.is_dir():
        raise InputError(
            f"repo {str(repo)!r} is not a directory; pass the generated backend's folder"
        )
    task_path = resolve_task(task) if task is not None else None
    if task_path is not None and not task_path.is_dir():
        raise InputError(
            f"task {str(task)!r} is not a directory (expected openapi.yaml, auth.yaml)"
        )

    # a missing or unreadable agent file fails here, before anything is started
    agent_def = parse_agent(resolve_agent(agent)) if agent is not None else None
    with _timed(timings, "detect"):
        profile = detect_app(repo_path)
    require_app(profile, repo_path)
    # Until the checklist is known, progress is held back: an agent file with nothing to score
    # ends the run with one usage line, not after lines about an app started meanwhile.
    held = _HeldProgress(say)
    say = held
    say(f"app: {profile.language}/{profile.framework}, entrypoint {profile.entrypoint}")
    for line in profile.notes:
        if line.startswith("monorepo:"):
            say(line)

    # Extraction and then static analysis run in a worker thread while this thread installs and
    # starts the app; the probes wait for the checklist. The live run stays on this thread so
    # that Ctrl-C reaches it and tears the app down at once.
    checklist_ready: Future[Checklist] = Future()

    def extract_then_analyse() -> tuple[
        list[CheckResult], list[Finding], dict[str, str], list[str]
    ]:
        try:
            with _timed(timings, "extract"):
                made = catalogue_checklist() if agent_def is None else extract_checklist(agent_def)
            require_promises(made)
        except BaseException as exc:
            held.release(flush=False)
            checklist_ready.set_exception(exc)
            raise
        held.release(flush=True)
        checklist_ready.set_result(made)
        say(f"checklist: {len(made.items)} items, {len(made.requirements)} requirements")
        promised, params = _plan(made)
        if not live:  # in a live run the status names the app's stage instead
            say("analysing the source (bandit, semgrep, own checks)...")
        return _run_static(repo_path, profile, promised, params, options, timings)

    with ThreadPoolExecutor(max_workers=1) as pool:
        static_future = pool.submit(extract_then_analyse)
        live_results = (
            _run_live(
                profile,
                task_path,
                lambda: _plan(checklist_ready.result()),
                options,
                runner,
                info,
                say,
                use_repo_dockerfile=use_repo_dockerfile,
                require_isolation=require_isolation,
                startup_timeout=startup_timeout,
            )
            if live
            else []
        )
        static_results, findings, tools, unread = static_future.result()
    checklist = checklist_ready.result()
    info.tools.update(tools)
    info.notes.extend(f"static: not read by {u}" for u in unread[:20])
    say(f"static: {len(static_results)} check results, {len(findings)} findings")

    with _timed(timings, "judge"):
        card = build_scorecard(
            checklist,
            profile,
            static_results + live_results,
            findings=findings,
            info=info,
            task=str(task_path) if task_path else None,
            live=live,
        )
    info.duration_s = round(time.perf_counter() - t0, 3)
    # judged first, redacted after: what leaves the pipeline (reports, the summary table, the
    # gate's reasons) never carries a host secret the app served or logged
    card = redact_scorecard(card)
    if card.redactions:
        say("redacted: " + ", ".join(f"{k} {v}" for k, v in card.redactions.items()))

    formats = tuple(formats)
    if formats:
        target = Path(out_dir) if out_dir else default_out_dir(checklist.agent.name, repo_path)
        from harness.report import write_reports

        written = write_reports(card, target, formats)
        say("reports: " + ", ".join(str(p) for p in written.values()))
    return card


def require_app(profile: AppProfile, repo: Path) -> None:
    """A repo without any Python, JavaScript, TypeScript or Go source (and no manifest) holds
    nothing to score: a usage error, not a scorecard of errors."""
    if profile.language == "unknown":
        raise InputError(
            f"nothing to score: no app found in {repo} (no Python, JavaScript, TypeScript or Go "
            "source, no package.json or go.mod); pass the generated backend's folder"
        )


def require_promises(checklist: Checklist) -> None:
    """An agent file from which no promise maps to a requirement gives nothing to score."""
    if checklist.requirements:
        return
    agent = checklist.agent
    where = agent.path or agent.name
    if not checklist.items:
        why = next(
            (d.message for d in agent.diagnostics if d.message.startswith(NOT_TEXT_MESSAGE)),
            "its markdown body states none",
        )
        raise InputError(f"nothing to score: no promises found in the agent file {where} ({why})")
    raise InputError(
        f"nothing to score: none of the {len(checklist.items)} statement(s) in the agent file "
        f"{where} maps to a requirement the harness checks"
    )


class _HeldProgress:
    """A progress sink that keeps messages until released: then passes them through, or, when
    the run is ending in a usage error, drops them and every later one."""

    def __init__(self, say: Progress) -> None:
        self._say = say
        self._held: list[str] | None = []
        self._muted = False
        self._lock = threading.Lock()

    def __call__(self, message: str) -> None:
        with self._lock:  # held lines go out before any later one, whichever thread says it
            if self._held is not None:
                self._held.append(message)
            elif not self._muted:
                self._say(message)

    def release(self, *, flush: bool) -> None:
        with self._lock:
            held, self._held, self._muted = self._held or [], None, not flush
            for message in held if flush else []:
                self._say(message)


def _plan(checklist: Checklist) -> tuple[set[str], dict[str, dict]]:
    """The promised requirement ids and the agent's parameters for each."""
    return set(checklist.requirements), {
        rid: use.params for rid, use in checklist.requirements.items()
    }


def load_checks() -> None:
    """Fill the check registry: the static and live check modules register on import."""
    import harness.probes
    import harness.static  # noqa: F401


def default_out_dir(agent_name: str, repo: Path) -> Path:
    return Path("reports") / _slug(agent_name) / _slug(repo.resolve().name)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "unnamed"


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str):
    t = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + time.perf_counter() - t, 4)


def _run_static(
    repo: Path,
    profile: AppProfile,
    promised: set[str],
    params: dict[str, dict],
    options: dict[str, dict] | None,
    timings: dict[str, float],
) -> tuple[list[CheckResult], list[Finding], dict[str, str], list[str]]:
    from harness.static import run_static

    with _timed(timings, "static"):
        try:
            run = run_static(repo, profile, requirements=promised, params=params, options=options)
        except Exception as exc:  # a harness fault must become error verdicts, not a crash
            return (
                _stage_errors("static", promised, f"static analysis failed: {exc}"),
                [],
                {},
                [],
            )
    return run.results, run.findings, run.tools, run.skipped


def _run_live(
    profile: AppProfile,
    task: Path | None,
    plan: Callable[[], tuple[set[str], dict[str, dict]]],
    options: dict[str, dict] | None,
    runner: str,
    info: RunInfo,
    say: Progress,
    *,
    use_repo_dockerfile: bool = False,
    require_isolation: bool = False,
    startup_timeout: float | None = None,
) -> list[CheckResult]:
    """Start the app, build its API model, probe it. A launch failure becomes error results for
    every live check of a promised requirement, carrying the app's last log lines."""
    from harness.apimodel import build_api_model
    from harness.probes import run_probes
    from harness.runner import start_app

    timings = info.timings
    info.runner = runner
    with contextlib.ExitStack() as stack:
        try:
            with _timed(timings, "start"):
                wait = {} if startup_timeout is None else {"startup_timeout": startup_timeout}
                limit = f"{startup_timeout:g}" if startup_timeout is not None else "60"
                say(f"installing and starting the app ({runner}, {limit} s to listen)...")
                app = stack.enter_context(
                    start_app(
                        profile,
                        runner=runner,
                        use_repo_dockerfile=use_repo_dockerfile,
                        require_isolation=require_isolation,
                        **wait,
                    )
                )
        except LaunchError as exc:
            say(f"the app did not start: {exc}")
            info.notes.append(f"app did not start: {exc}")
            promised, _ = plan()
            return _stage_errors("live", promised, f"the app did not start: {exc}", exc.log_tail)

        info.isolation = app.isolation
        info.inferred_dependencies = list(app.inferred_dependencies)
        # how it was built and started (go build, npm run build, the start command)
        info.notes.extend(getattr(app, "notes", None) or [])
        # read again when the app stops: the bounds it hit by then are part of the record
        stack.callback(lambda: setattr(info, "sandbox", app.sandbox))
        if app.sandbox is not None and app.sandbox.missing:
            say("warning: the sandbox is incomplete here: " + "; ".join(app.sandbox.missing))
        say(f"app is up at {app.base_url} ({app.isolation}); probing...")
        try:
            promised, params = plan()  # ready by now; with nothing to score, stop here
            with _timed(timings, "api_model"):
                api = build_api_model(profile, task_dir=task, app=app)
            info.api_model_source = api.source
            info.notes.extend(getattr(api, "notes", []) or [])
            with _timed(timings, "probes"):
                run = run_probes(app, api, requirements=promised, params=params, options=options)
            say(f"probes: {len(run.results)} check results; stopping the app...")
        except InputError:
            raise  # nothing to score (from the checklist): a usage error, not an error verdict
        except Exception as exc:  # a harness fault must become error verdicts, not a crash
            info.notes.append(f"live phase failed: {type(exc).__name__}: {exc}")
            promised, _ = plan()
            return _stage_errors("live", promised, f"live phase failed: {exc}", app.logs())
        info.notes.extend(run.notes)
        timings.update({f"probes.{k}": v for k, v in run.timings.items()})
        stopping = time.perf_counter()
    timings["stop"] = round(time.perf_counter() - stopping, 4)
    return run.results


def _stage_errors(
    kind: Literal["static", "live"], promised: set[str], message: str, log_tail: str = ""
) -> list[CheckResult]:
    """One error result per check of ``kind`` for a promised requirement: the stage could not
    run, so none of its checks may pass or fail."""
    evidence = note(message, log_tail=log_tail[-4000:]) if log_tail else note(message)
    return [
        errored(spec, f"could not run: {message}", evidence)
        for spec in registered_checks(kind=kind)
        if spec.requirement in promised
    ]


def build_scorecard(
    checklist: Checklist,
    profile: AppProfile,
    results: list[CheckResult],
    *,
    findings: list[Finding],
    info: RunInfo,
    task: str | None = None,
    live: bool = True,
) -> Scorecard:
    """Judge check results against a checklist. Pure: a stored scorecard's results can be fed
    back in to re-judge without re-running anything."""
    load_checks()
    titles = {spec.id: spec.title for spec in registered_checks()}
    results = [
        r.model_copy(update={"title": titles[r.check]})
        if not r.title and r.check in titles
        else r
        for r in results
    ]
    requirements, items = judge_checklist(
        checklist,
        results,
        load_requirements(),
        lambda requirement: _missing_reason(requirement, profile, live),
    )
    agent = checklist.agent
    return Scorecard(
        agent=AgentRef(name=agent.name, path=agent.path, sha256=agent.sha256 or None),
        repo=RepoRef(path=profile.root, profile=profile.model_dump(exclude={"source_files"})),
        task=task,
        findings=findings,
        run=info,
        **judged_fields(requirements, items),
    )


def _missing_reason(requirement, profile: AppProfile, live: bool) -> str:
    if requirement.evidence == "manual":
        return "decided only by a person reading the code; no automatic check"
    has_static = bool(registered_checks(kind="static", requirement=requirement.id))
    has_live = bool(registered_checks(kind="live", requirement=requirement.id))
    if requirement.evidence == "live" and not live:
        return "live-only requirement: run without --static to probe the running app"
    if not has_static and not has_live:
        return f"no check in the catalogue verifies {requirement.id} yet"
    return f"no check for {requirement.id} applies to a {profile.language}/{profile.framework} app"

