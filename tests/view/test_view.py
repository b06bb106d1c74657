"""`harness view` over a folder of runs: the index, each page, read-only on 127.0.0.1, and the
pages in headless Chromium (filter typed, a scorecard opened, two batches compared)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from harness.batch import diff, diff_html
from harness.batch._summary import SampleOutcome, summarise
from harness.scorecard._model import (
    AgentRef,
    RepoRef,
    RequirementVerdict,
    RunInfo,
    Scorecard,
    Verdict,
)
from harness.view import Viewer, build_index

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "report"))


def _card(agent: str, verdicts: dict[str, str], started: str) -> Scorecard:
    return Scorecard(
        agent=AgentRef(name=agent),
        repo=RepoRef(path=f"/work/{agent}-repo"),
        task="todo-api",
        items=[],
        requirements={
            r: RequirementVerdict(title=f"title of {r}", verdict=Verdict(v))
            for r, v in verdicts.items()
        },
        score=0.5,
        coverage=1.0,
        counts={v: list(verdicts.values()).count(v) for v in set(verdicts.values())},
        run=RunInfo(started_at=started, duration_s=1.0),
    )


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    """A folder as people have one: a single score, a batch of two agents, a stored diff, and
    things that are not runs (a repo with its own JSON, a node_modules folder)."""
    single = tmp_path / "reports" / "backend" / "todo"
    single.mkdir(parents=True)
    card = _card("backend", {"sql.parameterized": "fail", "auth.required": "pass"}, "2026-12-01")
    (single / "scorecard.json").write_text(card.model_dump_json())
    batch = tmp_path / "runs" / "cmp"
    outcomes = []
    for agent, verdict in (("before", "pass"), ("after", "fail")):
        for i in range(3):
            sample = batch / agent / "todo-api" / str(i)
            sample.mkdir(parents=True)
            c = _card(agent, {"auth.password-hashing": verdict}, f"2026-12-02T0{i}")
            (sample / "scorecard.json").write_text(c.model_dump_json())
            (sample / "repo").mkdir()
            (sample / "repo" / "scorecard.json").write_text("{}")  # the agent's own file
            outcomes.append(
                SampleOutcome.from_scorecard(c, agent=agent, task="todo-api", sample=i, seed=i)
            )
    (batch / "summary.json").write_text(
        summarise(outcomes).model_dump_json(indent=2, by_alias=True)
    )
    report = diff(batch / "before", batch / "after")
    (tmp_path / "runs" / "cmp-diff.json").write_text(report.model_dump_json(by_alias=True))
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "scorecard.json").write_text(card.model_dump_json())
    (tmp_path / "notes.json").write_text(json.dumps({"schema": "something else"}))
    return tmp_path


def test_the_index_finds_runs_by_their_schema(runs: Path) -> None:
    index = build_index(runs)
    cards = {c.path for c in index.cards}
    assert "reports/backend/todo/scorecard.json" in cards
    assert len(cards) == 7  # 1 single + 6 samples; not the repo's own file, not node_modules
    assert [b.path for b in index.batches] == ["runs/cmp"]
    assert index.batches[0].agents == ["after", "before"] and index.batches[0].samples == 6
    assert [d.path for d in index.diffs] == ["runs/cmp-diff.json"]
    assert sorted(index.sides()) == ["runs/cmp/after", "runs/cmp/before"]
    sample = next(c for c in index.cards if c.path.startswith("runs/cmp/before/"))
    assert sample.in_batch == "runs/cmp"


@pytest.fixture
def viewer(runs: Path):
    server = Viewer(runs)
    server.serve_in_thread()
    yield server
    server.shutdown()
    server.server_close()


def test_pages_are_served_read_only_on_loopback(viewer: Viewer) -> None:
    assert viewer.server_address[0] == "127.0.0.1"
    with httpx.Client(base_url=viewer.url, timeout=30) as client:
        index = client.get("/")
        assert index.status_code == 200 and "reports/backend/todo/scorecard.json" in index.text
        card = client.get("/scorecard", params={"path": "reports/backend/todo/scorecard.json"})
        assert card.status_code == 200 and "title of sql.parameterized" in card.text
        assert "← all runs" in card.text
        assert client.get("/batch", params={"path": "runs/cmp"}).status_code == 200
        assert client.get("/diff", params={"path": "runs/cmp-diff.json"}).status_code == 200
        cmp = client.get(
            "/compare", params={"base": "runs/cmp/before", "candidate": "runs/cmp/after"}
        )
        assert cmp.status_code == 200 and "auth.password-hashing" in cmp.text
        # only what the index found: no path outside it, not even a file inside the folder
        for path in (
            "../../etc/passwd",
            "/etc/passwd",
            "notes.json",
            "node_modules/x/scorecard.json",
            "runs/cmp/before/todo-api/0/repo/scorecard.json",
        ):
            assert client.get("/scorecard", params={"path": path}).status_code == 404, path
        assert client.post("/", content=b"x").status_code == 405
        assert client.delete("/scorecard").status_code == 405
        # a page elsewhere reaching the viewer through DNS rebinding carries its own Host
        assert client.get("/", headers={"Host": "attacker.example:80"}).status_code == 403
        data = client.get("/index.json").json()
        assert len(data["cards"]) == 7


def test_a_new_run_appears_without_a_restart(viewer: Viewer, runs: Path) -> None:
    extra = runs / "reports" / "later"
    extra.mkdir(parents=True)
    (extra / "scorecard.json").write_text(
        _card("later", {"auth.required": "pass"}, "2026-12-04").model_dump_json()
    )
    page = httpx.get(viewer.url, timeout=30).text
    assert "reports/later/scorecard.json" in page


def test_in_chromium_filter_open_and_compare(viewer: Viewer, tmp_path: Path) -> None:
    from report_browser import chromium

    if chromium() is None:
        pytest.skip("chromium is not installed (scripts/setup.sh --system installs it)")
    from report_devtools import Browser

    browser = Browser(tmp_path)
    try:
        browser.open(viewer.url)
        assert browser.evaluate("document.getElementById('scorecards-count').textContent") == "7"
        browser.click("#filter")
        browser.type("backend")
        shown = browser.evaluate(
            "Array.from(document.querySelectorAll('table[data-list=scorecards] "
            "tr[data-text]:not([hidden]) a')).map(a => a.textContent)"
        )
        assert shown == ["reports/backend/todo/scorecard.json"]
        browser.click("table[data-list=scorecards] tr[data-text]:not([hidden]) a")
        browser.wait_for(
            "location.pathname === '/scorecard' && document.body.getAttribute('data-ready')"
        )
        assert "Scorecard: backend on backend-repo" in browser.evaluate("document.body.innerText")
        # compare the two batch agents through the form
        browser.open(viewer.url)
        browser.evaluate("document.querySelector('select[name=base]').value='runs/cmp/before'")
        browser.evaluate("document.querySelector('select[name=candidate]').value='runs/cmp/after'")
        browser.click("form.compare button")
        browser.wait_for(
            "location.pathname === '/compare' && document.body.getAttribute('data-ready')"
        )
        text = browser.evaluate("document.body.innerText")
        assert "auth.password-hashing" in text and "runs/cmp/before" in text
        assert browser.console == [], browser.console
    finally:
        browser.close()


def test_cli_prints_the_url_and_stops(runs: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run(
        [sys.executable, "-m", "harness", "view", str(runs), "--port", str(port),
         "--serve-for", "1"],
        capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"http://127.0.0.1:{port}/"
    assert "7 scorecards, 1 batches, 1 diffs" in done.stderr


def test_diff_html_of_the_fixture_is_what_compare_serves(viewer: Viewer, runs: Path) -> None:
    served = httpx.get(
        viewer.url + "compare",
        params={"base": "runs/cmp/before", "candidate": "runs/cmp/after"},
        timeout=30,
    ).text
    expected = diff_html(diff(runs / "runs/cmp/before", runs / "runs/cmp/after"))
    # the same report, with the viewer's bar on top
    assert expected.split("<body", 1)[1].split(">", 1)[1][:200] in served
