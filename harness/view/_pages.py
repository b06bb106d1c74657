"""The viewer's own pages: the list of runs with a filter, and the bar on top of each report."""

from __future__ import annotations

import html
from urllib.parse import quote

from harness.view._index import Index

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:16px 20px}
h1{font-size:20px;margin:8px 0 4px}h2{font-size:16px;margin:22px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e5e5e5;vertical-align:top}
th{font-weight:600;background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#666}.fail{color:#b00020;font-weight:600}.pass{color:#137333}
input[type=search]{width:320px;padding:5px 8px;font:inherit}
form.compare{background:#fff;border:1px solid #e5e5e5;padding:10px;margin:8px 0}
select,button{font:inherit;padding:3px 6px}
"""


_JS = """
(function(){
  var box=document.getElementById('filter');
  function apply(){
    var q=box.value.toLowerCase();
    document.querySelectorAll('tr[data-text]').forEach(function(tr){
      tr.hidden = q && tr.getAttribute('data-text').indexOf(q) < 0;
    });
    document.querySelectorAll('table[data-list]').forEach(function(t){
      var shown=t.querySelectorAll('tr[data-text]:not([hidden])').length;
      document.getElementById(t.getAttribute('data-list')+'-count').textContent=shown;
    });
  }
  box.addEventListener('input', apply);
  apply();
  document.body.setAttribute('data-ready','1');
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(route: str, **params: str) -> str:
    return route + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())


def _counts(counts: dict[str, int]) -> str:
    fails = counts.get("fail", 0) + counts.get("partial", 0)
    parts = [f'<span class="{"fail" if fails else "pass"}">{fails} failing</span>']
    parts += [f"{counts[k]} {k.replace('_', ' ')}" for k in ("pass", "error") if counts.get(k)]
    return ", ".join(parts)


def index_page(index: Index) -> str:
    """Every scorecard, batch and diff under the folder, a filter box and a compare form."""
    cards = "".join(
        f'<tr data-text="{_e(" ".join([c.path, c.agent or "", c.repo]).lower())}">'
        f'<td><a href="{_e(_link("/scorecard", path=c.path))}">{_e(c.path)}</a>'
        + (f'<div class="muted">in batch {_e(c.in_batch)}</div>' if c.in_batch else "")
        + f"</td><td>{_e(c.agent or '–')}</td><td>{_e(c.repo)}</td>"
        f'<td class="num">{"n/a" if c.score is None else f"{c.score:.2f}"}</td>'
        f"<td>{_counts(c.counts)}</td><td>{_e(c.mode)}</td><td>{_e(c.started_at[:19])}</td></tr>"
        for c in sorted(index.cards, key=lambda c: c.started_at, reverse=True)
    )
    batches = "".join(
        f'<tr data-text="{_e((b.path + " " + " ".join(b.agents)).lower())}">'
        f'<td><a href="{_e(_link("/batch", path=b.path))}">{_e(b.path)}</a></td>'
        f"<td>{_e(', '.join(b.agents))}</td><td class=num>{b.samples}</td>"
        f"<td class=num>{b.sample_errors}</td></tr>"
        for b in index.batches
    )
    diffs = "".join(
        f'<tr data-text="{_e((d.path + " " + d.base + " " + d.candidate).lower())}">'
        f'<td><a href="{_e(_link("/diff", path=d.path))}">{_e(d.path)}</a></td>'
        f"<td>{_e(d.base)}</td><td>{_e(d.candidate)}</td></tr>"
        for d in index.diffs
    )
    sides = index.sides()

    def options(chosen: int) -> str:
        return "".join(
            f'<option value="{_e(s)}"{" selected" if i == chosen else ""}>{_e(s)}</option>'
            for i, s in enumerate(sides)
        )

    compare = (
        '<form class="compare" action="/compare" method="get"><b>Compare two batches</b> '
        f'<label>base <select name="base">{options(0)}</select></label> '
        f'<label>candidate <select name="candidate">{options(1)}</select></label> '
        '<button type="submit">compare</button></form>'
        if len(sides) >= 2
        else '<p class="muted">Two batch agent folders are needed to compare.</p>'
    )
    more = (
        '<p class="fail">The folder is large: the list stops after the first files.</p>'
        if index.truncated
        else ""
    )

    def table(name: str, head: str, rows: str, count: int) -> str:
        return f'<h2>{name.capitalize()} (<span id="{name}-count">{count}</span>)</h2>' + (
            f'<table data-list="{name}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            if rows
            else f'<p class="muted">No {name} here.</p>'
        )

    body = (
        f"<main><h1>Runs under {_e(index.root)}</h1>{more}"
        '<p><input id="filter" type="search" placeholder="filter by path, agent or repo" '
        'aria-label="filter"></p>'
        + table(
            "scorecards",
            "<th>scorecard</th><th>agent</th><th>repo</th><th>score</th><th>verdicts</th>"
            "<th>mode</th><th>started</th>",
            cards,
            len(index.cards),
        )
        + table(
            "batches",
            "<th>batch</th><th>agents</th><th>samples</th><th>failed samples</th>",
            batches,
            len(index.batches),
        )
        + compare
        + table("diffs", "<th>diff</th><th>base</th><th>candidate</th>", diffs, len(index.diffs))
        + "</main>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>harness view</title><style>{_CSS}</style></head><body>{body}"
        f"<script>{_JS}</script></body></html>"
    )


def with_nav(page: str, title: str, *, escaped: bool = False) -> str:
    """``page`` (a self-contained report) with a bar back to the list on top. The bar carries no
    style of its own: the reports' content security policy allows only their own styles."""
    shown = title if escaped else _e(title)
    bar = f'<nav class="viewer"><a href="/">← all runs</a> · {shown}</nav>'
    at = page.find("<body")
    if at < 0:
        return bar + page
    end = page.find(">", at) + 1
    return page[:end] + bar + page[end:]
