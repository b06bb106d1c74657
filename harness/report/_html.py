"""One self-contained HTML page: the gate's decision, a chart of requirement scores, every
promise with its evidence (what needs attention first: fail and error, by severity), a filter by
verdict, a search box, a view by promise or by requirement, and every HTTP exchange shown once
(evidence refers to it by number) with a copy button for its curl line.

Nothing is fetched: CSS and script are inline, the chart is inline SVG. Evidence holds whatever
the probed app sent back, so every piece of it is escaped, and a Content-Security-Policy admits
only the page's own style and script (by hash) as a second line of defence.
"""

from __future__ import annotations

import base64
import hashlib
import html
from functools import cache
from importlib import resources

from harness import scorecard as sc
from harness.catalogue._requirements import load_requirements
from harness.replay import portable_curl
from harness.report._text import (
    ATTENTION,
    VERDICT_COLOUR,
    VERDICT_LABEL,
    agent_name,
    clean,
    clip,
    data_text,
    location,
    percent,
    redaction_text,
    repo_name,
    requirement_reasons,
    score_text,
)

_TEXT_LIMIT = 4000
_EVIDENCE_PER_CHECK = 6


def e(text: object) -> str:
    """Escape for HTML text and attribute values alike."""
    return html.escape(clean(text), quote=True)


@cache
def _asset(name: str) -> str:
    return (resources.files("harness.report") / "_assets" / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _badge(verdict: sc.Verdict) -> str:
    return f'<span class="badge v-{verdict.value}">{e(VERDICT_LABEL[verdict])}</span>'


def _pre(text: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<pre{klass}>{e(clip(clean(text), _TEXT_LIMIT))}</pre>"


def _finding_html(f: sc.Finding) -> str:
    out = (
        f'<p><code>{e(location(f))}</code> <span class="meta">{e(f.tool)}/{e(f.check)} · '
        f"{e(f.severity.value)}</span><br>{e(f.message)}</p>"
    )
    return out + (_pre(f.snippet, "snippet") if f.snippet else "")


class _Exchanges:
    """Every distinct HTTP exchange of the card, numbered in order of first mention; evidence
    shows a one-line reference, the exchange itself is shown once in its own section."""

    def __init__(self) -> None:
        self._index: dict[tuple, int] = {}
        self.shown: list[sc.Exchange] = []

    def ref(self, x: sc.Exchange) -> str:
        key = (x.method, x.url, x.curl, x.status, x.error, x.body_excerpt)
        n = self._index.get(key)
        if n is None:
            self.shown.append(x)
            n = self._index[key] = len(self.shown)
        status = f"HTTP {x.status}" if x.status is not None else "no response"
        return (
            f'<p class="xref"><a href="#x{n}">exchange #{n}</a> <code>{e(x.method)} '
            f"{e(clip(x.url, 200))}</code> → {e(status)}</p>"
        )

    def section(self) -> str:
        if not self.shown:
            return ""
        blocks = "".join(
            f'<article class="exchange" id="x{n}"><h3>#{n} <code>{e(x.method)} '
            f"{e(clip(x.url, 300))}</code></h3>{_exchange_html(x)}</article>"
            for n, x in enumerate(self.shown, start=1)
        )
        return (
            f'<section id="exchanges"><h2>HTTP exchanges ({len(self.shown)})</h2>'
            '<p class="meta">Each request the probes sent, once; evidence above refers to it '
            "by number. To run a curl line, start the app again with <code>harness replay "
            "scorecard.json --serve</code>: it prints <code>APP</code> and the users' "
            f"<code>TOKEN_A</code>, <code>TOKEN_B</code>.</p>{blocks}</section>"
        )


def _exchange_html(x: sc.Exchange) -> str:
    parts = [
        '<div class="curlbox"><button type="button" class="copy" data-copy>copy</button>'
        + _pre(portable_curl(x), "curl")
        + "</div>"
    ]
    if x.error:
        parts.append(f"<p>No response: {e(x.error)}</p>")
    if x.status is not None:
        took = f" in {x.elapsed_ms:.0f} ms" if x.elapsed_ms is not None else ""
        parts.append(f'<p class="status">HTTP <b>{x.status}</b>{e(took)}</p>')
    if x.response_headers:
        parts.append(_pre("\n".join(f"{k}: {v}" for k, v in x.response_headers.items()), "headers"))
    if x.body_excerpt:
        parts.append(_pre(x.body_excerpt, "body"))
    return "".join(parts)


def _evidence_html(ev: sc.Evidence, exchanges: _Exchanges) -> str:
    parts = [f'<div class="ev"><span class="kind">{e(ev.kind)}</span> {e(ev.message)}']
    if ev.finding is not None:
        parts.append(_finding_html(ev.finding))
    if ev.exchange is not None:
        parts.append(exchanges.ref(ev.exchange))
    if ev.data:
        parts.append(_pre(data_text(ev.data, _TEXT_LIMIT), "data"))
    parts.append("</div>")
    return "".join(parts)


def _chart(card: sc.Scorecard) -> str:
    """A horizontal bar per requirement: length is its score, colour its verdict."""
    catalogue = load_requirements()
    order = {rid: n for n, rid in enumerate(catalogue)}
    rows = sorted(card.requirements.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0]))
    label_w, bar_w, row_h, top = 230, 600, 20, 24
    width = label_w + bar_w + 90
    height = top + row_h * max(len(rows), 1) + 44
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="requirement scores by verdict">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = label_w + bar_w * tick
        out.append(
            f'<line class="axis" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" '
            f'y2="{top + row_h * len(rows)}" stroke="#dde3e8"/>'
            f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle">{tick:g}</text>'
        )
    for n, (rid, req) in enumerate(rows):
        y = top + n * row_h
        colour = VERDICT_COLOUR[req.verdict]
        length = bar_w * req.score if req.score is not None else 4
        value = score_text(req.score) + f" {VERDICT_LABEL[req.verdict]}"
        out.append(
            f'<g data-verdict="{req.verdict.value}"><title>{e(rid)}: {e(value)}</title>'
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">{e(rid)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(length, 2):.1f}" height="{row_h - 6}" '
            f'fill="{colour}" rx="2"/>'
            f'<text x="{label_w + max(length, 2) + 6:.1f}" y="{y + 14}">{e(value)}</text></g>'
        )
    legend_y = top + row_h * len(rows) + 24
    x = label_w
    for verdict in sc.VERDICT_ORDER:
        out.append(
            f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" '
            f'fill="{VERDICT_COLOUR[verdict]}"/>'
            f'<text x="{x + 16}" y="{legend_y}">{e(VERDICT_LABEL[verdict])}</text>'
        )
        x += 110
    out.append("</svg>")
    return "".join(out)


def _summary(card: sc.Scorecard) -> str:
    run = card.run
    facts = [
        (
            "agent",
            (card.agent.name + (f" ({card.agent.path})" if card.agent.path else ""))
            if card.agent
            else "none (every requirement in the catalogue)",
        ),
        ("repo", card.repo.path),
        ("task", card.task or "none"),
        (
            "language / framework",
            f"{card.repo.profile.get('language', '?')} / {card.repo.profile.get('framework', '?')}",
        ),
        ("mode", run.mode),
        ("runner / isolation", f"{run.runner or 'n/a'} / {run.isolation or 'n/a'}"),
        ("API model from", run.api_model_source or "n/a"),
        ("started", run.started_at),
        ("duration", f"{run.duration_s:.2f} s"),
        ("inferred dependencies", ", ".join(run.inferred_dependencies) or "none"),
        ("schema version", str(card.schema_version)),
    ]
    if card.redactions:
        facts.append(("host secrets redacted", redaction_text(card)))
    if run.sandbox is not None:
        box = run.sandbox
        facts.append(("sandbox", "; ".join([box.filesystem, box.user, box.network])))
        facts.append(("limits", "; ".join(f"{k}: {v}" for k, v in box.limits.items())))
        if box.missing:
            facts.append(("sandbox incomplete", "; ".join(box.missing)))
    dl = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts)
    tools = "".join(
        f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in sorted(run.tools.items())
    )
    timings = "".join(
        f'<tr><td>{e(k)}</td><td class="num">{v:.3f} s</td></tr>' for k, v in run.timings.items()
    )
    notes = "".join(f"<li>{e(n)}</li>" for n in run.notes)
    return (
        '<section id="summary"><h2>Run</h2><div class="cols">'
        f'<div class="card"><dl class="facts">{dl}</dl></div>'
        f'<div class="card"><table><tr><th>tool</th><th>version</th></tr>'
        f"{tools or '<tr><td colspan=2>none recorded</td></tr>'}</table>"
        f"<table><tr><th>stage</th><th>time</th></tr>"
        f"{timings or '<tr><td colspan=2>none recorded</td></tr>'}</table></div>"
        "</div>"
        + (f'<div class="card"><h3>Notes</h3><ul>{notes}</ul></div>' if notes else "")
        + "</section>"
    )


def _gate(gate: sc.GateRecord) -> str:
    head = "Gate passed" if gate.passed else "Gate FAILED"
    verdict = sc.Verdict.passed if gate.passed else sc.Verdict.failed
    rows = [f'<li><span class="badge v-fail">FAIL</span> {e(r)}</li>' for r in gate.reasons]
    rows += [f'<li><span class="badge v-partial">WARN</span> {e(w)}</li>' for w in gate.warnings]
    known = f"<p>{len(gate.baselined)} known failure(s) accepted by the baseline.</p>"
    return (
        f'<section id="gate"><h2>{_badge(verdict)} {e(head)}</h2>'
        f'<div class="card"><ul>{"".join(rows) or "<li>no reasons</li>"}</ul>'
        f"{known if gate.baselined else ''}</div></section>"
    )


def _check_html(result: sc.CheckResult, exchanges: _Exchanges) -> str:
    took = f" · {result.duration_ms:.0f} ms" if result.duration_ms is not None else ""
    evidence = "".join(
        _evidence_html(ev, exchanges) for ev in result.evidence[:_EVIDENCE_PER_CHECK]
    )
    more = len(result.evidence) - _EVIDENCE_PER_CHECK
    if more > 0:
        evidence += f'<p class="meta">… {more} more evidence record(s) in scorecard.json</p>'
    return (
        f'<div class="ev"><code>{e(result.check)}</code> <span class="meta">{e(result.kind)} · '
        f"{e(result.status.value)} · {e(result.severity.value)}{e(took)}</span>"
        f"<br>{e(result.message)}{evidence}</div>"
    )


_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
# needs attention first: fail and error, then partial, then the rest
_GROUP = {
    sc.Verdict.failed: 0,
    sc.Verdict.error: 0,
    sc.Verdict.partial: 1,
    sc.Verdict.passed: 2,
    sc.Verdict.not_applicable: 3,
    sc.Verdict.not_checkable: 4,
}


def _item_severity(item: sc.ItemVerdict, card: sc.Scorecard) -> str:
    ranks = [
        card.requirements[r].severity.value for r in item.requirements if r in card.requirements
    ]
    return min(ranks, key=_SEVERITY_RANK.__getitem__, default="low")


def ordered_items(card: sc.Scorecard) -> list[tuple[int, sc.ItemVerdict]]:
    """Items with their number in the agent file's order, needs-attention first: fail and
    error by severity, then partial, pass, not applicable, not checkable."""
    rank = {v: n for n, v in enumerate(sc.VERDICT_ORDER)}
    numbered = list(enumerate(card.items, start=1))
    return sorted(
        numbered,
        key=lambda ni: (
            _GROUP[ni[1].verdict],
            _SEVERITY_RANK[_item_severity(ni[1], card)],
            rank[ni[1].verdict],
            ni[0],
        ),
    )


def ordered_requirements(card: sc.Scorecard) -> list[tuple[str, sc.RequirementVerdict]]:
    """Requirements in the same order as items: fail and error by severity first."""
    rank = {v: n for n, v in enumerate(sc.VERDICT_ORDER)}
    return sorted(
        card.requirements.items(),
        key=lambda kv: (
            _GROUP[kv[1].verdict],
            _SEVERITY_RANK[kv[1].severity.value],
            rank[kv[1].verdict],
            kv[0],
        ),
    )


def _requirements(card: sc.Scorecard, exchanges: _Exchanges) -> str:
    blocks = "".join(
        _requirement_block(rid, req, card, exchanges) for rid, req in ordered_requirements(card)
    )
    return (
        '<section id="by-requirement" class="view" data-view="requirement" hidden>'
        f"<h2>By requirement ({len(card.requirements)})</h2>{blocks}</section>"
    )


def _requirement_block(
    rid: str, req: sc.RequirementVerdict, card: sc.Scorecard, exchanges: _Exchanges
) -> str:
    promises = "".join(
        f'<li><a href="#item-{n}">{e(item.id)}</a>: {e(clip(item.text, 300))}</li>'
        for n, item in enumerate(card.items, start=1)
        if rid in item.requirements
    )
    checks = "".join(_check_html(c, exchanges) for c in req.checks)
    detail = (
        f"<details{' open' if req.verdict in ATTENTION else ''}><summary>{len(req.checks)} "
        f"check(s)</summary>{checks}</details>"
        if req.checks
        else ""
    )
    return (
        f'<article class="item req filterable" id="req-{e(rid)}" data-verdict="{req.verdict.value}"'
        f' data-severity="{req.severity.value}">'
        f"<h3>{_badge(req.verdict)} <code>{e(rid)}</code> {e(req.title)}</h3>"
        f'<div class="meta">severity {e(req.severity.value)} · score {score_text(req.score)}</div>'
        f"<p>{e(clip(req.reason or '', 1200))}</p>"
        f'<div class="meta">promised by:</div><ul>{promises or "<li>no promise</li>"}</ul>'
        f"{detail}</article>"
    )


def _item(n: int, item: sc.ItemVerdict, card: sc.Scorecard, exchanges: _Exchanges) -> str:
    where = " › ".join(item.section)
    line = f" · line {item.line}" if item.line is not None else ""
    polarity = " · a don't" if item.polarity == "dont" else ""
    requirements = (
        ", ".join(f'<a href="#req-{e(r)}"><code>{e(r)}</code></a>' for r in item.requirements)
        or "none"
    )
    evidence = "".join(_evidence_html(ev, exchanges) for ev in item.evidence)
    why = requirement_reasons(item, card) or ([item.reason] if item.reason else [])
    reasons = "".join(f"<li>{e(clip(reason, 600))}</li>" for reason in why)
    opened = " open" if item.verdict in ATTENTION else ""
    body = (
        f"<details{opened}><summary>{len(item.evidence)} evidence record(s)</summary>{evidence}"
        "</details>"
        if item.evidence
        else ""
    )
    severity = _item_severity(item, card) if item.requirements else ""
    return (
        f'<article class="item promise filterable" id="item-{n}" '
        f'data-verdict="{item.verdict.value}" data-severity="{severity}">'
        f"<h3>{_badge(item.verdict)} {e(item.id)}: {e(item.text)}</h3>"
        f'<div class="meta">{e(where)}{e(line)}{e(polarity)}'
        f"{' · severity ' + severity if severity else ''} · requirements: {requirements}</div>"
        f"<ul>{reasons}</ul>{body}</article>"
    )


def _filters(card: sc.Scorecard) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-filter value="{v.value}" checked> '
        f"{_badge(v)} {card.counts.get(v.value, 0)}</label>"
        for v in sc.VERDICT_ORDER
    )
    attention = ",".join(v.value for v in sc.VERDICT_ORDER if v in ATTENTION)
    return (
        f'<div class="filters" id="filters"><b>Show</b> {boxes}'
        f'<button type="button" data-preset="all">all</button>'
        f'<button type="button" data-preset="{attention}">needs attention</button>'
        '<input type="search" id="search" placeholder="search promises, requirements, evidence"'
        ' aria-label="search">'
        '<span class="group"><b>Group by</b> '
        '<label><input type="radio" name="view" value="promise" data-view-choice checked> '
        "promise</label> "
        '<label><input type="radio" name="view" value="requirement" data-view-choice> '
        "requirement</label></span>"
        f'<span id="shown" class="meta">{len(card.items)} items</span></div>'
    )


def _findings(card: sc.Scorecard) -> str:
    if not card.findings:
        return ""
    rows = "".join(
        f"<tr><td><code>{e(location(f))}</code></td><td><code>{e(f.requirement)}</code></td>"
        f"<td>{e(f.tool)}/{e(f.check)}</td><td>{e(f.severity.value)}</td><td>{e(f.message)}"
        f"{_pre(f.snippet, 'snippet') if f.snippet else ''}</td></tr>"
        for f in card.findings
    )
    return (
        f'<section id="findings"><h2>Static findings ({len(card.findings)})</h2><table>'
        "<tr><th>where</th><th>requirement</th><th>tool/check</th><th>severity</th>"
        f"<th>what</th></tr>{rows}</table></section>"
    )


def render_html(card: sc.Scorecard, *, gate: sc.GateRecord | None = None) -> str:
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = f"Scorecard: {agent_name(card)} on {repo_name(card)}"
    chips = "".join(f"{_badge(v)} <b>{card.counts.get(v.value, 0)}</b> " for v in sc.VERDICT_ORDER)
    exchanges = _Exchanges()
    items = "".join(_item(n, item, card, exchanges) for n, item in ordered_items(card))
    by_requirement = _requirements(card, exchanges)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">'
        f"<title>{e(title)}</title><style>{css}</style></head>"
        '<body data-ready="0"><header><div class="inner">'
        f'<div><div class="big">{score_text(card.score)}</div><div class="sub">score</div></div>'
        f'<div><div class="big">{percent(card.coverage)}</div><div class="sub">coverage</div></div>'
        f"<div><h1>{e(title)}</h1>"
        f'<div class="sub">{len(card.items)} checklist items · {len(card.requirements)} '
        f"requirements · {len(card.findings)} static findings · mode {e(card.run.mode)}</div>"
        f'<div class="chips">{chips}</div></div></div></header><main>'
        + (_gate(gate) if gate is not None else "")
        + f'<section id="items">{_filters(card)}'
        + '<div id="by-promise" class="view" data-view="promise">'
        + f"<h2>By promise ({len(card.items)}), needs attention first</h2>{items}</div>"
        + f"{by_requirement}</section>"
        + f'<section id="chart" class="chart"><h2>Requirement scores</h2>{_chart(card)}</section>'
        + exchanges.section()
        + _findings(card)
        + _summary(card)
        + f"</main><script>{js}</script></body></html>\n"
    )
