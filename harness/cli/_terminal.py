"""What `harness score` prints in a terminal: a short summary that fits the terminal's width
(80 columns included), failing requirements first with one reason each, a cause shared by many
requirements said once, and a closing verdict line. Also the live status shown while it runs."""

from __future__ import annotations

import re
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.text import Text

from harness.scorecard import (
    VERDICT_ORDER,
    RequirementVerdict,
    Scorecard,
    Severity,
    Status,
    Verdict,
)

_STYLE = {
    Verdict.passed: "green",
    Verdict.failed: "red",
    Verdict.partial: "yellow",
    Verdict.error: "magenta",
    Verdict.not_applicable: "dim",
    Verdict.not_checkable: "dim",
}
_LABEL = {
    Verdict.failed: "fail",
    Verdict.partial: "partial",
    Verdict.error: "error",
    Verdict.passed: "pass",
    Verdict.not_applicable: "n/a",
    Verdict.not_checkable: "unchecked",
}
_ATTENTION = (Verdict.failed, Verdict.partial, Verdict.error)
_SEVERITY_RANK = {Severity.high: 0, Severity.medium: 1, Severity.low: 2}
_PREFIX = re.compile(r"^(could not (run|check):\s*)+", re.I)


def make_console(color: bool | None, *, stderr: bool = False) -> Console:
    """A console on stdout or stderr. ``color`` None: colour on a terminal unless NO_COLOR is set
    (rich reads NO_COLOR and FORCE_COLOR itself); True forces it, False turns it off."""
    if color is None:
        return Console(stderr=stderr, highlight=False)
    if color:
        # the flag wins over NO_COLOR in the environment
        return Console(stderr=stderr, force_terminal=True, no_color=False, highlight=False)
    return Console(stderr=stderr, no_color=True, color_system=None, highlight=False)


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Words wrapped to ``width`` columns; a word longer than a line is broken, never lost."""
    flat = " ".join(str(text).split())
    return textwrap.wrap(
        flat,
        width=max(width, 20),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def first_reason(reason: str) -> tuple[str, int]:
    """The first of the "; "-joined reasons of a requirement, and how many more there are."""
    parts, depth, start = [], 0, 0
    text = reason or ""
    for n, char in enumerate(text):
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if char == ";" and depth <= 0:  # a "; " inside parentheses is part of one reason
            parts.append(text[start:n].strip())
            start = n + 1
    parts = [p for p in [*parts, text[start:].strip()] if p]
    if not parts:
        return "", 0
    return parts[0], len(parts) - 1


@dataclass
class Cause:
    """One reason several requirements could not be checked (an app that did not start...)."""

    text: str
    requirements: list[str] = field(default_factory=list)


def shared_causes(card: Scorecard) -> list[Cause]:
    """Error messages that more than one requirement shares, each once, with who it hit."""
    by_text: dict[str, Cause] = {}
    for rid, req in sorted(card.requirements.items()):
        if req.verdict != Verdict.error:
            continue
        for text in dict.fromkeys(_error_texts(req)):
            by_text.setdefault(text, Cause(text)).requirements.append(rid)
    return [c for c in by_text.values() if len(c.requirements) > 1]


def _error_texts(req: RequirementVerdict) -> list[str]:
    return [_PREFIX.sub("", c.message).strip() for c in req.checks if c.status == Status.error]


def _attention(card: Scorecard) -> list[tuple[str, RequirementVerdict]]:
    rank = {v: n for n, v in enumerate(VERDICT_ORDER)}
    return sorted(
        ((rid, r) for rid, r in card.requirements.items() if r.verdict in _ATTENTION),
        key=lambda kv: (_SEVERITY_RANK[kv[1].severity], rank[kv[1].verdict], kv[0]),
    )


def counts_text(card: Scorecard) -> str:
    seen: dict[Verdict, int] = {}
    for req in card.requirements.values():
        seen[req.verdict] = seen.get(req.verdict, 0) + 1
    return ", ".join(f"{seen[v]} {_LABEL[v]}" for v in VERDICT_ORDER if seen.get(v))


def verdict_line(card: Scorecard, gate) -> str:
    """The one line `-q` prints: the gate's decision, the score and what failed."""
    head = "PASS" if gate.passed else "FAIL"
    score = "n/a" if card.score is None else f"{card.score:.2f}"
    bad = sum(r.verdict in _ATTENTION for r in card.requirements.values())
    total = len(card.requirements)
    gate_text = "gate passed" if gate.passed else f"gate failed ({len(gate.reasons)} reasons)"
    return f"{head} {gate_text} · score {score} · {bad} of {total} requirements need attention"


def print_summary(card: Scorecard, gate, console: Console, *, verbosity: int = 0) -> None:
    """The summary after a score, wrapped to the console's width. ``verbosity`` 1 adds every
    requirement and the run notes; 2 adds each check and the stage timings."""
    width = console.width
    agent = card.agent.name if card.agent else "catalogue"
    repo = card.repo.path.rstrip("/").rsplit("/", 1)[-1]
    score = "n/a" if card.score is None else f"{card.score:.2f}"
    _out(
        console,
        wrap(f"{agent} × {repo}: score {score}, coverage {card.coverage:.0%}", width),
        "bold",
    )
    _out(console, wrap(f"requirements: {counts_text(card)}", width))
    causes = shared_causes(card)
    grouped = {rid for c in causes for rid in c.requirements}
    for cause in causes:
        console.print()
        _out(console, wrap(cause.text, width, "  ", first="! "), "magenta")
        hit = f"{len(cause.requirements)} requirements could not be checked: "
        _out(console, wrap(hit + ", ".join(cause.requirements), width, "    ", first="  "), "dim")

    attention = _attention(card)
    listed = [(rid, r) for rid, r in attention if not _only_grouped(r, grouped, rid, causes)]
    if listed:
        console.print()
        console.print(Text(f"needs attention ({len(attention)}), by severity:", style="bold"))
    for rid, req in listed:
        _requirement(console, rid, req, width, verbosity)
    if verbosity >= 1:
        rest = sorted(
            ((rid, r) for rid, r in card.requirements.items() if r.verdict not in _ATTENTION),
            key=lambda kv: ([*VERDICT_ORDER].index(kv[1].verdict), kv[0]),
        )
        if rest:
            console.print()
            console.print(Text("the other requirements:", style="bold"))
        for rid, req in rest:
            _requirement(console, rid, req, width, verbosity)
        if card.run.notes:
            console.print()
            console.print(Text("notes:", style="bold"))
            for note in card.run.notes:
                _out(console, wrap(note, width, "    ", first="  - "), "dim")
    if verbosity >= 2 and card.run.timings:
        console.print()
        timings = ", ".join(f"{k} {v:.1f}s" for k, v in card.run.timings.items())
        _out(console, wrap("timings: " + timings, width, "  "), "dim")


def _only_grouped(req: RequirementVerdict, grouped: set[str], rid: str, causes) -> bool:
    """An error requirement whose every error message is a shared cause shown above."""
    if req.verdict != Verdict.error or rid not in grouped:
        return False
    shared = {c.text for c in causes}
    return all(t in shared for t in _error_texts(req))


def _requirement(
    console: Console, rid: str, req: RequirementVerdict, width: int, verbosity: int
) -> None:
    label = _LABEL[req.verdict]
    line = Text("  ")
    line.append(f"{label:<10}", style=_STYLE[req.verdict])
    line.append(f"{req.severity.value:<7}")
    line.append(rid, style="bold")
    console.print(line, soft_wrap=True)
    reason, more = first_reason(req.reason or "")
    if verbosity >= 1:
        reason, more = " ".join((req.reason or "").split()), 0
    else:
        reason = textwrap.shorten(reason, width=3 * (width - 6), placeholder=" …")
    if more:
        reason += f" (+{more} more)"
    if reason:
        _out(console, wrap(reason, width, "      "), "")
    if verbosity >= 2:
        for check in req.checks:
            text = f"{check.check} [{check.kind}, {check.status.value}]: {check.message}"
            _out(console, wrap(text, width, "          ", first="      · "), "dim")


def _out(console: Console, lines: list[str], style: str = "") -> None:
    for line in lines:
        console.print(Text(line, style=style), soft_wrap=True)


_GATE_ID = re.compile(r"^(\S+) \[(\w+), (\w+)\]")


def gate_lines(gate, width: int, verbosity: int) -> Iterator[tuple[str, str]]:
    """The gate's decision in a few lines: the requirements that failed it named once, other
    reasons (a score floor) whole, warnings counted. With -v every reason whole."""
    if verbosity >= 1:
        for reason in gate.reasons:
            for line in wrap(reason, width, "      ", first="gate: "):
                yield line, "red"
        for warning in gate.warnings:
            for line in wrap(warning, width, "      ", first="warn: "):
                yield line, "yellow"
        return
    named = [m.group(1) for r in gate.reasons if (m := _GATE_ID.match(r))]
    others = [r for r in gate.reasons if not _GATE_ID.match(r)]
    if named:
        shown = ", ".join(named[:6]) + (f" and {len(named) - 6} more" if len(named) > 6 else "")
        text = f"gate: failed by {len(named)} requirement(s): {shown}"
        for line in wrap(text, width, "      ", first=""):
            yield line, "red"
    for reason in others:
        for line in wrap(reason, width, "      ", first="gate: "):
            yield line, "red"
    if gate.warnings:
        text = (
            f"gate: {len(gate.warnings)} more requirement(s) only warn under the policy "
            "(-v lists them)"
        )
        for line in wrap(text, width, "      ", first=""):
            yield line, "yellow"
    if gate.baselined:
        yield f"gate: {len(gate.baselined)} known failure(s) accepted by the baseline", "dim"


_FIRST = "reading the agent and the repo..."


class LiveStatus:
    """Progress of a run on stderr. On a terminal: one status line, replaced as the run moves
    (installing, starting, probing) with the seconds spent so far; elsewhere, or with -v, one
    line per step. Quiet: nothing."""

    def __init__(self, console: Console, *, quiet: bool = False, lines: bool = False) -> None:
        self._console = console
        self._quiet = quiet
        self._live = console.is_terminal and not lines and not quiet
        self._t0 = time.monotonic()
        self._message = _FIRST
        self._status = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> LiveStatus:
        if self._live:
            self._status = self._console.status(self._text(), spinner="dots")
            self._status.__enter__()
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=2)
        if self._status is not None:
            self._status.__exit__(None, None, None)

    def __call__(self, message: str) -> None:
        if self._quiet:
            return
        if self._status is not None:
            # the live line names the stage under way ("installing and starting the app...");
            # facts said meanwhile ("checklist: 71 items") do not replace it
            if message.endswith("...") or self._message == _FIRST:
                self._message = message
            self._status.update(self._text())
        else:
            self._message = message
            stamp = f"{time.monotonic() - self._t0:5.1f}s "
            self._console.print(Text("· " + stamp, style="dim") + Text(message), soft_wrap=True)

    def _text(self) -> str:
        elapsed = time.monotonic() - self._t0
        room = max(self._console.width - 14, 20)
        return textwrap.shorten(f"{self._message}", room, placeholder=" …") + f" ({elapsed:.0f} s)"

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            if self._status is not None:
                self._status.update(self._text())
