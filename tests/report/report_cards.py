"""Realistic scorecards for report and gate tests, judged by the real judging rules.

The sample is a Flask todo API with string-built SQL (twice the same snippet in one file), a
hardcoded secret, an unauthenticated list route, a stored XSS payload that comes back, a leaking
error page, a rate-limit probe that could not run, and every verdict kind among its items.
Evidence carries hostile text on purpose: script tags, event handlers, control characters,
XML terminators and backtick runs.
"""

from __future__ import annotations

from harness.catalogue import load_requirements
from harness.scorecard import (
    AgentRef,
    CheckResult,
    Evidence,
    Exchange,
    Finding,
    ItemVerdict,
    RepoRef,
    RunInfo,
    Scorecard,
    Severity,
    Status,
    combine_item,
    coverage,
    fingerprint,
    judge_requirement,
    overall_score,
    verdict_counts,
)

REPO = "/work/generated/todo-flask-bad"
SCRIPT = '<script>document.body.setAttribute("data-pwned","script")</script>'
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
HOSTILE = f"{SCRIPT}{IMG}</pre></details>]]>--> ```` | \x1b[31m\x00 end"


def _finding(
    check: str,
    req: str,
    file: str,
    line: int,
    snippet: str,
    msg: str,
    occ: int = 0,
    severity: Severity = Severity.high,
    tool: str = "semgrep",
) -> Finding:
    return Finding(
        requirement=req,
        check=check,
        tool=tool,
        severity=severity,
        file=file,
        line=line,
        end_line=line,
        snippet=snippet,
        message=msg,
        fingerprint=fingerprint(check, file, snippet, occ),
    )


def _exchange(
    method: str,
    path: str,
    status: int,
    body: str,
    headers: dict | None = None,
    token: str | None = None,
) -> Exchange:
    url = f"http://127.0.0.1:5000{path}"
    auth = f" -H 'Authorization: Bearer {token}'" if token else ""
    return Exchange(
        method=method,
        url=url,
        curl=f"curl -sS -X {method}{auth} '{url}'",
        request_headers={"Authorization": f"Bearer {token}"} if token else {},
        status=status,
        response_headers=headers or {"Content-Type": "application/json"},
        body_excerpt=body,
        elapsed_ms=12.5,
    )


def _live(ex: Exchange, msg: str, **data) -> Evidence:
    return Evidence(kind="live", message=msg, exchange=ex, data=data or None)


def _static(f: Finding) -> Evidence:
    return Evidence(kind="static", message=f.message, finding=f)


SQL_SNIPPET = 'cur.execute(f"SELECT * FROM todos WHERE owner = {user_id}")'


def findings() -> list[Finding]:
    return [
        _finding(
            "sql-fstring",
            "sql.parameterized",
            "app.py",
            41,
            SQL_SNIPPET,
            "SQL built with an f-string reaches execute()",
        ),
        _finding(
            "sql-fstring",
            "sql.parameterized",
            "app.py",
            77,
            SQL_SNIPPET,
            "SQL built with an f-string reaches execute()",
        ),
        _finding(
            "sql-fstring",
            "sql.parameterized",
            "db/queries.py",
            12,
            "conn.execute('DELETE FROM todos WHERE id=%s' % todo_id)",
            "SQL built with % formatting reaches execute()",
        ),
        _finding(
            "hardcoded-secret",
            "secrets.no-hardcoded",
            "config.py",
            3,
            f'SECRET_KEY = "dev-secret {SCRIPT}"',
            "literal secret key in source",
            tool="harness",
        ),
    ]


def check_results() -> list[CheckResult]:
    f = findings()
    leak = (
        "Traceback (most recent call last):\n"
        '  File "/app/app.py", line 88\nsqlite3.OperationalError'
    )
    return [
        CheckResult(
            check="sql-fstring",
            requirement="sql.parameterized",
            kind="static",
            status=Status.failed,
            severity=Severity.high,
            message="3 queries built from strings",
            evidence=[_static(x) for x in f[:3]],
            duration_ms=812.0,
        ),
        CheckResult(
            check="sql-injection-probe",
            requirement="sql.parameterized",
            kind="live",
            status=Status.passed,
            severity=Severity.high,
            message="injection payloads were refused",
            evidence=[
                _live(
                    _exchange("GET", "/todos?q=%27%20OR%201%3D1--", 400, '{"error":"bad query"}'),
                    "payload refused",
                )
            ],
        ),
        CheckResult(
            check="hardcoded-secret",
            requirement="secrets.no-hardcoded",
            kind="static",
            status=Status.failed,
            severity=Severity.high,
            message="secret key is a literal",
            evidence=[_static(f[3])],
        ),
        CheckResult(
            check="auth-no-token",
            requirement="auth.required",
            kind="live",
            status=Status.failed,
            severity=Severity.high,
            message="GET /todos served without a token",
            evidence=[
                _live(
                    _exchange("GET", "/todos", 200, f'[{{"id":1,"title":"{HOSTILE}"}}]'),
                    "no token, got 200",
                    handler_file="app.py",
                    handler_line=30,
                ),
                _live(
                    _exchange("GET", "/todos/17", 200, '{"id":17}'), "no token on an item, got 200"
                ),
            ],
        ),
        CheckResult(
            check="auth-alg-none",
            requirement="auth.required",
            kind="live",
            status=Status.passed,
            severity=Severity.high,
            message="alg=none refused",
            evidence=[
                _live(
                    _exchange(
                        "GET",
                        "/todos",
                        401,
                        '{"error":"unauthorized"}',
                        token="eyJhbGciOiJub25lIn0.e30.",
                    ),
                    "401",
                )
            ],
        ),
        CheckResult(
            check="stored-xss",
            requirement="output.xss-encoding",
            kind="live",
            status=Status.failed,
            severity=Severity.high,
            message="a stored script payload came back as text/html",
            evidence=[
                _live(
                    _exchange(
                        "GET",
                        "/todos/5/view",
                        200,
                        f"<html><body>{HOSTILE}</body></html>",
                        headers={
                            "Content-Type": "text/html",
                            "X-Echo": f'"><script>x</script>{IMG}',
                        },
                    ),
                    "payload rendered unescaped",
                )
            ],
        ),
        CheckResult(
            check="error-leak",
            requirement="errors.no-leak",
            kind="live",
            status=Status.failed,
            severity=Severity.medium,
            message="malformed JSON produced a traceback",
            evidence=[_live(_exchange("POST", "/todos", 500, leak), "traceback in body")],
        ),
        CheckResult(
            check="debug-off",
            requirement="errors.no-leak",
            kind="static",
            status=Status.passed,
            severity=Severity.medium,
            message="debug is off",
        ),
        CheckResult(
            check="ratelimit-burst",
            requirement="ratelimit",
            kind="live",
            status=Status.error,
            severity=Severity.medium,
            message="login route not found in the API model",
            evidence=[
                Evidence(
                    kind="note", message="no login flow", data={"tried": ["/login", "/auth/login"]}
                )
            ],
        ),
        CheckResult(
            check="security-headers",
            requirement="http.security-headers",
            kind="live",
            status=Status.failed,
            severity=Severity.medium,
            message="missing X-Content-Type-Options, CSP; Server banner Werkzeug/3.0.1",
            evidence=[
                _live(
                    _exchange(
                        "GET", "/", 200, "{}", headers={"Server": "Werkzeug/3.0.1 Python/3.11"}
                    ),
                    "headers of GET /",
                )
            ],
        ),
        CheckResult(
            check="health-endpoint",
            requirement="api.health",
            kind="live",
            status=Status.passed,
            severity=Severity.low,
            message="/health answers 200",
            evidence=[_live(_exchange("GET", "/health", 200, '{"status":"ok"}'), "ok")],
        ),
        CheckResult(
            check="type-hints",
            requirement="code.typed",
            kind="static",
            status=Status.passed,
            severity=Severity.low,
            message="18/20 functions typed",
            evidence=[Evidence(kind="note", message="18 of 20 signatures annotated")],
        ),
        CheckResult(
            check="logging-framework",
            requirement="logging.present",
            kind="static",
            status=Status.failed,
            severity=Severity.low,
            message="only print() used for logging",
            evidence=[Evidence(kind="note", message="no logging import in 6 files")],
        ),
        CheckResult(
            check="pagination-limit",
            requirement="api.pagination",
            kind="live",
            status=Status.passed,
            severity=Severity.low,
            message="limit honoured",
        ),
        CheckResult(
            check="pagination-cap",
            requirement="api.pagination",
            kind="live",
            status=Status.failed,
            severity=Severity.low,
            message="limit=100000 returned every row",
            evidence=[_live(_exchange("GET", "/todos?limit=100000", 200, "[...]"), "uncapped")],
        ),
        CheckResult(
            check="migrations",
            requirement="db.migrations",
            kind="static",
            status=Status.not_applicable,
            severity=Severity.low,
            message="no database schema in this app",
        ),
    ]


# (section, text, requirements, polarity)
ITEMS: list[tuple[str, str, list[str], str]] = [
    ("Security", "Use parameterized queries to prevent SQL injection", ["sql.parameterized"], "do"),
    (
        "Security",
        "Never hardcode secrets; read them from the environment",
        ["secrets.no-hardcoded"],
        "dont",
    ),
    (
        "Security",
        "Protect every endpoint with JWT authentication middleware",
        ["auth.required"],
        "do",
    ),
    ("Security", "Prevent XSS with output encoding", ["output.xss-encoding"], "do"),
    ("Security", "Never expose stack traces | raw DB errors", ["errors.no-leak"], "dont"),
    ("Security", "Rate limit authentication endpoints", ["ratelimit"], "do"),
    ("Security", "Set secure HTTP headers (helmet, CSP)", ["http.security-headers"], "do"),
    ("API design", "Expose a health check endpoint", ["api.health"], "do"),
    ("API design", "Paginate list endpoints", ["api.pagination"], "do"),
    ("API design", "Keep response times within performance requirements", ["perf.latency"], "do"),
    ("Code quality", "Use type hints everywhere", ["code.typed"], "do"),
    ("Code quality", "Add structured logging", ["logging.present"], "do"),
    ("Code quality", "Write migration files with rollback strategies", ["db.migrations"], "do"),
    (
        "Code quality",
        "Protect queries and endpoints alike",
        ["sql.parameterized", "auth.required", "api.health"],
        "do",
    ),
    ("Collaboration", "Coordinate with the frontend team early", [], "do"),
    ("Collaboration", f"Write clear commit messages {HOSTILE}", [], "do"),
]


def sample_card(
    n_items_extra: int = 0,
    *,
    results: list[CheckResult] | None = None,
    found: list[Finding] | None = None,
) -> Scorecard:
    """A judged scorecard; ``n_items_extra`` more failing items make it large. ``results`` and
    ``found`` replace the sample's check results and findings (to model a later run)."""
    catalogue = load_requirements()
    results = check_results() if results is None else results
    by_req: dict[str, list[CheckResult]] = {}
    for r in results:
        by_req.setdefault(r.requirement, []).append(r)
    promised = {rid for _, _, rids, _ in ITEMS for rid in rids}
    requirements = {
        rid: judge_requirement(
            catalogue[rid],
            by_req.get(rid, []),
            missing_reason="live-only requirement without a probe here",
        )
        for rid in sorted(promised)
    }
    items: list[ItemVerdict] = []
    rows = ITEMS + [
        ("Extra", f"Extra promise {n} about SQL {HOSTILE}", ["sql.parameterized"], "do")
        for n in range(n_items_extra)
    ]
    for n, (section, text, rids, polarity) in enumerate(rows, start=1):
        if rids:
            verdict = combine_item([requirements[r].verdict for r in rids])
            evidence = [ev for r in rids for ev in requirements[r].evidence][:8]
            reason = " | ".join(f"{r}: {requirements[r].verdict.value}" for r in rids)
        else:
            verdict, evidence, reason = "not_checkable", [], "not about the code"
        items.append(
            ItemVerdict(
                id=f"i{n}",
                text=text,
                section=[section, "Checklist"],
                line=10 + n,
                polarity=polarity,
                requirements=rids,
                verdict=verdict,
                reason=reason,
                evidence=evidence,
            )
        )
    profile = {
        "root": REPO,
        "language": "python",
        "framework": "flask",
        "entrypoint": "app.py",
        "routes": [
            {"method": "GET", "path": "/todos", "file": "app.py", "line": 30, "handler": "list"},
            {
                "method": "GET",
                "path": "/todos/{id}",
                "file": "app.py",
                "line": 52,
                "handler": "get_one",
            },
            {"method": "POST", "path": "/todos", "file": "app.py", "line": 60, "handler": "create"},
        ],
    }
    return Scorecard(
        agent=AgentRef(
            name="backend-developer", path="fixtures/agents/backend-developer.md", sha256="ab" * 32
        ),
        repo=RepoRef(path=REPO, profile=profile),
        task="fixtures/tasks/todo-api",
        items=items,
        requirements=requirements,
        score=overall_score(requirements),
        coverage=coverage(items),
        counts=verdict_counts(items),
        findings=findings() if found is None else found,
        run=RunInfo(
            started_at="2025-01-02T03:04:05+00:00",
            duration_s=42.5,
            timings={"extract": 0.1, "static": 6.2, "start": 3.4, "probes": 28.0},
            tools={"bandit": "1.9.4", "semgrep": "1.182.0", "python": "3.11.2"},
            mode="static+live",
            runner="local",
            isolation="netns",
            api_model_source="task",
            inferred_dependencies=["flask", "pyjwt"],
            notes=[f"app printed {SCRIPT}"],
        ),
    )
