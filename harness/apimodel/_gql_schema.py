"""A typed model of a GraphQL schema, read from SDL text (schema files, gql template literals,
Python strings), from code-first type declarations, or from an introspection result.

Only what the probes need: object types with their fields, each field's named type, whether it
is a list, and its arguments. Parsing is tolerant: a block it cannot read is skipped."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

SchemaSource = Literal["sdl", "code", "introspection", "none"]
SCALARS = {"ID", "String", "Int", "Float", "Boolean"}


class GqlArg(BaseModel):
    name: str
    type: str  # the named type: ID, String, NoteInput
    required: bool = False


class GqlField(BaseModel):
    name: str
    type: str  # the named type, list and non-null stripped
    is_list: bool = False
    args: list[GqlArg] = Field(default_factory=list)

    @property
    def required_args(self) -> list[GqlArg]:
        return [a for a in self.args if a.required]


class GqlType(BaseModel):
    name: str
    kind: Literal["object", "input", "interface"] = "object"
    fields: list[GqlField] = Field(default_factory=list)

    def field(self, name: str) -> GqlField | None:
        return next((f for f in self.fields if f.name == name), None)


class GqlSchema(BaseModel):
    types: dict[str, GqlType] = Field(default_factory=dict)
    query_type: str = "Query"
    mutation_type: str = "Mutation"
    source: SchemaSource = "none"

    @property
    def queries(self) -> list[GqlField]:
        t = self.types.get(self.query_type)
        return t.fields if t else []

    @property
    def mutations(self) -> list[GqlField]:
        t = self.types.get(self.mutation_type)
        return t.fields if t else []

    def object(self, name: str) -> GqlType | None:
        t = self.types.get(name)
        return t if t is not None and t.kind != "input" else None

    def merge(self, other: GqlSchema) -> None:
        """Add ``other``'s types and fields (``extend type Query`` spread over files)."""
        for name, t in other.types.items():
            mine = self.types.setdefault(name, GqlType(name=name, kind=t.kind))
            known = {f.name for f in mine.fields}
            mine.fields += [f for f in t.fields if f.name not in known]


# ---------------------------------------------------------------------------------------- SDL

_BLOCK = re.compile(
    r"\b(?:extend\s+)?(type|input|interface)\s+([A-Za-z_]\w*)"
    r"(?:\s+implements\s+[\w\s&,]+?)?(?:\s+@\w+(?:\([^)]*\))?)*\s*\{([^{}]*)\}",
)
_SCHEMA_ROOTS = re.compile(r"\bschema\s*\{([^{}]*)\}")
_COMMENT = re.compile(r"#[^\n]*|\"\"\"[\s\S]*?\"\"\"|\"[^\"\n]*\"")
_KINDS: dict[str, Any] = {"type": "object", "input": "input", "interface": "interface"}
_TOKEN = re.compile(r"[A-Za-z_]\w*|[()\[\]!:=@]|-?\d+(?:\.\d+)?")


def _read_type(toks: list[str], i: int) -> tuple[str, bool, bool, int]:
    """(named type, is list, non-null, next index) of the type starting at ``toks[i]``."""
    is_list = False
    while i < len(toks) and toks[i] == "[":
        is_list, i = True, i + 1
    name = toks[i] if i < len(toks) else ""
    i += 1
    required = False
    while i < len(toks) and toks[i] in ("]", "!"):
        required = toks[i] == "!" and (i + 1 >= len(toks) or toks[i + 1] != "]")
        i += 1
    return name, is_list, required, i


def _skip_directives(toks: list[str], i: int) -> int:
    while i < len(toks) and toks[i] == "@":
        i += 2
        if i < len(toks) and toks[i] == "(":
            while i < len(toks) and toks[i] != ")":
                i += 1
            i += 1
    return i


def _fields_of(body: str) -> list[GqlField]:
    toks = _TOKEN.findall(body)
    out: list[GqlField] = []
    i = 0
    while i < len(toks):
        name = toks[i]
        if not re.match(r"[A-Za-z_]", name):
            i += 1
            continue
        i += 1
        args: list[GqlArg] = []
        if i < len(toks) and toks[i] == "(":
            i += 1
            while i < len(toks) and toks[i] != ")":
                if i + 1 < len(toks) and toks[i + 1] == ":" and re.match(r"[A-Za-z_]", toks[i]):
                    aname = toks[i]
                    an, _, areq, i = _read_type(toks, i + 2)
                    args.append(GqlArg(name=aname, type=an, required=areq))
                else:
                    i += 1
            i += 1
        if i < len(toks) and toks[i] == ":":
            tname, is_list, _, i = _read_type(toks, i + 1)
            if i < len(toks) and toks[i] == "=":  # input field default
                i += 2
            i = _skip_directives(toks, i)
            if tname and re.match(r"[A-Za-z_]", tname):
                out.append(GqlField(name=name, type=tname, is_list=is_list, args=args))
    return out


def _named(type_text: str) -> tuple[str, bool, bool]:
    """(named type, is list, non-null) of ``[Note!]!``."""
    t = type_text.strip()
    required = t.endswith("!")
    is_list = "[" in t
    name = re.sub(r"[\[\]!\s]", "", t)
    return name, is_list, required


def parse_sdl(text: str) -> GqlSchema:
    """The object and input types declared in ``text`` (any text holding SDL blocks)."""
    schema = GqlSchema(source="sdl")
    clean = _COMMENT.sub(" ", text)
    roots = _SCHEMA_ROOTS.search(clean)
    if roots:
        for key, value in re.findall(r"(query|mutation)\s*:\s*(\w+)", roots.group(1)):
            setattr(schema, f"{key}_type", value)
    for kind, name, body in _BLOCK.findall(clean):
        one = GqlType(name=name, kind=_KINDS[kind], fields=_fields_of(body))
        schema.merge(GqlSchema(types={name: one}))
    return schema


def looks_like_sdl(text: str) -> bool:
    return bool(re.search(r"\b(type|extend\s+type)\s+(Query|Mutation)\b\s*\{", text))


# ------------------------------------------------------------------------------ introspection

INTROSPECTION_QUERY = (
    "query Discover { __schema { queryType { name } mutationType { name } "
    "types { kind name fields { name args { name type { ...T } } type { ...T } } "
    "inputFields { name type { ...T } } } } } "
    "fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name "
    "ofType { kind name } } } } }"
)


def _unwrap(t: dict[str, Any] | None) -> tuple[str, bool, bool]:
    is_list, required, first = False, False, True
    while t and t.get("kind") in ("NON_NULL", "LIST"):
        if t["kind"] == "LIST":
            is_list = True
        elif first:
            required = True
        first = False
        t = t.get("ofType")
    return (t or {}).get("name") or "", is_list, required


def from_introspection(data: dict[str, Any]) -> GqlSchema:
    """The schema of an introspection result's ``data.__schema``."""
    raw = data.get("__schema") or {}
    schema = GqlSchema(source="introspection")
    schema.query_type = ((raw.get("queryType") or {}).get("name")) or "Query"
    schema.mutation_type = ((raw.get("mutationType") or {}).get("name")) or "Mutation"
    for t in raw.get("types") or []:
        name = t.get("name") or ""
        if name.startswith("__") or t.get("kind") not in ("OBJECT", "INPUT_OBJECT", "INTERFACE"):
            continue
        kind = {"OBJECT": "object", "INPUT_OBJECT": "input", "INTERFACE": "interface"}[t["kind"]]
        fields = []
        for f in t.get("fields") or t.get("inputFields") or []:
            tname, is_list, _ = _unwrap(f.get("type"))
            args = []
            for a in f.get("args") or []:
                an, _, areq = _unwrap(a.get("type"))
                args.append(GqlArg(name=a["name"], type=an, required=areq))
            fields.append(GqlField(name=f["name"], type=tname, is_list=is_list, args=args))
        schema.types[name] = GqlType(name=name, kind=kind, fields=fields)
    return schema


# ------------------------------------------------------------------------------- the API


class GqlSignIn(BaseModel):
    """A sign-in or sign-up mutation and where its answer carries the token."""

    mutation: str
    args: list[GqlArg] = Field(default_factory=list)
    input_type: str | None = None  # the args travel in one input object: (input: SignInInput!)
    input_fields: list[GqlArg] = Field(default_factory=list)
    selection: str = ""  # what to ask for: "{ token user { id } }" or "" (a String result)
    token_path: list[str] = Field(default_factory=list)  # within the mutation's result
    user_id_path: list[str] = Field(default_factory=list)


class GraphQLApi(BaseModel):
    """The app's GraphQL endpoint as discovered: where it is, what it declares, how to sign in.
    The token a sign-in mutation returns travels in the ``Authorization: Bearer`` header."""

    endpoint: str | None = None  # None: a server library is used but no endpoint answered
    servers: list[str] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)
    types: GqlSchema = Field(default_factory=GqlSchema)  # the schema as read or introspected
    sign_up: GqlSignIn | None = None
    login: GqlSignIn | None = None
    confirmed: bool = False  # ``{ __typename }`` was answered with data
    notes: list[str] = Field(default_factory=list)
