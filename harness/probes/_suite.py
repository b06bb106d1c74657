"""The live side of tests.present: the repo's own test suite, run beside the app, in its sandbox.

How a suite is run (first that applies):
- Python: ``python -m pytest -q -x`` when pytest is importable in the app's environment and the
  repo lists no test-only requirements; ``python -m unittest discover`` when every test file is
  unittest-based and pytest is missing; otherwise (local runner) pytest plus the repo's test-only
  requirements (requirements-dev/test.txt, pyproject's test/dev extras) are installed with
  ``pip --target`` into a cache directory keyed by their hash, and that directory is appended
  to ``sys.path`` of the app's interpreter. Appended, not prepended: the app's own pins win, and
  the app's cached virtualenv (shared by runs, keyed by its dependencies) stays as the app sees it.
- Node: ``npm test`` when package.json has a real test script (not npm's placeholder), else jest
  or mocha from node_modules/.bin when installed, else ``node --test``.

The suite gets the app's environment (its PORT, database path and secrets) with NODE_ENV=test; if
it fails only because the app's port is taken (a suite that listens on import), it is run once
more with PORT=0. Verdicts: pass when it runs tests and exits 0; fail when no suite exists, it
runs no tests, or tests fail (named in the evidence); error when it cannot be run at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

from harness._errors import HarnessError
from harness.app import list_files
from harness.app._deps import requirement_name
from harness.probes._context import ProbeContext, probe
from harness.scorecard import CheckResult

PY_TESTS = ("tests/**/*.py", "test/**/*.py", "**/test_*.py", "**/*_test.py")
JS_TESTS = (
    "**/*.test.[cm]js",
    "**/*.test.js",
    "**/*.spec.js",
    "**/*.test.ts",
    "**/*.spec.ts",
    "test/**/*.js",
    "tests/**/*.js",
    "__tests__/**/*.js",
)
MAX_TEST_FILES = 500
PLACEHOLDER = re.compile(r"no test specified", re.I)
DEV_REQUIREMENTS = re.compile(r"^requirements[-_.]?(dev|test|tests|ci)\.txt$", re.I)
SUITE_ENV = {
    "NODE_ENV": "test",
    "CI": "1",
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
    "npm_config_update_notifier": "false",
    "npm_config_fund": "false",
}
PORT_TAKEN = re.compile(r"EADDRINUSE|Address already in use", re.I)
SHOWN_LINES = 60
# the app's interpreter with a cache directory appended to sys.path, then pytest's own main
_BOOT = (
    "import sys; sys.path.append({dir!r}); import pytest; "
    "sys.argv[0] = 'pytest'; sys.exit(pytest.main())"
)
PYTEST_ARGS = ["-q", "-x", "--no-header", "-p", "no:cacheprovider"]


@dataclass
class SuitePlan:
    """How the suite will be run, or why it cannot be."""

    language: str
    files: list[str]
    argv: list[str] = field(default_factory=list)
    how: str = ""
    problem: str = ""  # set when the suite exists but cannot be run: an error verdict


def test_files(root: Path) -> tuple[list[str], list[str]]:
    """(Python, JS/TS) test files under ``root``, outside dependency directories."""
    files = [f for f in list_files(root) if PurePosixPath(f).name != "conftest.py"]

    def scan(patterns: tuple[str, ...]) -> list[str]:
        return sorted(f for f in files if _matches(f, patterns))[:MAX_TEST_FILES]

    py = [f for f in scan(PY_TESTS) if f.endswith(".py") and _looks_like_test(root / f)]
    return py, scan(JS_TESTS)


def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``rel`` matches one of ``patterns`` as ``Path.glob`` reads ``dir/**/name``."""
    name = PurePosixPath(rel).name
    for pattern in patterns:
        head, _, tail = pattern.rpartition("**/")
        if rel.startswith(head) and fnmatchcase(name, tail):
            return True
    return False


def _looks_like_test(path: Path) -> bool:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return False
    return bool(re.search(r"^\s*(async\s+)?def test|^\s*class Test|unittest", text, re.M))


def _package_json(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / "package.json").read_text(errors="replace"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def test_requirements(root: Path) -> list[str]:
    """The repo's test-only requirements: requirements-dev/test.txt lines, pyproject extras."""
    reqs: list[str] = []
    for path in sorted(root.glob("requirements*.txt")):
        if DEV_REQUIREMENTS.match(path.name):
            for line in path.read_text(errors="replace").splitlines():
                line = line.split(" #")[0].strip()
                if line and not line.startswith(("#", "-")):
                    reqs.append(line)
    with contextlib.suppress(OSError, ValueError):
        project = tomllib.loads((root / "pyproject.toml").read_text()).get("project") or {}
        extras = project.get("optional-dependencies") or {}
        for name, items in extras.items():
            if re.search(r"test|dev", name, re.I) and isinstance(items, list):
                reqs += [str(i) for i in items]
    return list(dict.fromkeys(reqs))


def pytest_cache_dir(requirements: list[str]) -> Path:
    from harness.runner._deps import test_tools_dir

    h = hashlib.sha256(f"py{sys.version_info[:2]}".encode())
    h.update(json.dumps(sorted(requirements)).encode())
    return test_tools_dir() / h.hexdigest()[:20]


def install_test_tools(requirements: list[str], timeout: float = 300) -> tuple[Path, str]:
    """pytest + ``requirements`` in a ``pip --target`` directory (built once, then reused);
    (directory, "" or what went wrong)."""
    target = pytest_cache_dir(requirements)
    if (target / ".ready").exists():
        return target, ""
    staging = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "install", "--no-input", "--disable-pip-version-check"]
    cmd += ["--progress-bar", "off", "--target", str(staging), "pytest", *requirements]
    # the repo names these packages: their install scripts run confined, like the app's own
    from harness.runner._deps import install_env
    from harness.runner._exec import run_confined

    log = staging.with_name(staging.name + ".log")
    try:
        code = run_confined(
            cmd, cwd=staging, env=install_env(), log=log, timeout=timeout, writable=[staging]
        )
        output = log.read_text(errors="replace") if log.exists() else ""
    finally:
        log.unlink(missing_ok=True)
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = "\n".join(output.strip().splitlines()[-5:])
        return target, f"installing pytest for the suite failed (pip exit {code}): {tail}"
    (staging / ".ready").write_text("ok")
    try:
        staging.rename(target)
    except OSError:  # a parallel run finished first: use its copy
        shutil.rmtree(staging, ignore_errors=True)
    return target, ""


def plan_suite(app: Any) -> SuitePlan | None:
    """How to run the suite in ``app``'s working copy; None when the repo has no tests."""
    root = Path(app.source_dir or app.workdir)
    py_files, js_files = test_files(root)
    pkg = _package_json(root)
    script = str((pkg.get("scripts") or {}).get("test") or "")
    if script and not PLACEHOLDER.search(script):
        return SuitePlan("node", js_files, ["npm", "test"], f"npm test ({script})")
    if js_files and ((root / "package.json").exists() or not py_files):
        bins = root / "node_modules" / ".bin"
        text = " ".join(_read(root / f) for f in js_files[:20])
        if (bins / "jest").exists() and re.search(r"\bexpect\(", text):
            return SuitePlan("node", js_files, ["node_modules/.bin/jest", "--ci"], "jest")
        if (bins / "mocha").exists() and re.search(r"\b(describe|it)\(", text):
            return SuitePlan("node", js_files, ["node_modules/.bin/mocha"], "mocha")
        return SuitePlan("node", js_files, ["node", "--test"], "node --test")
    if not py_files:
        return None
    plan = SuitePlan("python", py_files)
    extra = test_requirements(root)
    has_pytest = app.run_command(["python", "-c", "import pytest"], timeout=60).exit_code == 0
    if has_pytest and not extra:
        plan.argv, plan.how = ["python", "-m", "pytest", *PYTEST_ARGS], "pytest"
        return plan
    texts = [_read(root / f) for f in py_files]
    if not has_pytest and all("unittest" in t and "pytest" not in t for t in texts):
        start = next((d for d in ("tests", "test") if (root / d).is_dir()), ".")
        plan.argv = ["python", "-m", "unittest", "discover", "-s", start, "-t", "."]
        plan.how = "unittest discover (pytest is not among the app's dependencies)"
        return plan
    if app.runner != "local":
        if has_pytest:
            plan.argv, plan.how = ["python", "-m", "pytest", *PYTEST_ARGS], "pytest"
            return plan
        plan.problem = (
            f"pytest is not among the app's dependencies and the {app.runner} runner does not "
            "add test tools to its image; run with the local runner to run this suite"
        )
        return plan
    tools, problem = install_test_tools(extra)
    if problem:
        plan.problem = problem
        return plan
    plan.argv = ["python", "-c", _BOOT.format(dir=str(tools)), *PYTEST_ARGS]
    added = ["pytest"] if not has_pytest else []
    plan.how = "pytest with " + ", ".join(added + extra) + f" added from {tools}"
    return plan


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[:200_000]
    except OSError:
        return ""


# ---------------------------------------------------------------------------- summaries

_PYTEST_LINE = re.compile(r"^=*\s*(?:\d+ \w+(?:, )?)+ in [\d.]+s", re.M)
_PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")
_NODE_COUNT = re.compile(r"^[#\u2139] (tests|pass|fail|cancelled|skipped|todo) (\d+)\s*$", re.M)
_JEST_LINE = re.compile(r"^Tests:\s+(.+)$", re.M)
_JEST_COUNT = re.compile(r"(\d+) (failed|passed|skipped|todo|total)")
_MOCHA_COUNT = re.compile(r"^\s*(\d+) (passing|failing|pending)\b", re.M)
_UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in", re.M)
_UNITTEST_BAD = re.compile(r"^FAILED \((.+)\)", re.M)


def parse_summary(output: str) -> dict[str, Any]:
    """Counts and failing test names from a pytest, node --test, jest, mocha or unittest run."""
    counts: dict[str, int] = {}
    fmt = ""
    failing: list[str] = []
    lines = _PYTEST_LINE.findall(output)
    if lines:
        fmt = "pytest"
        for n, word in _PYTEST_COUNT.findall(lines[-1]):
            key = {"error": "errors", "xfailed": "skipped", "xpassed": "passed"}.get(word, word)
            counts[key] = counts.get(key, 0) + int(n)
        failing = re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.M)
    elif _NODE_COUNT.search(output):
        fmt = "node --test"
        names = {"pass": "passed", "fail": "failed", "tests": "tests"}
        for word, n in _NODE_COUNT.findall(output):
            if word in names:
                counts[names[word]] = int(n)
        failing = re.findall(r"^\s*not ok \d+ - (.+)$", output, re.M)
        failing += re.findall(r"^\s*\u2716 (.+?)(?: \([\d.]+m?s\))?$", output, re.M)
    elif _JEST_LINE.search(output):
        fmt = "jest"
        for n, word in _JEST_COUNT.findall(_JEST_LINE.findall(output)[-1]):
            counts["tests" if word == "total" else word] = int(n)
        failing = re.findall(r"^\s*\u25cf (?!Console)(.+)$", output, re.M)
    elif _MOCHA_COUNT.search(output):
        fmt = "mocha"
        names = {"passing": "passed", "failing": "failed", "pending": "skipped"}
        for n, word in _MOCHA_COUNT.findall(output):
            counts[names[word]] = int(n)
        failing = re.findall(r"^\s*\d+\) (.+?):?$", output, re.M)
    elif _UNITTEST_RAN.search(output):
        fmt = "unittest"
        counts["tests"] = int(_UNITTEST_RAN.findall(output)[-1])
        for part in (_UNITTEST_BAD.findall(output) or [""])[-1].split(","):
            key, _, n = part.strip().partition("=")
            if n.isdigit():
                counts[{"failures": "failed"}.get(key, key)] = int(n)
        failing = [f"{a}: {b}" for a, b in re.findall(r"^(FAIL|ERROR): (.+)$", output, re.M)]
    if fmt and "tests" not in counts:
        counts["tests"] = sum(v for k, v in counts.items() if k in ("passed", "failed", "errors"))
    return {"format": fmt, "counts": counts, "failing": list(dict.fromkeys(failing))[:20]}


# ---------------------------------------------------------------------------- verdict

_CANNOT_RUN = re.compile(
    r"No module named (pytest|unittest)\b|: (npm|node|jest|mocha|python3?): (command )?not found|"
    r"could not run |exec: \"?\w+\"?: executable file not found",
    re.I,
)


def run_suite(app: Any, plan: SuitePlan, timeout: float) -> tuple[Any, list[str]]:
    """Run the planned suite; (CommandResult, notes). Retried once with PORT=0 when the only
    problem was the app's port being taken."""
    notes: list[str] = []
    result = app.run_command(plan.argv, timeout=timeout, env=SUITE_ENV)
    if result.exit_code not in (0, None) and PORT_TAKEN.search(result.output):
        notes.append(
            "the suite could not listen on the app's port (the app holds it); ran it again "
            "with PORT=0"
        )
        result = app.run_command(plan.argv, timeout=timeout, env={**SUITE_ENV, "PORT": "0"})
    return result, notes


def judge(ctx: ProbeContext, plan: SuitePlan, result: Any, notes: list[str]) -> CheckResult:
    summary = parse_summary(result.output)
    counts, failing = summary["counts"], summary["failing"]
    shown = "\n".join(result.output.splitlines()[-SHOWN_LINES:])
    evidence = ctx.note(
        f"$ {' '.join(result.argv)[:300]} -> "
        + ("killed at the deadline" if result.timed_out else f"exit {result.exit_code}")
        + f" in {result.seconds:.1f} s",
        command=result.argv,
        how=plan.how,
        exit_code=result.exit_code,
        seconds=result.seconds,
        timed_out=result.timed_out,
        summary_format=summary["format"] or None,
        counts=counts,
        failing=failing,
        output_tail=shown,
        files=plan.files[:20],
        notes=notes,
    )
    ran = counts.get("tests")
    what = ", ".join(f"{v} {k}" for k, v in counts.items() if k != "tests")
    if result.timed_out:
        return ctx.errored(
            f"the test suite ({plan.how}) did not finish within {result.seconds:.0f} s and was "
            "killed",
            evidence,
        )
    code = result.exit_code
    missing_dev = _missing_dev_dependency(ctx, result.output)
    if code in (126, 127) or _CANNOT_RUN.search(result.output) or missing_dev:
        why = missing_dev or f"exit {code}"
        return ctx.errored(f"the test runner ({plan.how}) could not be executed: {why}", evidence)
    if code == 0:
        if ran == 0:
            return ctx.failed(f"the suite ({plan.how}) ran no tests", evidence)
        return ctx.passed(
            f"the repo's test suite passes ({plan.how}"
            + (f": {what}" if what else ", exit 0")
            + ")",
            evidence,
        )
    if summary["format"] == "pytest" or plan.how.startswith("pytest"):
        if code == 5:
            return ctx.failed("pytest collected no tests", evidence)
        if code in (3, 4):
            return ctx.errored(f"pytest could not run the suite (exit {code})", evidence)
    named = f"; failing: {', '.join(failing[:5])}" if failing else ""
    return ctx.failed(
        f"the repo's test suite fails ({plan.how}, exit {code}"
        + (f": {what}" if what else "")
        + f"){named}",
        evidence,
    )


def _missing_dev_dependency(ctx: ProbeContext, output: str) -> str:
    """A test-only dependency the runner did not install (the docker runner omits them)."""
    root = Path(ctx.app.source_dir or ctx.app.workdir)
    dev = set(_package_json(root).get("devDependencies") or {})
    for name in re.findall(r"Cannot find module '([^'./][^']*)'", output):
        top = "/".join(name.split("/")[:2]) if name.startswith("@") else name.split("/")[0]
        if top in dev:
            return f"the devDependency {top!r} is not installed in the {ctx.app.runner} runner"
    wanted = {_norm(requirement_name(r) or "") for r in test_requirements(root)}
    for module in re.findall(r"No module named '(\w+)", output):
        if _norm(module) in wanted:
            return (
                f"the test requirement {module!r} is not installed in the {ctx.app.runner} runner"
            )
    return ""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@probe(
    "live.tests-present",
    requirement="tests.present",
    title="(live side) the repo's own test suite runs and passes",
    phase="late",
    timeout_s=900,
    suite_timeout_s=180,
)
async def tests_present(ctx: ProbeContext) -> CheckResult:
    """Fails: the repo has no test suite to run, or the suite fails.

    Passes: the repo's own suite runs beside the app and passes; it cannot be run: error."""
    try:
        plan = await asyncio.to_thread(plan_suite, ctx.app)
    except HarnessError as exc:
        return ctx.errored(f"the suite could not be run beside the app: {exc}")
    if plan is None:
        return ctx.failed(
            "the repo has no test suite to run",
            ctx.note(
                "searched the app's working copy and package.json",
                patterns=[*PY_TESTS, *JS_TESTS],
            ),
        )
    if plan.problem:
        return ctx.errored(plan.problem, ctx.note("test files", files=plan.files[:20]))
    try:
        result, notes = await asyncio.to_thread(
            run_suite, ctx.app, plan, float(ctx.options["suite_timeout_s"])
        )
    except HarnessError as exc:
        return ctx.errored(
            f"the suite could not be run beside the app: {exc}",
            ctx.note("test files", files=plan.files[:20]),
        )
    return judge(ctx, plan, result, notes)
