"""Route handlers as the handler-level checks see them (layering, blocking calls, transactions,
audit logging, rate limits...): read by the language readers of ``harness.app``, once per run."""

from __future__ import annotations

from harness.app import Handler, find_handlers
from harness.static._model import StaticContext

__all__ = ["Handler", "handlers", "route_paths"]


def handlers(ctx: StaticContext) -> list[Handler]:
    """Every route handler found in the repo's sources (cached on the context)."""
    if "handlers" not in ctx._cache:
        ctx._cache["handlers"] = find_handlers(ctx.sources)
    return ctx._cache["handlers"]


def route_paths(ctx: StaticContext) -> list[tuple[str, str, str]]:
    """(method, path, where) for every route: the app profile's when it has them (the detection
    stage follows mounts more thoroughly), else the handlers found here."""
    if ctx.profile.routes:
        return [(r.method, r.path, f"{r.file}:{r.line}") for r in ctx.profile.routes]
    return [(h.method, h.path, f"{h.file}:{h.line}") for h in handlers(ctx)]
