"""Batch summaries and diff reports as Markdown, self-contained HTML and JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable

from harness._errors import InputError
from harness.batch._diff import Breakage, Counts, DiffReport, RequirementDiff, Side
from harness.batch._stats import Spread
from harness.batch._summary import BatchSummary, GroupSummary, RequirementStats

DIFF_FORMATS = ("md", "html", "json")
_PASS_AT = (1, 3, 5, 10)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _ci(ci: tuple[float, float]) -> str:
    return f"{100 * ci[0]:.0f}–{100 * ci[1]:.0f}%"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.0001" if value < 1e-4 else f"{value:.4f}"


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _spread(s: Spread) -> str:
    if not s.n:
        return "no scores"
    return (
        f"{_num(s.mean)} ± {_num(s.stdev)} (min {_num(s.min)}, median {_num(s.median)}, "
        f"max {_num(s.max)}, n={s.n})"
    )


def _pass_at(st: RequirementStats) -> str:
    shown = [k for k in _PASS_AT if k in st.pass_at_k]
    if st.n and st.n not in shown:
        shown.append(st.n)
    return ", ".join(f"@{k} {_pct(st.pass_at_k[k])}" for k in shown) or "–"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# -- summary -------------------------------------------------------------------------------------


def _group_rows(g: GroupSummary) -> list[list[str]]:
    rows = []
    for req, st in [*g.requirements.items(), ("(all promises)", g.all_pass)]:
        rows.append(
            [
                f"`{req}`" if not req.startswith("(") else req,
                f"{st.passed}/{st.n}",
                _pct(st.rate),
                _ci(st.ci),
                _pass_at(st),
                str(st.errors),
                str(st.excluded),
            ]
        )
    return rows


_GROUP_HEADER = ["requirement", "pass/n", "rate", "95% CI (Wilson)", "pass@k", "errors", "n/a"]


def summary_markdown(summary: BatchSummary) -> str:
    out = ["# Batch summary", ""]
    spec = summary.spec
    if spec:
        out.append(
            f"{spec.get('samples', '?')} sample(s) per agent and task; "
            f"{'live and static' if spec.get('live') else 'static'} scoring; "
            f"contract: {spec.get('contract', 'self')}."
        )
        out.append("")
    out.append(
        "Rates count pass against fail (partial counts as fail); error, not-applicable and "
        "not-checkable verdicts are left out of rates and counted separately."
    )
    for g in summary.groups:
        out += ["", f"## {g.agent} × {g.task}", ""]
        out.append(
            f"- samples: {g.samples}, could not be generated or scored: {g.sample_errors}, "
            f"error verdicts: {g.error_verdicts}"
        )
        out.append(f"- score: {_spread(g.score)}")
        out += ["", _md_table(_GROUP_HEADER, _group_rows(g))]
        errors = [(i, s.error) for i, s in g.sample_info.items() if s.error]
        if errors:
            out += ["", "Failed samples:", ""]
            out += [f"- sample {i}: {_md_cell(e or '')[:300]}" for i, e in errors]
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:80rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #d0d0d7;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f3f3f6} code{font-size:.85rem}
tr.regression td{background:#fde8e8} tr.improvement td{background:#e6f6e9}
tr.broken td{background:#f6d5f3}
tr.changed td{background:#fff7e0} .muted{color:#6b6b76} .notes li{margin:.2rem 0}
"""


def _html_page(title: str, body: str, extra_css: str = "") -> str:
    css = _CSS + extra_css
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    # nothing is loaded and no script runs: only this page's own style sheet applies
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _html_table(header: list[str], rows: Iterable[tuple[str, list[str]]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        f'<tr class="{html.escape(cls)}">'
        + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
        + "</tr>"
        for cls, cells in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def summary_html(summary: BatchSummary) -> str:
    parts = ["<h1>Batch summary</h1>"]
    parts.append(
        '<p class="muted">Rates count pass against fail (partial counts as fail); error, '
        "not-applicable and not-checkable verdicts are left out of rates and counted.</p>"
    )
    for g in summary.groups:
        parts.append(f"<h2>{html.escape(g.agent)} × {html.escape(g.task)}</h2>")
        parts.append(
            f"<p>samples: {g.samples}; could not be generated or scored: {g.sample_errors}; "
            f"error verdicts: {g.error_verdicts}<br>score: {html.escape(_spread(g.score))}</p>"
        )
        rows = [("", [c.strip("`") for c in row]) for row in _group_rows(g)]
        parts.append(_html_table(_GROUP_HEADER, rows))
        errors = [(i, s.error) for i, s in g.sample_info.items() if s.error]
        if errors:
            items = "".join(f"<li>sample {i}: {html.escape(e or '')}</li>" for i, e in errors)
            parts.append(f"<p>Failed samples:</p><ul>{items}</ul>")
    return _html_page("Batch summary", "".join(parts))


# -- diff ----------------------------------------------------------------------------------------


def _counts(c: Counts) -> str:
    text = f"{c.passed}/{c.n} ({_pct(c.rate)}, {_ci(c.ci)})" if c.n else "no pass/fail"
    for count, label in (
        (c.errors, "error"),
        (c.not_checkable, "not checkable"),
        (c.unscored, "without scorecard"),
    ):
        if count:
            text += f", {count} {label}"
    return text


def _break_test(b: Breakage, r: RequirementDiff) -> str:
    if b.test == "mcnemar":
        return f"breakage: McNemar exact (pairs: {b.lost} undecided now, {b.regained} decided now)"
    return (
        f"breakage: Fisher exact (decided {r.base.decided}/{r.base.decided + r.base.undecided} "
        f"→ {r.candidate.decided}/{r.candidate.decided + r.candidate.undecided})"
    )


def _test(r: RequirementDiff) -> str:
    if r.status == "broken" and r.breakage and r.breakage.test != "flip":
        return _break_test(r.breakage, r)
    if r.test == "mcnemar" and r.pairs:
        return (
            f"McNemar exact (pairs: {r.pairs.base_only} now fail, "
            f"{r.pairs.candidate_only} now pass)"
        )
    return {"fisher": "Fisher exact", "flip": "flip", "none": "–"}.get(r.test, r.test)


def _diff_cells(r: RequirementDiff, mode: str) -> list[str]:
    delta = "–" if r.delta is None else f"{100 * r.delta:+.0f} pts"
    significant = r.significant or (r.status == "broken")
    status = r.status + (" (significant)" if significant and mode != "single" else "")
    if mode == "single":
        change = r.flip or f"{_counts(r.base)} → {_counts(r.candidate)}"
        return [status, r.task, r.requirement, change, r.title]
    if r.status == "broken" and r.breakage:
        # the row is flagged for its breakage: show that test, not the pass-rate one
        p, adjusted = r.breakage.p_value, r.breakage.p_adjusted
    else:
        p, adjusted = r.p_value, r.p_adjusted
    return [
        status,
        r.task,
        r.requirement,
        _counts(r.base),
        _counts(r.candidate),
        delta,
        _test(r),
        _p(p),
        _p(adjusted) if adjusted is not None or p is None else "–*",
    ]


_UNTESTABLE = (
    "–* with these counts the test could not reach alpha whatever the outcome, so it is left "
    "out of the Holm family (Tarone's screening for discrete tests)."
)


def _diff_header(report: DiffReport) -> list[str]:
    if report.mode == "single":
        return ["status", "task", "requirement", "change", "title"]
    adjusted = "p (Holm)" if report.correction == "holm" else "p (used)"
    return ["status", "task", "requirement", "base", "candidate", "Δ rate", "test", "p", adjusted]


def _verdict_line(report: DiffReport) -> str:
    n_reg, n_imp = len(report.regressions), len(report.improvements)
    n_broken = len(report.broken)
    if report.mode == "single":
        return (
            f"{n_reg} promise(s) went from pass to fail, {n_imp} from fail to pass, "
            f"{n_broken} broken (decided before, cannot be decided now)."
        )
    return (
        f"{n_broken} promise(s) broken (significantly fewer samples decided now), "
        f"{n_reg} significant regression(s), {n_imp} significant improvement(s) "
        f"at alpha = {report.alpha:g}"
        + (" after Holm adjustment" if report.correction == "holm" else "")
        + f"; {'paired (McNemar)' if report.paired else 'unpaired (Fisher)'} tests."
    )


def _side_line(label: str, side: Side) -> str:
    return (
        f"{label}: {side.agent} ({side.path}), {side.samples} sample(s), "
        f"{side.sample_errors} failed sample(s), {side.error_verdicts} error verdict(s); "
        f"score {_spread(side.score)}"
    )


def _score_change_line(report: DiffReport) -> str:
    """The mean score change, with its Mann-Whitney U p-value when there was one to test."""
    line = f"mean score change: {report.score_delta:+.3f}"
    if report.score_p_value is not None:
        line += f" (Mann-Whitney U p = {_p(report.score_p_value)})"
    return line


_LEGEND = (
    "Rates count pass against fail (partial counts as fail); error verdicts are neither and are "
    "left out of rates (counted in the base/candidate columns). Broken: the base decided the "
    "promise (pass, partial, fail or not applicable) and the candidate cannot (error, not "
    "checkable, or no scorecard, e.g. the app no longer starts); the gate fails on it."
)


def diff_markdown(report: DiffReport) -> str:
    out = ["# Prompt regression report", "", f"**{_verdict_line(report)}**", ""]
    out.append(f"- {_side_line('base', report.base)}")
    out.append(f"- {_side_line('candidate', report.candidate)}")
    if report.score_delta is not None:
        out.append(f"- {_score_change_line(report)}")
    out += ["", _md_table(_diff_header(report), [_diff_cells(r, report.mode) for r in report.rows])]
    if report.notes:
        out += ["", "Notes:", ""] + [f"- {n}" for n in report.notes]
    if any(r.p_value is not None and r.p_adjusted is None for r in report.rows):
        out += ["", _UNTESTABLE]
    out += ["", _LEGEND]
    return "\n".join(out) + "\n"


_STATUS_COLOUR = {
    "regression": "#c62828",
    "broken": "#6a1b9a",
    "improvement": "#2e7d32",
    "changed": "#ef8f00",
    "unchanged": "#546e7a",
}
_DIFF_CSS = """
.chips span{display:inline-block;padding:1px 10px;border-radius:10px;color:#fff;margin-right:6px;
font-size:.85rem;font-weight:600}
.chart svg{width:100%;max-width:70rem;height:auto;border:1px solid #d0d0d7;border-radius:6px}
.chart text{font:11px system-ui,sans-serif;fill:#1d1d1f}
td.status{font-weight:600;white-space:nowrap}
""" + "".join(f".s-{k}{{background:{v}}}" for k, v in _STATUS_COLOUR.items())


def _diff_chart(report: DiffReport) -> str:
    """Each requirement's pass rate before (hollow, grey) and after (filled, coloured by its
    status), each with its confidence interval as a bar, and an arrow for the change."""
    rows = report.rows
    label_w, plot_w, row_h, top = 260, 560, 26, 30
    width, height = label_w + plot_w + 40, top + row_h * max(len(rows), 1) + 40
    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        'aria-label="pass rate per requirement, base and candidate, with confidence intervals">'
    ]
    bottom = top + row_h * len(rows)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = label_w + plot_w * tick
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{bottom}" stroke="#e3e3ea"/>'
            f'<text x="{x:.1f}" y="{top - 12}" text-anchor="middle">{100 * tick:.0f}%</text>'
        )

    def x_of(value: float) -> float:
        return label_w + plot_w * value

    for n, r in enumerate(rows):
        y = top + n * row_h + row_h / 2
        colour = _STATUS_COLOUR.get(r.status, "#546e7a")
        name = f"{r.task}:{r.requirement}" if len({x.task for x in rows}) > 1 else r.requirement
        tip = f"{name}: {_counts(r.base)} → {_counts(r.candidate)} ({r.status})"
        parts = [
            f'<g data-status="{html.escape(r.status)}"><title>{html.escape(tip)}</title>',
            f'<text x="{label_w - 8}" y="{y + 4:.1f}" text-anchor="end">{html.escape(name)}</text>',
        ]
        for side, dy, fill in ((r.base, -5, "#fff"), (r.candidate, 5, colour)):
            stroke = "#90a4ae" if side is r.base else colour
            if side.n:
                lo, hi = side.ci
                parts.append(
                    f'<line x1="{x_of(lo):.1f}" y1="{y + dy:.1f}" x2="{x_of(hi):.1f}" '
                    f'y2="{y + dy:.1f}" stroke="{stroke}" stroke-width="3" '
                    'stroke-linecap="round" opacity="0.55"/>'
                )
            if side.rate is not None:
                parts.append(
                    f'<circle cx="{x_of(side.rate):.1f}" cy="{y + dy:.1f}" r="4.5" '
                    f'fill="{fill if side is r.base else colour}" stroke="{stroke}" '
                    'stroke-width="2"/>'
                )
        if r.base.rate is not None and r.candidate.rate is not None and r.delta:
            parts.append(
                f'<line x1="{x_of(r.base.rate):.1f}" y1="{y - 5:.1f}" '
                f'x2="{x_of(r.candidate.rate):.1f}" y2="{y + 5:.1f}" stroke="{colour}" '
                'stroke-dasharray="3 2"/>'
            )
        if r.candidate.rate is None or r.base.rate is None:
            missing = "no pass/fail now" if r.candidate.rate is None else "no pass/fail before"
            parts.append(
                f'<text x="{label_w + 6}" y="{y + 4:.1f}" fill="{colour}">{missing}</text>'
            )
        parts.append("</g>")
        out.append("".join(parts))
    out.append(_diff_legend(label_w, bottom + 26))
    out.append("</svg>")
    return "".join(out)


def _diff_legend(x: int, y: int) -> str:
    """The key under the chart: the base as a hollow circle, then a filled one per status."""
    parts = [
        f'<circle cx="{x}" cy="{y - 4}" r="4.5" fill="#fff" stroke="#90a4ae" '
        f'stroke-width="2"/><text x="{x + 10}" y="{y}">base</text>'
    ]
    for n, (status, colour) in enumerate(_STATUS_COLOUR.items()):
        cx = x + 60 + 100 * n
        parts.append(
            f'<circle cx="{cx}" cy="{y - 4}" r="4.5" fill="{colour}"/>'
            f'<text x="{cx + 10}" y="{y}">{status}</text>'
        )
    return "".join(parts)


def _diff_chips(report: DiffReport) -> str:
    counts: dict[str, int] = {}
    for r in report.rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return (
        '<p class="chips">'
        + "".join(
            f'<span class="s-{status}">{counts[status]} {status}</span>'
            for status in _STATUS_COLOUR
            if counts.get(status)
        )
        + "</p>"
    )


def diff_html(report: DiffReport) -> str:
    """The diff as one self-contained page: the verdict, a chip per status, a chart of pass
    rates with intervals, and the table of per-requirement flips and tests."""
    parts = [
        "<h1>Prompt regression report</h1>",
        f"<p><b>{html.escape(_verdict_line(report))}</b></p>",
        _diff_chips(report),
    ]
    sides = [_side_line("base", report.base), _side_line("candidate", report.candidate)]
    if report.score_delta is not None:
        sides.append(_score_change_line(report))
    parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in sides) + "</ul>")
    if report.rows:
        parts.append(
            '<section class="chart"><h2>Pass rate per requirement, with 95% intervals</h2>'
            f"{_diff_chart(report)}</section>"
        )
    rows = [
        (
            r.status if (r.significant or r.status in ("changed", "broken")) else "",
            _diff_cells(r, report.mode),
        )
        for r in report.rows
    ]
    parts.append("<h2>Per requirement</h2>" + _html_table(_diff_header(report), rows))
    if any(r.p_value is not None and r.p_adjusted is None for r in report.rows):
        parts.append(f'<p class="muted">{html.escape(_UNTESTABLE)}</p>')
    if report.notes:
        parts.append(
            '<ul class="notes">'
            + "".join(f"<li>{html.escape(n)}</li>" for n in report.notes)
            + "</ul>"
        )
    parts.append(f'<p class="muted">{html.escape(_LEGEND)}</p>')
    return _html_page("Prompt regression report", "".join(parts), extra_css=_DIFF_CSS)


def diff_json(report: DiffReport) -> str:
    data = json.loads(report.model_dump_json(by_alias=True))
    data["regressions"] = [f"{r.task}:{r.requirement}" for r in report.regressions]
    data["improvements"] = [f"{r.task}:{r.requirement}" for r in report.improvements]
    data["broken"] = [f"{r.task}:{r.requirement}" for r in report.broken]
    data["has_regression"] = report.has_regression  # what --fail-on-regression exits 1 on
    return json.dumps(data, indent=2) + "\n"


def render_diff(report: DiffReport, fmt: str) -> str:
    if fmt == "md":
        return diff_markdown(report)
    if fmt == "html":
        return diff_html(report)
    if fmt == "json":
        return diff_json(report)
    raise InputError(f"unknown diff format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")
