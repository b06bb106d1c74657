"""The HTML report: self-contained, escaped, filterable, and clean in a real browser."""

from __future__ import annotations

import base64
import hashlib
import re
import struct
import time
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_browser import chromium, run
from report_cards import sample_card

from harness.gate import evaluate
from harness.report import render
from harness.report._text import VERDICT_COLOUR
from harness.scorecard import Scorecard, Verdict

needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="chromium is not installed (apt-get install chromium)"
)


class _Tags(HTMLParser):
    """Collects start tags with their attributes, and the text inside <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _parse(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    return parser


def test_hostile_evidence_is_escaped(card: Scorecard) -> None:
    page = render(card, "html")
    tags = _parse(page)
    # The only script and the only img-free page: evidence never becomes markup.
    assert [t for t, _ in tags.tags if t == "script"] == ["script"]
    assert not [t for t, _ in tags.tags if t in ("img", "iframe", "object", "embed")]
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    assert "data-pwned" not in "".join(tags.scripts)
    # ...but the payload is shown, as text.
    assert "&lt;script&gt;document.body.setAttribute(&quot;data-pwned&quot;" in page
    assert "\x1b" not in page and "\x00" not in page and "\\x1b[31m" in page


def test_self_contained_and_locked_down(card: Scorecard) -> None:
    page = render(card, "html")
    tags = _parse(page)
    for tag, attrs in tags.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name)
            # links inside the page (#x3, #req-sql.parameterized) load nothing
            if not (tag == "a" and name == "href" and value and value.startswith("#")):
                assert value is None, f"<{tag} {name}=...> loads something"
    assert "@import" not in page and "url(" not in page
    csp = next(
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    script = tags.scripts[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_summary_items_and_evidence(card: Scorecard) -> None:
    page = render(card, "html", gate=evaluate(card))
    tags = _parse(page)
    items = [a for t, a in tags.tags if t == "article" and "promise" in a["class"]]
    assert sorted(a["id"] for a in items) == sorted(
        f"item-{n}" for n in range(1, 1 + len(card.items))
    )
    for verdict in Verdict:
        assert f'class="badge v-{verdict.value}"' in page
    for fact in ("local / netns", "semgrep", "1.182.0", "28.000 s", "backend-developer", "0.33"):
        assert fact in page, fact
    # static evidence: file:line and snippet in <pre>; live: curl line, status, headers, body
    assert "<code>app.py:41</code>" in page
    assert re.search(r'<pre class="snippet">cur\.execute\(f&quot;SELECT', page)
    # the curl line runs against a replayed app: `harness replay --serve` prints $APP
    assert '<pre class="curl">curl -sS -i -X GET &quot;$APP/todos&quot;</pre>' in page
    assert page.count('<pre class="curl">') == page.count('<button type="button" class="copy"')
    assert "HTTP <b>500</b>" in page and "Werkzeug/3.0.1" in page
    assert "Gate FAILED" in page and "sql.parameterized [high, FAIL]" in page


def test_chart_has_one_bar_per_requirement_coloured_by_verdict(card: Scorecard) -> None:
    page = render(card, "html")
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", page, re.S).group())
    ns = "{http://www.w3.org/2000/svg}"
    bars = {}
    for group in svg.iter(f"{ns}g"):
        rid = group.find(f"{ns}title").text.split(":")[0]
        bars[rid] = (group.find(f"{ns}rect"), group.get("data-verdict"))
    assert set(bars) == set(card.requirements)
    full = float(bars["api.health"][0].get("width"))
    for rid, req in card.requirements.items():
        rect, verdict = bars[rid]
        assert verdict == req.verdict.value
        assert rect.get("fill") == VERDICT_COLOUR[req.verdict]
        if req.score is not None and req.score > 0:
            assert float(rect.get("width")) == pytest.approx(full * req.score, abs=0.1)


def _browser_dom(page: str, tmp_path: Path, fragment: str = "") -> tuple[str, str]:
    path = tmp_path / "scorecard.html"
    path.write_text(page, encoding="utf-8")
    return run(path.as_uri() + fragment, tmp_path, "--dump-dom")


@needs_chromium
def test_browser_runs_script_without_console_messages(tmp_path: Path, card: Scorecard) -> None:
    dom, console = _browser_dom(render(card, "html", gate=evaluate(card)), tmp_path)
    assert console == "", f"console output (errors, CSP violations):\n{console}"
    body = re.search(r"<body[^>]*>", dom).group()
    assert 'data-ready="1"' in body, body
    assert f'data-shown-items="{len(card.items)}"' in body
    assert "data-pwned" not in body, "an evidence payload ran as script"


@needs_chromium
def test_browser_search_and_group_by_requirement(tmp_path: Path, card: Scorecard) -> None:
    dom, console = _browser_dom(render(card, "html"), tmp_path, "#view=requirement&q=sql")
    assert console == "", console
    body = re.search(r"<body[^>]*>", dom).group()
    assert 'data-view="requirement"' in body
    tags = _parse(dom)
    reqs = [a for t, a in tags.tags if t == "article" and "req" in a["class"].split()]
    visible = [a["id"] for a in reqs if "hidden" not in a]
    assert "req-sql.parameterized" in visible and len(visible) < len(reqs)
    assert f'data-shown="{len(visible)}"' in body
    section = next(a for t, a in tags.tags if a.get("id") == "by-promise")
    assert "hidden" in section


@needs_chromium
def test_browser_filter_by_verdict(tmp_path: Path, card: Scorecard) -> None:
    dom, console = _browser_dom(render(card, "html"), tmp_path, "#verdict=fail,error")
    assert console == ""
    wanted = {"fail", "error"}
    expected = sum(i.verdict.value in wanted for i in card.items)
    assert expected >= 2
    assert f'data-shown-items="{expected}"' in dom
    tags = _parse(dom)
    for tag, attrs in tags.tags:
        if tag == "article" and "promise" in attrs["class"]:
            assert ("hidden" in attrs) == (attrs["data-verdict"] not in wanted), attrs


def _png_facts(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decoded image data."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@needs_chromium
@pytest.mark.parametrize("fragment", ["", "#view=requirement&verdict=fail,error,partial"])
def test_browser_screenshot_is_not_blank(tmp_path: Path, fragment: str) -> None:
    card = sample_card()
    path = tmp_path / "scorecard.html"
    path.write_text(render(card, "html", gate=evaluate(card)), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _, console = run(
        path.as_uri() + fragment, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000"
    )
    assert console == "", f"console output (errors, CSP violations):\n{console}"
    assert shot.exists(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    width, height, distinct = _png_facts(data)
    assert (width, height) == (1280, 2000)
    assert len(data) > 30_000 and distinct > 100, "screenshot looks blank"


def test_needs_attention_first_by_severity(card: Scorecard) -> None:
    page = render(card, "html")
    tags = _parse(page)
    promises = [a for t, a in tags.tags if t == "article" and "promise" in a["class"]]
    verdicts = [a["data-verdict"] for a in promises]
    first_calm = next(n for n, v in enumerate(verdicts) if v not in ("fail", "error"))
    assert set(verdicts[:first_calm]) == {"fail", "error"}, verdicts
    assert "fail" not in verdicts[first_calm:] and "error" not in verdicts[first_calm:]
    rank = {"high": 0, "medium": 1, "low": 2}
    severities = [rank[a["data-severity"]] for a in promises[:first_calm]]
    assert severities == sorted(severities), severities
    assert verdicts[-1] == "not_checkable"
    # the sample's file order mixes verdicts, so sorting had something to do
    assert [a["id"] for a in promises] != [f"item-{n}" for n in range(1, len(card.items) + 1)]
    reqs = [a for t, a in tags.tags if t == "article" and "req" in a["class"].split()]
    assert {a["id"] for a in reqs} == {f"req-{r}" for r in card.requirements}
    assert next(a["data-verdict"] for a in reqs) in ("fail", "error")


def test_each_exchange_is_shown_once_and_referenced(card: Scorecard) -> None:
    page = render(card, "html")
    from_checks = [
        ev for req in card.requirements.values() for c in req.checks for ev in c.evidence[:6]
    ]
    distinct = {
        (ev.exchange.method, ev.exchange.url, ev.exchange.curl, ev.exchange.status)
        for ev in [*from_checks, *(ev for item in card.items for ev in item.evidence)]
        if ev.exchange is not None
    }
    mentions = sum(ev.exchange is not None for item in card.items for ev in item.evidence)
    assert mentions > len(distinct) >= 2  # the sample repeats exchanges under several promises
    shown = re.findall(r'<article class="exchange" id="(x\d+)">', page)
    assert len(shown) == page.count('<pre class="curl">') == len(distinct)
    refs = set(re.findall(r'<a href="#(x\d+)">exchange #', page))
    assert refs == set(shown)


def test_gate_decision_in_html_and_markdown(card: Scorecard) -> None:
    gate = evaluate(card)
    assert not gate.passed
    assert "Gate FAILED" in render(card, "html", gate=gate)
    assert "**Gate failed**" in render(card, "md", gate=gate)


@needs_chromium
def test_a_person_searches_switches_view_and_copies_a_curl_line(
    tmp_path: Path, card: Scorecard
) -> None:
    from report_devtools import Browser

    path = tmp_path / "scorecard.html"
    path.write_text(render(card, "html", gate=evaluate(card)), encoding="utf-8")
    browser = Browser(tmp_path)
    try:
        browser.open(path.as_uri())
        total = len(card.items)
        assert browser.evaluate("document.body.getAttribute('data-shown-items')") == str(total)
        # type in the search box: only the promises holding the words stay
        browser.click("#search")
        browser.type("parameterized")
        shown = browser.evaluate(
            "Array.from(document.querySelectorAll('#by-promise article'))"
            ".filter(a => !a.hidden).map(a => a.id)"
        )
        wanted = [f"item-{n}" for n, i in enumerate(card.items, 1)
                  if "parameterized" in (i.text + " ".join(i.requirements)).lower()]  # fmt: skip
        assert wanted and set(wanted) <= set(shown) and len(shown) < total
        # group by requirement
        browser.click("input[value=requirement]")
        assert browser.evaluate("document.body.getAttribute('data-view')") == "requirement"
        assert browser.evaluate("document.getElementById('by-promise').hidden") is True
        # the copy button says what happened (copied, or select and copy where no clipboard)
        browser.click("#exchanges button[data-copy]")
        state = browser.evaluate(
            "document.querySelector('#exchanges button[data-copy]').getAttribute('data-copied')"
        )
        deadline = time.monotonic() + 10
        while state is None and time.monotonic() < deadline:
            time.sleep(0.1)
            state = browser.evaluate(
                "document.querySelector('#exchanges button[data-copy]').getAttribute('data-copied')"
            )
        assert state in ("1", "0"), "the copy button did nothing"
        if state == "1":
            copied = browser.evaluate("navigator.clipboard.readText().catch(() => null)")
            if copied is not None:
                assert copied.startswith("curl ")
        assert browser.console == [], browser.console
    finally:
        browser.close()
