"""Prover for NoSQL-query findings: an app-wide operator sanitizer makes a hit harmless."""

from __future__ import annotations

from harness.static._model import StaticContext
from harness.static._tools import RawFinding


def mongo_sanitized_reason(ctx: StaticContext, raw: RawFinding) -> str | None:
    """A reason when the app strips operator keys from every request before any handler runs
    (app.use(mongoSanitize()), mongoose sanitizeFilter), so no body reaches a filter as an
    operator object; a $where built from input stays a finding."""
    if raw.rule.endswith("where-from-input") or not raw.file.endswith(
        (".js", ".ts", ".mjs", ".cjs")
    ):
        return None
    where = ctx.fact("mongo_sanitizer")
    if not where:
        return None
    first = where[0]
    return f"operator keys are stripped app-wide ({first.file}:{first.line})"
