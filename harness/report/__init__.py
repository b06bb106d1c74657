"""Reports: projections of a Scorecard into JSON, Markdown, HTML, JUnit XML and SARIF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from harness._errors import InputError
from harness.report._html import render_html
from harness.report._json import render_json
from harness.report._junit import render_junit
from harness.report._markdown import COMMENT_LIMIT, render_markdown
from harness.report._sarif import render_sarif
from harness.report._schema import SCHEMA_FILE, schema_text, scorecard_schema, write_schema
from harness.scorecard import SCHEMA_VERSION, GateRecord, Scorecard, redact_scorecard

if TYPE_CHECKING:
    from collections.abc import Iterable


FORMATS = ("json", "md", "html", "junit", "sarif")
_ALIASES = {"markdown": "md", "xml": "junit", "htm": "html"}
FILE_NAMES = {
    "json": "scorecard.json",
    "md": "scorecard.md",
    "html": "scorecard.html",
    "junit": "junit.xml",
    "sarif": "scorecard.sarif",
}


def normalise_format(fmt: str) -> str:
    name = _ALIASES.get(fmt.lower().strip(), fmt.lower().strip())
    if name not in FORMATS:
        raise InputError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    return name


def render(
    scorecard: Scorecard,
    fmt: str,
    *,
    gate: GateRecord | None = None,
    source_root: str | Path | None = None,
) -> str:
    """The scorecard in ``fmt``. ``gate`` adds the gate decision to the md and html reports;
    ``source_root`` is the folder SARIF paths are relative to (default: the repo's git root).

    Every report passes here, so every format is redacted (:func:`redact_scorecard`): host
    secrets an app served or logged never reach a report, also when a stored scorecard from
    elsewhere is rendered again.
    """
    return _render_redacted(redact_scorecard(scorecard), normalise_format(fmt), gate, source_root)


def _render_redacted(
    scorecard: Scorecard,
    name: str,
    gate: GateRecord | None,
    source_root: str | Path | None = None,
) -> str:
    if gate is None:
        gate = scorecard.gate  # the decision `harness score` stored
    if name == "json":
        return render_json(scorecard)
    if name == "md":
        return render_markdown(scorecard, gate=gate)
    if name == "html":
        return render_html(scorecard, gate=gate)
    if name == "junit":
        return render_junit(scorecard, source_root=source_root)
    return render_sarif(scorecard, source_root=source_root)


def write_reports(
    scorecard: Scorecard,
    out_dir: str | Path,
    formats: Iterable[str] = ("json", "md"),
    *,
    gate: GateRecord | None = None,
    source_root: str | Path | None = None,
) -> dict[str, Path]:
    """Write each format to ``out_dir`` under its usual name (scorecard.json, junit.xml...)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if gate is not None:  # kept in the scorecard: `harness report` renders the same decision
        scorecard = scorecard.model_copy(
            update={"gate": GateRecord.model_validate(gate.model_dump())}
        )
    scorecard = redact_scorecard(scorecard)  # once, for every format
    written: dict[str, Path] = {}
    for fmt in formats:
        name = normalise_format(fmt)
        path = out / FILE_NAMES[name]
        path.write_text(_render_redacted(scorecard, name, gate, source_root), encoding="utf-8")
        written[name] = path
    return written


def load_scorecard(path: str | Path) -> Scorecard:
    """Read a scorecard.json, checking its schema version.

    The card comes back redacted, so that a stored scorecard written without redaction (by an
    older harness or a custom scorer) cannot carry a host secret into the gate's reasons or a
    report either.
    """
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"scorecard {str(path)!r} not found; `harness score` writes one") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a scorecard.json ({exc})") from None
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if version != SCHEMA_VERSION:
        raise InputError(
            f"{path}: scorecard schema version {version!r}, this harness reads version "
            f"{SCHEMA_VERSION}; re-run `harness score` with this version"
        )
    try:
        card = Scorecard.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: invalid scorecard at {where!r}: {first['msg']}") from None
    return redact_scorecard(card)


__all__ = [
    "COMMENT_LIMIT",
    "FILE_NAMES",
    "FORMATS",
    "SCHEMA_FILE",
    "load_scorecard",
    "normalise_format",
    "render",
    "schema_text",
    "scorecard_schema",
    "write_reports",
    "write_schema",
]
