"""Where a handler can be made to spend unbounded memory or CPU (CWE-400/770): archives and images
it expands, request values it compiles as regular expressions, numeric request values it uses as
sizes or counts. Read as text from the handlers' own source (Python and JavaScript/TypeScript),
so that the static checks and the live probes pick the same routes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from harness.app._routes import Handler, SourceLike

# what expands a small input into a large one; (label, pattern)
_EXPANDERS: dict[str, list[tuple[str, str]]] = {
    "python": [
        ("zip", r"\bzipfile\.ZipFile\(|\bZipFile\("),
        ("tar", r"\btarfile\.open\(|\bTarFile\("),
        (
            "gzip",
            r"\bgzip\.(decompress|GzipFile|open)\(|\bzlib\.decompress\(|\bzlib\.decompressobj\(",
        ),
        ("gzip", r"\b(bz2|lzma)\.(decompress|open)\(|\bshutil\.unpack_archive\("),
        ("image", r"\bImage\.open\(|\bImage\.frombytes\(|\bcv2\.imdecode\("),
    ],
    "javascript": [
        (
            "zip",
            r"\bnew\s+AdmZip\(|\bAdmZip\(|\bunzipper\.|\bJSZip\b|\.loadAsync\(|\byauzl\.|\bdecompress\(",
        ),
        ("tar", r"\btar\.(x|extract)\("),
        (
            "gzip",
            r"\bzlib\.(gunzip|inflate|unzip|brotliDecompress)(Sync)?\(|\bcreateGunzip\(|\bcreateInflate\(",
        ),
        ("image", r"\bsharp\(|\bJimp\.read\(|\bJimp\.create\(|\bloadImage\(|\bgm\("),
    ],
}
# what bounds the expansion before it happens: the entries' declared sizes, a ratio, a maximum
# output length, a pixel budget or the image's dimensions compared with a cap
_BOUNDS: dict[str, dict[str, str]] = {
    "python": {
        "archive": (
            r"\bfile_size\b|\bcompress_size\b|\bmax_length\b|"
            r"(?i:\bmax_\w*(size|bytes|ratio|files|entries|members|uncompressed|expanded|total)\b)|"
            r"\.decompress\([^,()]+,\s*[\w.]+|"  # decompressobj().decompress(data, max_length)
            r"\.read\(\s*(?:\d|[A-Z_][A-Z0-9_]*\b|[\w.]*(?i:max|limit|chunk|budget)\w*)|\bratio\b"
        ),
        "image": (
            r"MAX_IMAGE_PIXELS\s*=\s*(?!None)\w|"
            r"\.(width|height)\b[^\n]*[<>]|\.size\b[^\n]*[<>]|[<>]=?[^\n]*\.(width|height)\b|"
            r"(?i:\bmax_\w*(pixels|width|height|dim\w*|side|size)\b)"
        ),
    },
    "javascript": {
        "archive": (
            r"\bheader\.size\b|\buncompressedSize\b|\bmaxOutputLength\b|\bvars\.uncompressedSize\b|"
            r"(?i:\bmax_?\w*(size|bytes|ratio|files|entries|uncompressed|total)\b)|\bratio\b|"
            r"\._data\.uncompressedSize\b|\.size\s*[<>]"
        ),
        "image": (
            r"\blimitInputPixels\s*:\s*(?!false|0\b)|"
            r"\.(width|height)\b[^\n]*[<>]|[<>]=?[^\n]*\.(width|height)\b|"
            r"(?i:\bmax_?\w*(pixels|width|height|dim\w*|side)\b)"
        ),
    },
}
# a pixel budget set for the whole module (Pillow)
_PIXEL_BUDGET = r"MAX_IMAGE_PIXELS\s*=\s*(?!None)\w"
# sharp refuses images above about 268 Mpixel unless told otherwise: bounded by default
_IMAGE_DEFAULT_BOUND = {"javascript": r"\bsharp\("}
_IMAGE_UNBOUNDED = {
    "python": r"MAX_IMAGE_PIXELS\s*=\s*None",
    "javascript": r"limitInputPixels\s*:\s*(false|0)\b",
}

_REGEX_CALL = {
    "python": re.compile(
        r"\b(re|regex)\.(compile|search|match|fullmatch|findall|finditer|sub|subn|split)\(\s*"
    ),
    "javascript": re.compile(r"\b(new\s+)?RegExp\(\s*"),
}
_ESCAPED = re.compile(
    r"(?i)\bre\.escape\(|escape_?reg_?exp?\w*\(|escapeStringRegexp\(|\.replace\(\s*/\["
)
_PATTERN_WORDS = ("pattern", "regex", "regexp", "re", "expr", "expression", "rule")


@dataclass(frozen=True)
class Hazard:
    """One place a handler (or a function it calls) can be made to spend unbounded resources."""

    kind: str  # expand | regex | size
    label: str  # zip | tar | gzip | image | the request field compiled or used as a size
    file: str
    line: int
    method: str
    path: str
    bounded: bool
    detail: str  # the sink or bound seen, one line

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


def _lang(language: str) -> str:
    return "python" if language == "python" else "javascript"


def _helpers(source: SourceLike) -> dict[str, str]:
    """Top-level function names of a file and their source text (the functions a handler may
    hand an upload to)."""
    out: dict[str, str] = {}
    if source.language == "python":
        if source.tree is None:
            return out
        import ast

        for node in ast.walk(source.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                end = getattr(node, "end_lineno", node.lineno) or node.lineno
                out[node.name] = "\n".join(source.lines[node.lineno - 1 : end])
        return out
    for m in re.finditer(
        r"(?:function\s+(\w+)\s*\(|(?:const|let|var)\s+(\w+)\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|\w+\s*=>))",
        source.text,
    ):
        name = m.group(1) or m.group(2)
        out[name] = source.text[m.start() : m.start() + 4000]
    return out


def _reach(handler: Handler, helpers: dict[str, str]) -> str:
    """The handler's text plus the text of the same-file functions it calls (one level deep)."""
    parts = [handler.body]
    for name, text in helpers.items():
        if name != handler.name and re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", handler.body):
            parts.append(text)
    return "\n".join(parts)


def _line_in(handler: Handler, body: str, offset: int) -> int:
    """The file line of ``offset`` when it lies in the handler's own text, else the handler's."""
    if offset < len(handler.body):
        return handler.line + handler.body.count("\n", 0, offset)
    return handler.line


def expansions(handlers: Sequence[Handler], files: Sequence[SourceLike]) -> list[Hazard]:
    """Handlers that unpack an archive or decode an image, bounded or not."""
    by_path = {f.path: f for f in files}
    helpers = {f.path: _helpers(f) for f in files if f.language != "go"}
    out: list[Hazard] = []
    for h in handlers:
        source = by_path.get(h.file)
        if source is None or h.language == "go":
            continue
        lang = _lang(h.language)
        body = _reach(h, helpers.get(h.file, {}))
        for label, pattern in _EXPANDERS[lang]:
            m = re.search(pattern, body)
            if m is None:
                continue
            kind = "image" if label == "image" else "archive"
            # a bound in the code that reads the upload, or a module-wide pixel budget
            bound = re.search(_BOUNDS[lang][kind], body)
            if kind == "image":
                module_bound = re.search(_PIXEL_BUDGET, source.text)
                bound = bound or module_bound
                default = _IMAGE_DEFAULT_BOUND.get(lang)
                if bound is None and default and re.search(default, body):
                    bound = re.search(default, body)
                if re.search(_IMAGE_UNBOUNDED[lang], source.text):
                    bound = None
            seen = bound.group(0) if bound else m.group(0)
            out.append(
                Hazard(
                    "expand",
                    label,
                    h.file,
                    _line_in(h, body, m.start()),
                    h.method,
                    h.path,
                    bound is not None,
                    seen.strip()[:80],
                )
            )
            break
    return out


def _argument(text: str, start: int) -> str:
    """The first argument of the call whose arguments begin at ``start``."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif c == "," and depth == 0:
            break
        i += 1
    return text[start:i].strip()


_REQUEST_READ = re.compile(
    r"\brequest\.(args|form|values|json|data|get_json|query_params|GET|POST)\b|"
    r"\breq\.(query|body|params)\b|\bctx\.(query|request)\b|\bc\.req\.(query|param|json)\b"
)


def patterns_from_input(handlers: Sequence[Handler], inputs: dict[str, list[str]]) -> list[Hazard]:
    """Handlers that compile a request value as a regular expression, with the field it comes
    from. ``inputs`` maps "METHOD /path" to the request fields the handler reads."""
    out: list[Hazard] = []
    for h in handlers:
        if h.language == "go":
            continue
        call = _REGEX_CALL[_lang(h.language)]
        fields = inputs.get(f"{h.method} {h.path}", [])
        for m in call.finditer(h.body):
            arg = _argument(h.body, m.end())
            literal = arg[0] in "'\"/" or arg.startswith(("r'", 'r"'))
            if not arg or literal or (arg[0] == "`" and "${" not in arg):
                continue
            names = set(re.findall(r"[A-Za-z_]\w*", arg))
            # the right-hand sides that assign those names, within the handler
            text = arg
            for name in names:
                for a in re.finditer(
                    rf"(?m)^\s*(?:const|let|var)?\s*{re.escape(name)}\s*(?::\s*\w+\s*)?=\s*(.+)$",
                    h.body,
                ):
                    text += "\n" + a.group(1)
                for a in re.finditer(
                    r"(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(req|request)\.\w+", h.body
                ):
                    if name in re.findall(r"\w+", a.group(1)):
                        text += f"\nreq.query.{name}"
            escaped = bool(_ESCAPED.search(text))  # still a route to probe, bounded
            field = next((f for f in fields if re.search(rf"\b{re.escape(f)}\b", text)), None)
            if field is None and h.node is not None:
                params = [a.arg for a in h.node.args.args]
                field = next((p for p in params if p in names), None)
            if field is None and h.node is None:
                # JavaScript: names destructured from req.query/req.body are that field
                field = next((n for n in names if f"req.query.{n}" in text), None)
            if field is None:
                # data["pattern"] / body.get("pattern") from a body the API model did not list
                keys = re.findall(r"(?:\[|\.get\()\s*['\"](\w+)['\"]", text)
                field = keys[0] if keys and (_REQUEST_READ.search(h.body)) else None
            if field is None and not _REQUEST_READ.search(text):
                continue
            if field is None:
                field = next((f for f in fields if f.lower() in _PATTERN_WORDS), "")
            out.append(
                Hazard(
                    "regex",
                    field,
                    h.file,
                    _line_in(h, h.body, m.start()),
                    h.method,
                    h.path,
                    escaped,
                    h.body[m.start() : m.end() + len(arg) + 1].strip()[:80],
                )
            )
            break
    return out


_PY_NUMERIC = [
    re.compile(r"(\w+)\s*=\s*([^\n]*?)\bint\(\s*request\.\w+(?:\.get\(|\[)\s*['\"](\w+)['\"]"),
    re.compile(
        r"(\w+)\s*=\s*([^\n]*?)request\.(?:args|form|values)\.get\(\s*['\"](\w+)['\"][^)\n]*type\s*=\s*int"
    ),
]
_JS_NUMERIC = [
    re.compile(
        r"(\w+)\s*=\s*([^\n;]*?)(?:parseInt|Number|parseFloat)\(\s*(?:req|request)\.(?:query|body|params)\.(\w+)"
    ),
    re.compile(r"(\w+)\s*=\s*()\+\s*(?:req|request)\.(?:query|body|params)\.(\w+)"),
]
# the uses of a number that cost memory or time in proportion to it
_SIZE_SINKS = {
    "python": [
        r"\brange\(\s*(?:\w+\s*,\s*)?{v}\b",
        r"\bLIMIT\b[^\n]*\b{v}\b",
        r"\.(limit|resize|thumbnail)\(\s*\(?[^)\n]*\b{v}\b",
        r"\bImage\.new\([^)\n]*\b{v}\b",
        r"(\]|['\"])\s*\*\s*{v}\b|\b{v}\s*\*\s*(\[|b?['\"])",
        r"\b(bytearray|os\.urandom|token_bytes|token_hex|zeros|ones)\(\s*{v}\b",
    ],
    "javascript": [
        r"<=?\s*{v}\b\s*;",
        r"\bArray\(\s*{v}\b|\blength\s*:\s*{v}\b|\.repeat\(\s*{v}\b|\bBuffer\.(alloc|allocUnsafe)\(\s*{v}\b",
        r"\bLIMIT\b[^\n]*\b{v}\b",
        r"\.(limit|resize|take)\(\s*[^)\n]*\b{v}\b",
        r"\brandomBytes\(\s*{v}\b",
    ],
}
_CAPS = [
    r"\bmin\(\s*[^)\n]*\b{v}\b",
    r"\bMath\.min\(\s*[^)\n]*\b{v}\b",
    # compared with a maximum (a number above 1, a constant, a *max*/*limit* setting)
    r"\b{v}\s*>=?\s*(?:\d{{2,}}|[2-9]|[A-Z_][A-Z0-9_]*\b|[\w.]*(?i:max|limit|cap)\w*)",
    r"(?:\d{{2,}}|[2-9]|\b[A-Z_][A-Z0-9_]*|[\w.]*(?i:max|limit|cap)\w*)\s*<=?\s*{v}\b",
    r"\b{v}\s*<=?\s*(?:\d{{2,}}|[2-9]\b|[A-Z_][A-Z0-9_]*\b|[\w.]*(?i:max|limit|cap)\w*)",
    r"(?:\d{{2,}}|[2-9]|\b[A-Z_][A-Z0-9_]*|[\w.]*(?i:max|limit|cap)\w*)\s*>=?\s*{v}\b",
    r"\b{v}\s*(?:=|:)[^\n]*\b(le|lt)\s*=",
    r"\bclamp\w*\([^)\n]*\b{v}\b",
]


def _fastapi_numbers(h: Handler) -> list[tuple[str, str, bool]]:
    """(name, name, capped) of a FastAPI handler's int/float query parameters."""
    if h.node is None:
        return []
    import ast

    out = []
    args = h.node.args
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    for a, default in zip(args.args, defaults, strict=False):
        ann = ast.unparse(a.annotation) if a.annotation is not None else ""
        if not re.search(r"\b(int|float)\b", ann) or "{" + a.arg + "}" in h.path:
            continue
        extra = ann + (ast.unparse(default) if default is not None else "")
        out.append((a.arg, a.arg, bool(re.search(r"\b(le|lt)\s*=", extra))))
    return out


def unbounded_sizes(handlers: Sequence[Handler]) -> list[Hazard]:
    """Numeric request values used as sizes, counts or loop bounds; ``bounded`` when a cap is
    visible (min(), a comparison with a maximum, a validator's le=)."""
    out: list[Hazard] = []
    for h in handlers:
        if h.language == "go":
            continue
        lang = _lang(h.language)
        found: list[tuple[str, str, bool]] = []
        for rx in _PY_NUMERIC if lang == "python" else _JS_NUMERIC:
            # min(int(...), 100) on the assignment itself caps it
            found += [
                (m.group(1), m.group(3), bool(re.search(r"\bmin\(", m.group(2))))
                for m in rx.finditer(h.body)
            ]
        if lang == "python":
            # int(data["count"]) where data = request.get_json(), request.args, request.json()
            bodies = re.findall(
                r"(\w+)\s*=\s*(?:await\s+)?request\.(?:get_json\(|json\b|form\b|args\b|values\b)",
                h.body,
            )
            for name in set(bodies):
                read = rf"{name}(?:\.get\(|\[)\s*['\"](\w+)['\"]"
                rx = rf"(\w+)\s*=\s*([^\n]*?)\b(?:int|float)\(\s*{read}"
                found += [
                    (m.group(1), m.group(3), bool(re.search(r"\bmin\(", m.group(2))))
                    for m in re.finditer(rx, h.body)
                ]
        for m in re.finditer(
            r"(?:const|let|var)\s*\{([^}]*)\}\s*=\s*(?:req|request)\.(?:query|body)", h.body
        ):
            for name in re.findall(r"(\w+)(?:\s*=\s*[^,}]+)?", m.group(1)):
                conv = re.search(
                    rf"(\w+)\s*=\s*(?:parseInt|Number|parseFloat)\(\s*{name}\b", h.body
                )
                if conv:
                    found.append((conv.group(1), name, False))
        if lang == "python":
            found += _fastapi_numbers(h)
        for var, field, capped in found:
            v = re.escape(var)
            sink = next(
                (m for s in _SIZE_SINKS[lang] if (m := re.search(s.format(v=v), h.body))), None
            )
            if sink is None:
                continue
            cap = capped or any(re.search(c.format(v=v), h.body) for c in _CAPS)
            out.append(
                Hazard(
                    "size",
                    field,
                    h.file,
                    _line_in(h, h.body, sink.start()),
                    h.method,
                    h.path,
                    cap,
                    sink.group(0).strip()[:80],
                )
            )
    return out
