"""What a Python route handler reads from the request: query parameters and body fields.

Generated apps rarely describe their inputs, but their handlers say it plainly:
``request.args.get("q")``, ``data["expression"]``, a pydantic model in a FastAPI signature.
Knowing these lets the probes put payloads where the app reads them (a SQL payload into
``?query=``, a registration with the fields it requires) instead of guessing names.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path, PurePosixPath

from harness.app._files import read_text
from harness.app._model import Route
from harness.app._pyast import const_str, dotted, parse
from harness.app._routes import unique

_NAME = re.compile(r"^[A-Za-z_][\w-]{0,63}$")
_SIMPLE_TYPES = {"str", "int", "float", "bool", "Optional", "Union", "List", "list", "Literal"}
_FILE_TYPES = {"UploadFile", "File"}
_LOADS = {"load", "validate", "model_validate", "parse_obj", "model_validate_json"}


def python_inputs(text: str, routes: list[Route], root: Path | None = None) -> None:
    """Fill the inputs of ``routes`` (all in one file with source ``text``) in place; with
    ``root``, request models imported from the repo's other modules count too."""
    tree = parse(text)
    if tree is None:
        return
    funcs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    models = _pydantic_models(tree)
    if root is not None and routes:
        models = {**imported_models(tree, root, routes[0].file), **models}
    for route in routes:
        fn = _handler(funcs, route)
        if fn is None:
            continue
        query, body, kind = _python_handler(fn, models, route.path, _readers(funcs))
        # added to what the route reader knew already (a DRF serializer's fields)
        route.query_params = unique([*route.query_params, *query])
        route.body_fields = unique([*route.body_fields, *body])
        route.body_kind = kind or route.body_kind


def _handler(
    funcs: list[ast.FunctionDef | ast.AsyncFunctionDef], route: Route
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    named = [f for f in funcs if route.handler and f.name == route.handler]
    for f in named:
        if any(getattr(d, "lineno", -1) == route.line for d in f.decorator_list):
            return f
    if named:
        return min(named, key=lambda f: abs(f.lineno - route.line))
    after = [f for f in funcs if 0 <= f.lineno - route.line <= 12]
    return min(after, key=lambda f: f.lineno) if after else None


def _pydantic_models(tree: ast.Module) -> dict[str, list[str]]:
    """Class name -> annotated field names, for classes that look like request models."""
    out: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            fields = [
                s.target.id
                for s in node.body
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
            ] + _schema_fields(node)
            if fields:
                out[node.name] = fields
    return _inherit(tree, out)


def _schema_fields(node: ast.ClassDef) -> list[str]:
    """marshmallow-style declarations: ``email = fields.Email(required=True)``."""
    return [
        s.targets[0].id
        for s in node.body
        if isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Name)
        and isinstance(s.value, ast.Call)
        and dotted(s.value.func).split(".")[-2:-1] == ["fields"]
    ]


def _schema_reads(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    models: dict[str, list[str]],
    helpers: dict[str, str],
) -> tuple[list[str], list[str]]:
    """(query, body) fields of schemas a handler loads the request with: marshmallow's
    ``RegisterSchema().load(request.get_json())``, pydantic's ``Model.model_validate(data)``
    with ``data = request.json``; a load of ``request.args`` names query parameters. Loads of
    anything else (an ORM row into a response model) are not inputs."""
    bound = {
        t.id: k
        for n in ast.walk(fn)
        if isinstance(n, ast.Assign)
        and (k := _source_kind(n.value) or _helper_kind(n.value, helpers))
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    query: list[str] = []
    body: list[str] = []
    for node in ast.walk(fn):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LOADS
        ):
            continue
        owner = node.func.value
        name = dotted(owner.func) if isinstance(owner, ast.Call) else dotted(owner)
        fields = models.get(name.split(".")[-1], [])
        arg = node.args[0] if node.args else None
        if not fields or arg is None:
            continue
        source = _source_kind(arg) or _helper_kind(arg, helpers)
        if source is None and isinstance(arg, ast.Name):
            source = bound.get(arg.id)
        if source is not None:
            (query if source == "query" else body).extend(fields)
    return query, body


def _inherit(tree: ast.Module, models: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fields of a model's bases (defined in the same module) come before its own: layered
    projects declare ``class ItemCreate(ItemBase)`` or a shared ``Strict(BaseModel)`` base."""
    classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}

    def fields(name: str, seen: frozenset[str]) -> list[str]:
        node = classes.get(name)
        if node is None or name in seen:
            return []
        inherited = [f for b in node.bases for f in fields(dotted(b), seen | {name})]
        return unique([*inherited, *models.get(name, [])])

    return {name: f for name in classes if (f := fields(name, frozenset()))}


def _module_file(root: Path, rel: str, module: str, level: int) -> Path | None:
    """The repo file a ``from <module> import`` names, relative to the importing file for
    relative imports, else to the repo root or any folder above the importing file."""
    parts = [p for p in module.split(".") if p]
    here = PurePosixPath(rel).parent
    if level:
        bases = [here.parents[level - 2] if level > 1 and len(here.parents) >= level - 1 else here]
    else:
        bases = [here, *here.parents]
    for base in bases:
        stem = root.joinpath(*base.parts, *parts)
        for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
            if parts and candidate.is_file():
                return candidate
    return None


def imported_models(tree: ast.Module, root: Path, rel: str) -> dict[str, list[str]]:
    """Request models a handler file imports from the repo's own modules (``from app.schemas
    import ItemIn``, ``from .schemas import ItemIn``, ``from app import schemas``)."""
    out: dict[str, list[str]] = {}
    read: dict[Path, dict[str, list[str]]] = {}  # each module parsed once

    def models_of(path: Path) -> dict[str, list[str]]:
        if path not in read:
            text = read_text(path)
            module = parse(text) if text else None
            read[path] = _pydantic_models(module) if module is not None else {}
        return read[path]

    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _module_file(root, rel, node.module or "", node.level)
        for alias in node.names:
            submodule = _module_file(root, rel, f"{node.module or ''}.{alias.name}", node.level)
            path = submodule or source
            found = models_of(path) if path is not None else {}
            if submodule is not None:
                out.update(found)  # a module: ``schemas.ItemIn`` is looked up by class name
            elif alias.name in found:
                out[alias.asname or alias.name] = found[alias.name]
    return out


def _source_kind(node: ast.AST) -> str | None:
    """'query', 'json', 'form' or 'files' when ``node`` reads a request container."""
    if isinstance(node, ast.BoolOp):  # request.get_json() or {}
        kinds = [k for v in node.values if (k := _source_kind(v))]
        return kinds[0] if kinds else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("to_dict", "copy", "dict")
    ):
        return _source_kind(node.func.value)
    name = dotted(node)
    if name in ("request.args", "request.values", "request.query_params", "request.query"):
        return "query"  # request.query: aiohttp
    if name in ("request.rel_url.query",):
        return "query"
    if name in ("request.form", "request.post()"):  # await request.post(): aiohttp
        return "form"
    if name in ("request.files",):
        return "files"
    if name in ("request.json", "request.get_json()", "request.data", "request.get_data()"):
        return "json"
    if isinstance(node, ast.Await):
        return _source_kind(node.value)
    if name.endswith("request.json()") or name.endswith("request.get_json()"):
        return "json"
    return None


def _simple(ann: str) -> bool:
    """``str``, ``int``, ``Optional[int]``, ``str | None``: a query parameter's type."""
    return ann.split("[")[0] in _SIMPLE_TYPES or ann.split("|")[0].strip() in _SIMPLE_TYPES


def _key_of(node: ast.AST) -> str | None:
    """The string key of ``x.get("k")`` / ``x["k"]`` / ``x.getlist("k")``."""
    if isinstance(node, ast.Subscript):
        return const_str(node.slice)
    if isinstance(node, ast.Call) and node.args:
        return const_str(node.args[0])
    return None


def _readers(funcs: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> dict[str, str]:
    """Helpers that hand back a request container (``data = await request.json(); ...;
    return data``), by name: a handler calling one reads that container."""
    out: dict[str, str] = {}
    for f in funcs:
        bound = {
            t.id: k
            for n in ast.walk(f)
            if isinstance(n, ast.Assign) and (k := _source_kind(n.value))
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for n in ast.walk(f):
            if isinstance(n, ast.Return) and n.value is not None:
                kind = _source_kind(n.value) or (
                    bound.get(n.value.id) if isinstance(n.value, ast.Name) else None
                )
                if kind:
                    out[f.name] = kind
                    break
    return out


def _helper_kind(node: ast.AST, helpers: dict[str, str]) -> str | None:
    if isinstance(node, ast.Await):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return helpers.get(node.func.id)
    return None


def _python_handler(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    models: dict[str, list[str]],
    path: str,
    helpers: dict[str, str] | None = None,
) -> tuple[list[str], list[str], str | None]:
    query: list[str] = []
    body: list[str] = []
    kind: str | None = None
    path_names = set(re.findall(r"\{(\w+)", path))
    # FastAPI signature: models are bodies, simple annotated parameters are query parameters
    args = fn.args.args + fn.args.kwonlyargs
    defaults = [None] * (len(fn.args.args) - len(fn.args.defaults)) + list(fn.args.defaults)
    defaults += list(fn.args.kw_defaults)
    for arg, default in zip(args, defaults, strict=False):
        if arg.arg in path_names or arg.arg in ("self", "request", "db", "session"):
            continue
        ann = ast.unparse(arg.annotation) if arg.annotation is not None else ""
        dflt = dotted(default.func) if isinstance(default, ast.Call) else ""
        if "OAuth2PasswordRequestForm" in ann:
            body += ["username", "password"]
            kind = "form"
        elif dflt.endswith("Form"):
            body.append(arg.arg)
            kind = "form"
        elif dflt.endswith("File") or any(t in ann for t in _FILE_TYPES):
            body.append(arg.arg)
            kind = "multipart"
        elif dflt.endswith(("Depends", "Header", "Cookie", "Security")):
            continue
        elif ann.split("[")[0].split(".")[-1] in models:
            body += models[ann.split("[")[0].split(".")[-1]]
            kind = kind or "json"
        elif dflt.endswith("Body"):
            body.append(arg.arg)
            kind = kind or "json"
        elif dflt.endswith("Query") or _simple(ann):
            query.append(arg.arg)
    schema_query, schema_body = _schema_reads(fn, models, helpers or {})
    query += schema_query
    if schema_body:
        body += schema_body
        kind = kind or "json"
    # Flask style: names bound to request containers, then keys read from them
    bound: dict[str, str] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            src = _source_kind(node.value) or _helper_kind(node.value, helpers or {})
            target = node.targets[0]
            if src and isinstance(target, ast.Name):
                bound[target.id] = src
            elif src and isinstance(target, ast.Tuple):
                continue
    for node in ast.walk(fn):
        container: ast.AST | None = None
        if isinstance(node, ast.Subscript):
            container = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "getlist", "pop")
        ):
            container = node.func.value
        if container is None:
            continue
        src = _source_kind(container)
        if src is None and isinstance(container, ast.Name):
            src = bound.get(container.id)
        key = _key_of(node)
        if src is None or key is None or not _NAME.match(key):
            continue
        if src == "query":
            query.append(key)
        else:
            body.append(key)
            if src == "files":
                kind = "multipart"
            elif src == "form" and kind != "multipart":
                kind = "form"
            elif kind is None:
                kind = "json"
    return query, body, kind
