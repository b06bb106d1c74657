"""Own checks on resource exhaustion (CWE-400/770): request bodies and uploads without a size
limit, archives and images expanded without a bound (decompression bombs), numeric request values
used as sizes or loop bounds without a cap. User input compiled as a regular expression is a
semgrep rule (checks/semgrep/resource-exhaustion.yaml).

Where they are filed: an agent that promises input validation is held to bounded sizes
(`validation.input`), one that promises upload checks to bounded uploads and archives
(`validation.upload`), and one that promises protection against denial of service to all of them
(`robustness.resource-limits`): each check below is registered under its own requirement and again
under ``robustness.resource-limits``."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.app import Hazard, expansions, unbounded_sizes
from harness.catalogue import CheckSpec, not_applicable, passed
from harness.scorecard._model import CheckResult
from harness.static._declare import static_check
from harness.static._evaluate import cite, fail_with, finding_at
from harness.static._model import Location, StaticContext
from harness.static._routes import handlers

RESOURCE_LIMITS = "robustness.resource-limits"


def _both(name: str, requirement: str, title: str) -> Callable[[Callable], Callable]:
    """Register a check under its requirement and again under robustness.resource-limits."""

    def decorate(func: Callable) -> Callable:
        static_check(f"{requirement}.{name}", title=title)(func)
        static_check(f"{RESOURCE_LIMITS}.{name}", title=title)(func)
        return func

    return decorate


def _judge_hazards(
    ctx: StaticContext,
    spec: CheckSpec,
    found: list[Hazard],
    *,
    none: str,
    failing: str,
    why: str,
    passing: str,
    cited: tuple[str, str],
) -> CheckResult:
    """The verdict over the hazards a check found: n/a with ``none`` when there are none, a fail
    locating each unbounded one (``why`` formatted with the hazard ``hz``), else a pass citing
    every bound (``cited``: the evidence label and the word between route and detail)."""
    if not found:
        return not_applicable(spec, none)
    bad = [hz for hz in found if not hz.bounded]
    if bad:
        findings = []
        for hz in bad:
            source = ctx.file(hz.file)
            loc = source.location(hz.line) if source else Location(hz.file, hz.line)
            findings.append(finding_at(spec, loc, f"{hz.route}: {why.format(hz=hz)}", ctx))
        return fail_with(spec, failing, findings)
    label, word = cited
    bounds = [Location(hz.file, hz.line, f"{hz.route} {word}: {hz.detail}") for hz in found]
    return passed(spec, passing.format(n=len(found)), cite(label, bounds))


# ------------------------------------------------------------------------ body and upload size

# reads of an upload or of the raw body
# (Flask's request.get_data(); not request.data, which Django REST framework parses as JSON)
_PY_UPLOAD = r"\brequest\.files\b|\bUploadFile\b|\brequest\.get_data\("
_JS_UPLOAD = (
    r"\bmulter\b|\bformidable\b|\bbusboy\b|express-fileupload|\bfileUpload\(|"
    r"\bexpress\.raw\(|\bbodyParser\.raw\("
)
# a limit on the whole request (Flask / Werkzeug) or on FastAPI reads
_PY_LIMIT = (
    r"MAX_CONTENT_LENGTH['\"]?\s*[\]:=,)]\s*(?!None)\S|\bMAX_CONTENT_LENGTH\s*=\s*(?!None)\S|"
    r"max_content_length\s*=\s*(?!None)\S|MAX_FORM_MEMORY_SIZE"
)
_PY_READ_BOUND = (
    r"\.size\b\s*[<>]|[<>]=?\s*[\w.]*\.size\b|content[-_]length|\.read\(\s*(?:\d|[A-Z_][A-Z0-9_]*\b|[\w.]*(?i:max|limit|chunk)\w*)|"
    r"\.(spool_max_size|max_size)\b"
)
_JS_LIMITED = r"\blimits\s*:|\bmaxFileSize\s*:|\bmaxTotalFileSize\s*:|\blimit\s*:\s*['\"\d]"


def _js_unlimited_calls(ctx: StaticContext) -> list[Location]:
    """multer()/fileUpload()/formidable()/raw() parsers created without a size option."""
    out = []
    rx = re.compile(
        r"\b(multer|fileUpload|formidable|IncomingForm|busboy|Busboy|express\.raw|bodyParser\.raw)\s*\("
    )
    for f in ctx.sources_in("javascript", "typescript"):
        for m in rx.finditer(f.text):
            depth, i = 0, m.end() - 1
            while i < len(f.text):
                depth += {"(": 1, ")": -1}.get(f.text[i], 0)
                if depth == 0:
                    break
                i += 1
            args = f.text[m.end() : i]
            # options passed by name: look up the object it names
            named = re.fullmatch(r"\s*(\w+)\s*", args)
            if named:
                decl = re.search(rf"\b{named.group(1)}\s*=\s*\{{(.{{0,600}}?)\}}", f.text, re.S)
                args = decl.group(1) if decl else args
            if not re.search(_JS_LIMITED, args):
                out.append(f.location(f.line_of(m.start())))
    return out


@_both(
    "body-limit",
    "validation.upload",
    "requests that carry uploads or raw bodies have a size limit "
    "(MAX_CONTENT_LENGTH, multer limits, bounded reads)",
)
def body_limit(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a Flask app takes uploads with no `MAX_CONTENT_LENGTH`, a FastAPI `UploadFile` is
    read whole, or multer/express-fileupload/formidable/raw body parsers run without limits.

    Passes: every upload or raw body route has a size limit (cited). No upload: n/a."""
    py_uploads = ctx.search(_PY_UPLOAD, "python")
    js_uploads = ctx.search(_JS_UPLOAD, "javascript", "typescript")
    if not py_uploads and not js_uploads:
        return not_applicable(spec, "the app reads no uploads or raw request bodies")
    bad, good = [], []
    if py_uploads:
        flask = [loc for loc in py_uploads if "UploadFile" not in loc.text]
        limits = ctx.search(_PY_LIMIT, "python")
        if flask and not limits:
            bad += [
                finding_at(
                    spec,
                    loc,
                    "the upload is read with no MAX_CONTENT_LENGTH: any size is accepted",
                    ctx,
                )
                for loc in flask[:5]
            ]
        good += limits
        for h in handlers(ctx):
            if h.language != "python" or "UploadFile" not in h.body:
                continue
            whole = re.search(r"\.read\(\s*\)|\bshutil\.copyfileobj\(", h.body)
            if whole and not re.search(_PY_READ_BOUND, h.body) and not limits:
                source = ctx.file(h.file)
                line = h.line + h.body.count("\n", 0, whole.start())
                loc = source.location(line) if source else Location(h.file, line)
                bad.append(
                    finding_at(
                        spec,
                        loc,
                        f"{h.method} {h.path} reads the whole upload with no size bound",
                        ctx,
                    )
                )
            elif whole:
                good.append(Location(h.file, h.line, f"{h.method} {h.path}: bounded read"))
    if js_uploads:
        unlimited = _js_unlimited_calls(ctx)
        bad += [
            finding_at(spec, loc, "upload parser created without a size limit", ctx)
            for loc in unlimited
        ]
        if not unlimited:
            good += ctx.search(_JS_LIMITED, "javascript", "typescript")
    if bad:
        return fail_with(spec, "uploads or raw bodies are accepted without a size limit", bad)
    return passed(spec, "uploads and raw bodies are size-limited", cite("size limit", good))


# ------------------------------------------------------------------------ decompression bombs


@_both(
    "decompression-bomb",
    "validation.upload",
    "archives and images from requests are bounded before they are expanded "
    "(entry sizes, ratio, pixel count)",
)
def decompression(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a handler expands an archive (zipfile, tarfile, gzip, zlib, adm-zip, unzipper) or
    decodes an image (PIL, sharp) from the request with no bound on entry sizes, ratio or pixels.

    Passes: every such handler bounds it (cited). None unpacks or decodes: n/a."""
    return _judge_hazards(
        ctx,
        spec,
        expansions(handlers(ctx), ctx.sources),
        none="no handler unpacks an archive or decodes an image",
        failing="archives or images are expanded without a bound (decompression bomb)",
        why="{hz.label} data from the request is expanded with no size, ratio or pixel bound",
        passing="all {n} handlers that expand archives or images bound them first",
        cited=("bounds", "bounded by"),
    )


# ------------------------------------------------------------------------ sizes from requests


@_both(
    "unbounded-size",
    "validation.input",
    "numeric request values used as sizes, counts, loop bounds or LIMIT are capped",
)
def unbounded_size(ctx: StaticContext, spec: CheckSpec) -> CheckResult:
    """Fails: a numeric request value feeds `range`, `LIMIT`, `resize`, `Array(n)`, `token_hex` or
    a loop bound with no cap.

    Passes: every such value is capped (min/max, a comparison that refuses). None is used: n/a."""
    return _judge_hazards(
        ctx,
        spec,
        unbounded_sizes(handlers(ctx)),
        none="no numeric request value is used as a size or count",
        failing="numeric request values are used as sizes without a cap",
        why="'{hz.label}' from the request sizes {hz.detail!r} uncapped",
        passing="all {n} numeric request values used as sizes are capped",
        cited=("capped sizes", "sizes"),
    )
