"""Body and query fields named by a validation schema in a route's middleware chain:
``validate(schemas.projectCreate)`` with ``projectCreate: Joi.object({...})`` in another module,
``validateBody(createSchema)`` with ``const createSchema = z.object({...})``, express-validator's
``body('email')``. Layered Express projects read the validated object (``req.valid.body``,
``res.locals.data``), not ``req.body.name``, so the schema is where the field names are."""

from __future__ import annotations

import re
from pathlib import Path

from harness.app._files import is_test_path, list_files, read_text
from harness.app._js_text import JS_EXTENSIONS, blank_comments, call_end

# validate(schema) / validateBody(x.schema, 'query') / celebrate(schema): the schema reference
_VALIDATE = re.compile(
    r"\b\w*(?:[Vv]alidat\w*|celebrate|[Ss]chema\w*)\s*\(\s*([A-Za-z_$][\w$.]*)\s*"
    r"(?:,\s*['\"](\w+)['\"]\s*)?\)"
)
# projectSchema.parse(req.body) / schemas.login.validate(req.body) inside the handler
_PARSE = re.compile(
    r"\b([A-Za-z_$][\w$.]*)\s*\.\s*(?:safeParse|parseAsync|parse|validateAsync|validate)\s*\(\s*"
    r"req(?:uest)?\s*\.\s*(body|query)\b"
)
_EXPRESS_VALIDATOR = re.compile(r"\b(body|check|query)\s*\(\s*['\"]([A-Za-z_][\w-]{0,63})['\"]")
_KEY = re.compile(r"""\s*(?:([A-Za-z_$][\w$]*)|'([^'\n]+)'|"([^"\n]+)")\s*:""")
_SHORTHAND = re.compile(r"\s*([A-Za-z_$][\w$]*)\s*(?=[,}])")  # { email, password }
_NAME = re.compile(r"^[A-Za-z_][\w-]{0,63}$")


def schema_inputs(definitions: dict[str, list[str]], chunk: str) -> tuple[list[str], list[str]]:
    """(query fields, body fields) named by the validators in one route call ``chunk``
    (``definitions``: from ``schema_definitions``)."""
    query: list[str] = []
    body: list[str] = []
    for source, name in _EXPRESS_VALIDATOR.findall(chunk):
        (query if source == "query" else body).append(name)
    for ref, where in [*_VALIDATE.findall(chunk), *_PARSE.findall(chunk)]:
        if where in ("params", "headers", "cookies"):
            continue
        fields = definitions.get(ref.split(".")[-1], [])
        (query if where == "query" else body).extend(fields)
    return query, body


def schema_definitions(root: Path) -> dict[str, list[str]]:
    """Schema name -> its object's top-level keys, over the repo's own JS/TS files."""
    out: dict[str, list[str]] = {}
    for rel in list_files(root):
        if not rel.endswith(JS_EXTENSIONS) or is_test_path(rel):
            continue
        text = read_text(root / rel)
        if not text or "object" not in text:
            continue
        text = blank_comments(text)
        for m in re.finditer(
            r"\b([A-Za-z_$][\w$]*)\s*[:=]\s*(?:[\w$]+\s*\.\s*)?object\s*\(\s*\{", text
        ):
            keys = _top_keys(text, m.end() - 1)
            if keys:
                out.setdefault(m.group(1), keys)
    return out


def _top_keys(text: str, brace: int) -> list[str]:
    """Keys of the object literal opening at ``text[brace]`` (nested values skipped)."""
    end = call_end(text, brace, max_chars=20000)
    keys: list[str] = []
    i = brace + 1
    while i < end - 1:
        m = _KEY.match(text, i) or _SHORTHAND.match(text, i)
        if m is not None:
            key = next(g for g in m.groups() if g is not None)
            if _NAME.match(key):
                keys.append(key)
            i = m.end()
        # skip the value: up to the next comma at this depth
        while i < end - 1 and text[i] != ",":
            i = _skip(text, i)
        i += 1
    return keys


def _skip(text: str, i: int) -> int:
    """Past the bracketed group or string starting at ``i``, else one character on."""
    c = text[i]
    if c in "([{":
        return call_end(text, i, max_chars=20000)
    if c in "'\"`":
        j = i + 1
        while j < len(text) and text[j] != c:
            j += 2 if text[j] == "\\" else 1
        return j + 1
    return i + 1
