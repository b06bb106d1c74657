"""What a Go handler reads from the request: the JSON fields of the struct it binds
(``c.ShouldBindJSON(&req)``, ``json.NewDecoder(r.Body).Decode(&req)``, ``c.Bind``,
``c.BodyParser``) from its ``json`` tags, query parameters (``c.Query("q")``,
``r.URL.Query().Get("q")``, ``c.QueryParam``), form values (``r.FormValue``, ``c.PostForm``) and
uploads (``FormFile``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from harness.app._js_text import call_end
from harness.app._model import Route
from harness.app._routes import unique

if TYPE_CHECKING:
    from harness.app._go_routes import _GoPackage

_STRUCT = re.compile(r"\btype\s+(\w+)\s+struct\s*\{")
_FIELD = re.compile(r"^\s*(\w+)(?:\s*,\s*\w+)*\s+[^\n`]*?(?:`([^`]*)`)?\s*$", re.M)
_TAG = re.compile(r'\b(json|form)\s*:\s*"([^",]*)')


def struct_fields(texts: dict[str, str]) -> dict[str, list[str]]:
    """Struct type -> the names its fields travel under in JSON or forms (tag, else the field
    name; ``json:"-"`` and unexported fields are left out)."""
    out: dict[str, list[str]] = {}
    for text in texts.values():
        for m in _STRUCT.finditer(text):
            brace = m.end() - 1
            out[m.group(1)] = fields_of(text[brace + 1 : call_end(text, brace) - 1])
    return out


def fields_of(body: str) -> list[str]:
    names: list[str] = []
    for m in _FIELD.finditer(body):
        name, tag = m.group(1), m.group(2) or ""
        tags = dict(_TAG.findall(tag))
        value = tags.get("json") or tags.get("form")
        if value == "-":
            continue
        if value:
            names.append(value)
        elif name[:1].isupper():
            names.append(name)
    return names


def _var_type(body: str, var: str, structs: dict[str, list[str]]) -> list[str]:
    """The fields of ``var``: declared ``var v T``, ``v := T{}``/``&T{}``/``new(T)``, or an
    inline ``var v struct {...}``."""
    name = re.escape(var.split(".")[-1])
    inline = re.search(rf"\bvar\s+{name}\s+struct\s*\{{", body)
    if inline:
        brace = inline.end() - 1
        return fields_of(body[brace + 1 : call_end(body, brace) - 1])
    m = re.search(
        rf"\bvar\s+{name}\s+\*?(?:\w+\.)?(\w+)|\b{name}\s*:=\s*(?:&|new\()?(?:\w+\.)?(\w+)\s*[{{)]",
        body,
    )
    if m:
        return structs.get(m.group(1) or m.group(2), [])
    param = re.search(rf"\b{name}\s+\*?(?:\w+\.)?(\w+)\s*[,)]", body)
    return structs.get(param.group(1), []) if param else []


# what a handler reads: a bound struct, query parameters, form values, uploads
_BIND = re.compile(
    r"\.(ShouldBindJSON|BindJSON|ShouldBind|Bind|ShouldBindWith|BodyParser|Decode|Unmarshal"
    r"|ShouldBindBodyWith)\(\s*(?:[\w.]+\s*,\s*)?&([\w.]+)"
)
_QUERY = re.compile(
    r"\.(?:Query|DefaultQuery|GetQuery|QueryParam|QueryArray|QueryInt|QueryBool)\(\s*\"([\w.-]+)\""
    r"|\bQuery\(\)\s*\.\s*Get\(\s*\"([\w.-]+)\"|\b(?:query|q|params|values)\.Get\(\s*\"([\w.-]+)\""
)
_FORM = re.compile(
    r"\.(?:PostForm|DefaultPostForm|FormValue|PostFormValue|GetPostForm)\(\s*\"([\w.-]+)\""
)
_FILE = re.compile(r"\.FormFile\(\s*\"([\w.-]+)\"")


def read_inputs(
    body: str, structs: dict[str, list[str]]
) -> tuple[list[str], list[str], str | None]:
    """(query parameters, body fields, body kind) a handler's source reads."""
    query = [next(g for g in m.groups() if g) for m in _QUERY.finditer(body)]
    fields: list[str] = []
    kind: str | None = None
    for m in _BIND.finditer(body):
        if m.group(1) == "Unmarshal" and "Body" not in body:
            continue
        fields += _var_type(body, m.group(2), structs)
        kind = "json"
    form = _FORM.findall(body)
    uploads = _FILE.findall(body)
    if uploads or "MultipartForm" in body:
        return unique(query), unique([*uploads, *form, *fields]), "multipart"
    if form and not fields:
        return unique(query), unique(form), "form"
    return unique(query), unique([*fields, *form]), kind


def fill_inputs(pkgs: dict[str, _GoPackage], routes: list[Route]) -> None:
    """Fill the inputs of ``routes`` in place, each from its handler function or its inline
    closure, with struct types from every package."""
    from harness.app._go_routes import GoDecl, handler_body

    texts = {rel: t for p in pkgs.values() for rel, t in p.texts.items()}
    structs = struct_fields(texts)
    decls = {
        (d.file, d.line): (p, d)
        for p in pkgs.values()
        for ds in p.routes.values()
        for d in ds
        if isinstance(d, GoDecl)
    }
    for route in routes:
        hit = decls.get((route.file, route.line))
        if hit is None:
            continue
        pkg, d = hit
        body = texts[d.file][d.start : d.end]
        if d.handler:
            found = handler_body(pkgs, pkg, d.handler)
            if found is not None:
                rel, fn = found
                body = texts[rel][fn.start : fn.end]
        q, b, kind = read_inputs(body, structs)
        route.query_params, route.body_fields = q, b
        route.body_kind = kind  # type: ignore[assignment]
