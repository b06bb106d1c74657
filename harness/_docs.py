"""The check reference in docs/, generated from the registry so that it cannot drift.

Each static check function's docstring holds a ``Fails:`` and a ``Passes:`` paragraph; a data check
(checks/static.yaml) is described by its title, rules and facts; each probe by its title and
docstring. ``harness checks --docs static|probes`` prints a reference, and
:func:`update_docs` rewrites the generated block of docs/static-checks.md and docs/probes.md
(between the markers below), leaving the prose around it as written.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

from harness.catalogue import CheckSpec, registered_checks

BEGIN = "<!-- generated from the check registry: edit the checks, then `harness checks --docs` -->"
END = "<!-- end of generated reference -->"
DOCS = {"static": "static-checks.md", "probes": "probes.md"}
_SCHEDULING = {"enabled"}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _paragraphs(doc: str) -> dict[str, str]:
    """The ``Fails:``, ``Passes:`` and ``Options:`` paragraphs of a docstring; the rest under ''."""
    out: dict[str, str] = {}
    for para in re.split(r"\n\s*\n", inspect.cleandoc(doc)):
        label = re.match(r"(Fails|Passes|Options):\s*", para)
        key = label.group(1).lower() if label else ""
        text = para[label.end() :] if label else para
        out[key] = (out.get(key, "") + " " + " ".join(text.split())).strip()
    return out


def _options(spec: CheckSpec) -> str:
    tunable = {k: v for k, v in spec.options.items() if k not in _SCHEDULING}
    return ", ".join(f"`{k}` ({v!r})" for k, v in sorted(tunable.items()))


def _data_check_text(spec: CheckSpec) -> tuple[str, str, str]:
    """(tool label, fails when, passes when) of a data check in checks/static.yaml."""
    from harness.static._catalogue import load_catalogue

    entry = load_catalogue().checks.get(spec.id)
    if entry is None:
        return spec.tool, spec.title, ""
    tool, fails, passes = _described(entry)
    return tool, entry.fails or fails, entry.passes or passes


def _described(entry: Any) -> tuple[str, str, str]:
    """What a data check's own fields say of it."""
    if entry.tool == "harness":  # presence checks: facts that must (not) hold
        fails = entry.missing or f"not so: {entry.title}"
        if entry.forbids:
            fails += f" (also fails on: {', '.join(entry.forbids)})"
        return "harness (facts)", fails, "facts found: " + ", ".join(entry.requires)
    fails = f"{entry.title}: any hit of {', '.join(entry.rules)}"
    passes = ["no hit"]
    if entry.good:
        passes.append(f"cites `{entry.good}`")
    if entry.applies_when and entry.safe_when_absent:
        passes.append(
            f"without `{entry.applies_when}`: pass if `{entry.safe_when_absent}`, else n/a"
        )
    elif entry.applies_when:
        passes.append(f"without `{entry.applies_when}`: n/a")
    return entry.tool, fails, "; ".join(passes)


def static_reference() -> str:
    """The table of static checks: what fails, what passes, options."""
    rows = [
        "| check | requirement | language | tool | fails when | passes when | options |",
        "|---|---|---|---|---|---|---|",
    ]
    for spec in sorted(registered_checks(kind="static"), key=lambda s: s.id):
        if spec.func is not None:
            parts = _paragraphs(spec.func.__doc__ or "")
            tool, fails, passes = "harness (ast/text)", parts.get("fails"), parts.get("passes")
            fails = fails or spec.title
            passes = passes or ""
        else:
            tool, fails, passes = _data_check_text(spec)
        languages = ", ".join(spec.languages) or "any"
        cells = [f"`{spec.id}`", spec.requirement, languages, tool, fails, passes, _options(spec)]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def probes_reference() -> str:
    """One section per live probe: requirement, phase, options, title and docstring."""
    out: list[str] = []
    for spec in sorted(registered_checks(kind="live"), key=lambda s: (s.requirement, s.id)):
        phase = spec.phase
        timeout = spec.timeout_s
        meta = [f"requirement `{spec.requirement}`", f"phase `{phase}`"]
        if timeout is not None:
            meta.append(f"timeout {timeout:g} s")
        if spec.options.get("enabled") is False:
            meta.append("off unless enabled")
        if opts := _options(spec):
            meta.append(f"options {opts}")
        doc = inspect.cleandoc(spec.func.__doc__ or "") if spec.func else ""
        out.append(f"### `{spec.id}`\n\n**{spec.title}**. " + "; ".join(meta) + ".\n")
        if doc:
            out.append(" ".join(doc.split()) + "\n")
    return "\n".join(out)


def reference(name: str) -> str:
    """The generated reference ``name`` (``static`` or ``probes``), markers included."""
    from harness._score import load_checks

    load_checks()
    body = static_reference() if name == "static" else probes_reference()
    return f"{BEGIN}\n\n{body}\n{END}\n"


def doc_path(name: str) -> Path:
    """Where reference ``name`` lives in a checkout (a wheel ships no docs/)."""
    return Path(__file__).resolve().parent.parent / "docs" / DOCS[name]


def spliced(text: str, generated: str) -> str:
    """``text`` with its generated block replaced by ``generated`` (appended when it has none)."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        return text.rstrip("\n") + "\n\n" + generated
    return text[:start] + generated + text[end + len(END) + 1 :]


def update_docs() -> list[Path]:
    """Rewrite the generated blocks of the check references; returns the files changed."""
    changed = []
    for name in DOCS:
        path = doc_path(name)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = spliced(old, reference(name))
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
