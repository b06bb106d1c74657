"""The diff report as HTML: a chip per status, per-requirement rows, and an inline SVG chart of
pass rates with their intervals; clean in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.batch import compare, diff_html
from harness.batch._summary import SampleOutcome
from harness.scorecard._model import (
    AgentRef,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Scorecard,
    Verdict,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _card(verdicts: dict[str, str]) -> Scorecard:
    return Scorecard(
        agent=AgentRef(name="agent"),
        repo=RepoRef(path="/repo"),
        task="todo-api",
        items=[],
        requirements={
            r: RequirementVerdict(title=f"title of {r}", verdict=Verdict(v))
            for r, v in verdicts.items()
        },
        score=None,
        coverage=1.0,
        run=RunInfo(started_at="2025-01-01T00:00:00", duration_s=0.0),
    )


def _side(rows: dict[str, list[str]], agent: str) -> list[SampleOutcome]:
    n = len(next(iter(rows.values())))
    return [
        SampleOutcome.from_scorecard(
            _card({r: v[i] for r, v in rows.items()}), agent=agent, sample=i, seed=i
        )
        for i in range(n)
    ]


@pytest.fixture
def report():
    base = _side(
        {
            "sql.parameterized": ["pass"] * 12,
            "auth.required": ["fail"] * 12,
            "ratelimit": ["pass"] * 12,
            "api.docs": ["pass"] * 6 + ["fail"] * 6,
        },
        "before",
    )
    cand = _side(
        {
            "sql.parameterized": ["fail"] * 12,  # a regression
            "auth.required": ["pass"] * 12,  # an improvement
            "ratelimit": ["error"] * 12,  # broken: decided before, not now
            "api.docs": ["pass"] * 6 + ["fail"] * 6,  # unchanged
        },
        "after",
    )
    return compare(base, cand)


def _svg(page: str) -> ET.Element:
    found = re.search(r"<svg.*?</svg>", page, re.S)
    assert found, "no inline SVG chart"
    return ET.fromstring(found.group())


def test_chart_has_a_row_per_requirement_with_intervals(report) -> None:
    page = diff_html(report)
    svg = _svg(page)
    groups = {g.find("title").text.split(":")[0]: g for g in svg.iter("g")}
    assert set(groups) == {r.requirement for r in report.rows}
    statuses = {r.requirement: r.status for r in report.rows}
    assert statuses["sql.parameterized"] == "regression"
    assert statuses["auth.required"] == "improvement"
    assert statuses["ratelimit"] == "broken"
    for rid, g in groups.items():
        assert g.get("data-status") == statuses[rid]
    # an interval bar per side that has pass/fail counts, a dot at each rate
    sql = groups["sql.parameterized"]
    assert len(sql.findall("line")) >= 2 and len(sql.findall("circle")) == 2
    broken = groups["ratelimit"]
    assert len(broken.findall("circle")) == 1  # no rate now
    assert "no pass/fail now" in "".join(t.text or "" for t in broken.iter("text"))
    # chips name each status once, with its count
    assert '<span class="s-regression">1 regression</span>' in page
    assert '<span class="s-broken">1 broken</span>' in page
    assert "http://" not in page and "<script" not in page


def test_interval_ends_follow_the_counts(report) -> None:
    svg = _svg(diff_html(report))
    row = next(r for r in report.rows if r.requirement == "api.docs")
    g = next(g for g in svg.iter("g") if g.find("title").text.startswith("api.docs"))
    xs = sorted(
        {float(line.get("x1")) for line in g.findall("line")}
        | {float(line.get("x2")) for line in g.findall("line")}
    )
    lo, hi = row.base.ci
    assert 0 < lo < 0.5 < hi < 1
    # the chart maps 0..1 onto the plot width: the ends sit in that proportion
    left, right = xs[0], xs[-1]
    assert (right - left) > 0
    circle = float(g.find("circle").get("cx"))
    assert left < circle < right


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_renders_in_chromium_without_console_messages(report, tmp_path: Path) -> None:
    page = tmp_path / "diff.html"
    page.write_text(diff_html(report), encoding="utf-8")
    shot = tmp_path / "diff.png"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1200,900", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert shot.exists() and shot.stat().st_size > 20_000, "blank or missing screenshot"
