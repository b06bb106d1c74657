"""What the source says about a GraphQL server: the library, where its endpoint may be mounted,
and its schema as SDL text: schema files (.graphql/.gql), SDL held in strings (gql template
literals, ``typeDefs``, ``make_executable_schema(type_defs)``), and code-first declarations
(Strawberry and Graphene classes, NestJS ``@ObjectType``/``@Resolver``) rendered as SDL so that
one parser reads them all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pydantic import BaseModel, Field

from harness.app._files import is_test_path, list_files, read_text

# library -> the import that shows it, and the path it serves when none is given
_SERVERS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("apollo-standalone", re.compile(r"\bstartStandaloneServer\b"), "/"),
    ("apollo", re.compile(r"['\"](@apollo/server|apollo-server(-\w+)?)['\"]"), "/graphql"),
    ("yoga", re.compile(r"['\"](graphql-yoga|@graphql-yoga/\w+)['\"]"), "/graphql"),
    ("mercurius", re.compile(r"['\"]mercurius['\"]"), "/graphql"),
    ("nestjs-graphql", re.compile(r"['\"]@nestjs/graphql['\"]"), "/graphql"),
    ("express-graphql", re.compile(r"['\"]express-graphql['\"]"), "/graphql"),
    ("graphql-http", re.compile(r"['\"]graphql-http(/lib/use/\w+)?['\"]"), "/graphql"),
    ("strawberry", re.compile(r"^\s*(import|from)\s+strawberry\b", re.M), "/graphql"),
    ("graphene", re.compile(r"^\s*(import|from)\s+graphene(_django)?\b", re.M), "/graphql"),
    ("ariadne", re.compile(r"^\s*(import|from)\s+ariadne\b", re.M), "/graphql"),
)
_CODE = (".js", ".mjs", ".cjs", ".ts", ".mts", ".py")
_SCHEMA_FILES = (".graphql", ".gql", ".graphqls")
# a path literal naming the endpoint: '/graphql', "/api/graphql", `graphql/` (Django)
_PATH_LITERAL = re.compile(
    r"(?<!require\()(?<!from )['\"`](/?[\w/-]*\b(?:graphql|gql)\b[\w/-]*)['\"`]"
)
_OPTION_PATH = re.compile(r"\b(?:graphqlEndpoint|path)\s*:\s*['\"`](/[\w/-]*)['\"`]")
_TYPE_DEF = re.compile(r"^\s*(extend\s+)?(type|input|interface|schema)\b[^{\n]*\{", re.M)
_SDL_STRING = re.compile(r"(`|\"\"\"|''')([\s\S]*?)\1")


class GraphQLSource(BaseModel):
    """The GraphQL server as the repo declares it."""

    servers: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)  # endpoint candidates, best first
    sdl: list[str] = Field(default_factory=list)  # SDL texts (files, strings, code-first)
    files: list[str] = Field(default_factory=list)  # where the server and schema were seen

    @property
    def present(self) -> bool:
        return bool(self.servers)


def read_graphql(root: Path) -> GraphQLSource:
    """The GraphQL server of the repo at ``root`` (``present`` is False when there is none)."""
    out = GraphQLSource()
    paths: list[str] = []
    defaults: list[str] = []
    for rel in list_files(root):
        if is_test_path(rel):
            continue
        suffix = Path(rel).suffix.lower()
        if suffix not in _CODE and suffix not in _SCHEMA_FILES:
            continue
        text = read_text(root / rel)
        if not text:
            continue
        if suffix in _SCHEMA_FILES:
            if _TYPE_DEF.search(text):  # not a client's query documents
                out.sdl.append(text)
                out.files.append(rel)
            continue
        found = [(name, default) for name, rx, default in _SERVERS if rx.search(text)]
        for name, default in found:
            if name not in out.servers:
                out.servers.append(name)
            defaults.append(default)
        if found or "graphql" in text.lower():
            paths += _paths(text)
        sdl = [m.group(2) for m in _SDL_STRING.finditer(text) if _is_sdl(m.group(2))]
        code = _code_first(text, suffix)
        if found or sdl or code:
            out.files.append(rel)
        out.sdl += sdl + ([code] if code else [])
    ordered = [*paths, *defaults, "/graphql", "/api/graphql", "/"]
    out.paths = list(dict.fromkeys(ordered))[:8]
    return out


def _is_sdl(text: str) -> bool:
    return bool(re.search(r"\b(type|extend\s+type)\s+(Query|Mutation)\b[^{]*\{", text))


def _paths(text: str) -> list[str]:
    out = []
    for rx in (_OPTION_PATH, _PATH_LITERAL):
        for m in rx.finditer(text):
            value = m.group(1)
            if value.startswith(("graphql-", "/graphql-")) or value.count("graphql") > 1:
                continue  # a package name (graphql-depth-limit), not a route
            bare = "/" + value.strip("/") if value.strip("/") else "/"
            if value.endswith("/") and bare != "/":
                out.append(bare + "/")  # Django's path("graphql/"): the slash is the route
            out.append(bare)
    return out


# ------------------------------------------------------------------------------- code first


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


_PY_TYPES = {"str": "String", "int": "Int", "float": "Float", "bool": "Boolean", "ID": "ID"}


def _py_type(node: ast.expr | None) -> str:
    """``list[Note]`` -> ``[Note]``, ``Optional[str]`` -> ``String``, ``strawberry.ID`` -> ID."""
    if node is None:
        return ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip("'\"")
    if isinstance(node, ast.Name):
        return _PY_TYPES.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return _PY_TYPES.get(node.attr, node.attr)
    if isinstance(node, ast.Subscript):
        outer = _py_type(node.value)
        inner = _py_type(
            node.slice if not isinstance(node.slice, ast.Tuple) else node.slice.elts[0]
        )
        return f"[{inner}]" if outer in ("list", "List", "Sequence", "Iterable") else inner
    if isinstance(node, ast.BinOp):  # str | None
        return _py_type(node.left)
    return ""


def _graphene_type(call: ast.expr) -> str:
    """``graphene.List(Note)`` -> ``[Note]``, ``graphene.String()`` -> String."""
    if not isinstance(call, ast.Call):
        return ""
    name = _py_type(call.func)
    if name in ("List", "NonNull") and call.args:
        inner = _graphene_type(call.args[0]) or _py_type(call.args[0])
        return f"[{inner}]" if name == "List" else inner
    if name in ("Field", "Argument") and call.args:
        return _graphene_type(call.args[0]) or _py_type(call.args[0])
    return name


def _py_args(args: ast.arguments) -> list[str]:
    """``(self, info, note_id: strawberry.ID, limit: int = 10)`` -> ``noteId: ID!, limit: Int``."""
    params = args.args[1:]
    first_default = len(params) - len(args.defaults)
    out = []
    for i, a in enumerate(params):
        gql = _py_type(a.annotation)
        if a.arg in ("info", "root") or not gql or gql in ("Info", "ResolveInfo"):
            continue
        optional = i >= first_default or re.search(r"Optional|None", ast.unparse(a.annotation))
        out.append(f"{_camel(a.arg)}: {gql}{'' if optional else '!'}")
    return out


def _is_resolver(item: ast.FunctionDef | ast.AsyncFunctionDef, strawberry: bool) -> bool:
    """A Strawberry ``@strawberry.field`` / ``@strawberry.mutation`` method."""
    decos = [ast.unparse(d) for d in item.decorator_list]
    return strawberry and any("field" in d or "mutation" in d for d in decos)


def _python_classes(text: str) -> list[str]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    blocks = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        decos = [ast.unparse(d) for d in node.decorator_list]
        bases = [ast.unparse(b) for b in node.bases]
        strawberry = any(re.match(r"strawberry\.(type|input)\b|^(type|input)$", d) for d in decos)
        graphene = any(re.search(r"\b(ObjectType|InputObjectType|Mutation)$", b) for b in bases)
        if not (strawberry or graphene):
            continue
        is_input = any(".input" in d or d == "input" for d in decos) or any(
            b.endswith("InputObjectType") for b in bases
        )
        kind = "input" if is_input else "type"
        fields = []
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                if "Private[" in ast.unparse(item.annotation):
                    continue  # strawberry.Private: kept off the schema
                fields.append((item.target.id, _py_type(item.annotation)))
            elif isinstance(item, ast.Assign) and graphene and len(item.targets) == 1:
                target = item.targets[0]
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    fields.append((target.id, _graphene_type(item.value)))
            elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _is_resolver(
                item, strawberry
            ):
                args = _py_args(item.args)
                sig = f"({', '.join(args)})" if args else ""
                fields.append((item.name + sig, _py_type(item.returns)))
        name = node.name
        if graphene and name not in ("Query", "Mutation") and "Mutation" in bases[-1:]:
            continue  # a graphene Mutation class is one mutation, not a type
        lines = [f"  {_camel(f)}: {t}" for f, t in fields if t]
        if lines:
            blocks.append(f"{kind} {name} {{\n" + "\n".join(lines) + "\n}")
    return blocks


_NEST_CLASS = re.compile(
    r"@(ObjectType|InputType|Resolver)\((?:[^()]|\([^()]*\))*\)\s*(?:export\s+)?class\s+(\w+)"
)
_ARROW = r"(?:\(\w*\)|\w+)\s*=>\s*"  # () => X, type => X, (of) => X
_NEST_FIELD = re.compile(
    rf"@Field\(\s*(?:{_ARROW}(\[?\w+\]?))?[^)]*\)\s*(\w+)[?!]?\s*:\s*([\w\[\]<>|\s]+?)\s*[;=]"
)
_NEST_OP = re.compile(
    rf"@(Query|Mutation)\(\s*(?:{_ARROW}(\[?\w+\]?))?[^)]*\)\s*(?:async\s+)?(\w+)\s*\("
)
_NEST_ARG = re.compile(
    rf"@Args\(\s*['\"](\w+)['\"](?:\s*,\s*\{{[^}}]*?type\s*:\s*{_ARROW}(\w+)[^}}]*\}})?[^)]*\)"
    r"\s*\w+\s*(\?)?\s*:\s*(\w+)"
)
_TS_TYPES = {"string": "String", "number": "Float", "boolean": "Boolean", "Date": "String"}


def _balanced(text: str, start: int) -> str:
    """The text inside the parenthesis opened just before ``start``."""
    depth = 1
    for i in range(start, min(len(text), start + 4000)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return text[start : start + 4000]


def _nest_args(params: str) -> str:
    args = []
    for name, typed, optional, ts in _NEST_ARG.findall(params):
        gql = typed or _TS_TYPES.get(ts, ts)
        args.append(f"{name}: {gql}{'' if optional else '!'}")
    return f"({', '.join(args)})" if args else ""


def _nest(text: str) -> list[str]:
    blocks: list[str] = []
    ops: dict[str, list[str]] = {"Query": [], "Mutation": []}
    marks = list(_NEST_CLASS.finditer(text))
    for i, m in enumerate(marks):
        body = text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        if m.group(1) == "Resolver":
            for op in _NEST_OP.finditer(body):
                sig = _nest_args(_balanced(body, op.end()))
                ops[op.group(1)].append(f"  {op.group(3)}{sig}: {op.group(2) or 'String'}")
            continue
        lines = []
        for f in _NEST_FIELD.finditer(body):
            ts = f.group(3).strip().replace("[]", "")
            gql = f.group(1) or _TS_TYPES.get(ts, ts)
            lines.append(f"  {f.group(2)}: {gql}")
        kind = "input" if m.group(1) == "InputType" else "type"
        if lines:
            blocks.append(f"{kind} {m.group(2)} {{\n" + "\n".join(lines) + "\n}")
    blocks += [f"type {k} {{\n" + "\n".join(v) + "\n}" for k, v in ops.items() if v]
    return blocks


def _code_first(text: str, suffix: str) -> str:
    if suffix == ".py" and re.search(r"\b(strawberry|graphene)\b", text):
        return "\n".join(_python_classes(text))
    if suffix in (".ts", ".js", ".mts") and ("@nestjs/graphql" in text or "type-graphql" in text):
        return "\n".join(_nest(text))
    return ""
