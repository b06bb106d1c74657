"""Which routes the resource-exhaustion probes aim at, read from the app's own source with the
same hazard reader as the static checks (harness.app): handlers that expand archives or images,
compile request values as patterns or use them as sizes; and the multipart field (or raw body) a
handler takes its file from."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.apimodel import Operation
from harness.app import (
    Handler,
    Hazard,
    expansions,
    find_handlers,
    list_files,
    patterns_from_input,
    read_text,
    unbounded_sizes,
)
from harness.probes._context import ProbeContext

_LANGUAGES = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
}


@dataclass
class _Source:
    path: str
    language: str
    text: str
    _tree: Any = None

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def tree(self) -> Any:
        if self.language != "python":
            return None
        if self._tree is None:
            import ast

            try:
                self._tree = ast.parse(self.text)
            except (SyntaxError, ValueError):
                self._tree = False
        return self._tree or None

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


@dataclass
class _Hazards:
    handlers: list[Handler] = field(default_factory=list)
    expand: list[Hazard] = field(default_factory=list)
    regex: list[Hazard] = field(default_factory=list)
    size: list[Hazard] = field(default_factory=list)


def shape(path: str) -> str:
    """A path with its parameters blanked, whatever their syntax."""
    return re.sub(r"<[^>]*>|:\w+|\{[^}]*\}", "{}", path.rstrip("/") or "/")


def route_inputs(op: Operation) -> list[str]:
    props = (op.body_schema or {}).get("properties") or {}
    return [*op.query_params, *props]


def hazards(ctx: ProbeContext) -> _Hazards:
    """The app's handlers that expand archives/images, compile request values as patterns or
    use them as sizes (read once per session from the app's own source)."""
    if "exhaust.hazards" in ctx.session.cache:
        return ctx.session.cache["exhaust.hazards"]
    root = Path(ctx.app.source_dir or ctx.app.workdir)
    files = []
    for rel in list_files(root):
        language = _LANGUAGES.get(Path(rel).suffix.lower())
        text = read_text(root / rel) if language else None
        if text is not None and language:
            files.append(_Source(rel, language, text))
    found = _Hazards(handlers=find_handlers(files))
    inputs = {f"{op.method} {shape(op.path)}": route_inputs(op) for op in ctx.api.operations}
    shaped = [dataclasses.replace(h, path=shape(h.path)) for h in found.handlers]
    found.expand = expansions(shaped, files)
    found.regex = patterns_from_input(shaped, inputs)
    found.size = unbounded_sizes(shaped)
    ctx.session.cache["exhaust.hazards"] = found
    return found


def operation_of(ctx: ProbeContext, hz: Hazard) -> Operation | None:
    for op in ctx.api.operations:
        if op.method == hz.method and shape(op.path) == hz.path:
            return op
    return None


def handler_of(ctx: ProbeContext, op: Operation) -> Handler | None:
    for h in hazards(ctx).handlers:
        if h.method == op.method and shape(h.path) == shape(op.path):
            return h
    return None


RAW = ""  # the field name that sends a file as the whole request body
# handlers that read the raw body rather than a multipart field
_RAW_BODY = re.compile(
    r"\brequest\.(data\b|get_data\(|stream\b|body\(\))|await\s+request\.body\(\)|"
    r"\bexpress\.raw\(|\bbodyParser\.raw\(|\breq\.on\(\s*['\"]data"
)
_FILE_FIELD = re.compile(
    r"files(?:\.get\(|\[)\s*['\"](\w+)|\.(?:single|array)\(\s*['\"](\w+)|"
    r"(\w+)\s*:\s*UploadFile|FormFile\(\s*\"(\w+)"
)


def file_field(ctx: ProbeContext, op: Operation) -> str:
    """The multipart field the handler reads its file from, or RAW for a raw body."""
    h = handler_of(ctx, op)
    m = _FILE_FIELD.search(h.body) if h else None
    if m:
        return next(g for g in m.groups() if g)
    if h and _RAW_BODY.search(h.body):
        return RAW
    props = list((op.body_schema or {}).get("properties") or {})
    return props[0] if props else "file"
