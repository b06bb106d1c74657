"""Building GraphQL queries from a discovered schema, and reading their answers: a scalar to end
a selection on, paths down the schema's own recursive fields, argument-free roots, create/read
pairs, values for arguments, fields named like secrets, the size of an alias flood, stack traces
in ``errors[]``. Pure functions: the probes in ``_graphql.py`` send what these build."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from harness.apimodel import GqlField, GqlSchema, GraphQLApi
from harness.probes._signals import leak

SCALARS = {"ID", "String", "Int", "Float", "Boolean"}
# object levels sent when the agent named no depth limit: 12 levels with the leaf
DEFAULT_DEPTH = 11
MAX_DEPTH_SENT = 30
DEFAULT_ALIASES = 100
MAX_ALIASES_SENT = 1000
DEFAULT_BATCH = 10
SENSITIVE = re.compile(
    r"^(password|passwd|pwd|pass_?word_?hash|password_?(hash|digest|salt)|hashed_?password|"
    r"encrypted_?password|pass_?hash|salt|secret|client_?secret|api_?secret|private_?key|"
    r"reset_?(password_?)?token|refresh_?token|token|otp_?secret|mfa_?secret|totp_?secret)$",
    re.I,
)
CREATE = re.compile(r"^(create|add|new|post|save|insert)[A-Z_]?", re.I)


def leaf(types: GqlSchema, type_name: str) -> str:
    """A scalar field to end a selection on: id, else the first scalar, else __typename."""
    t = types.object(type_name)
    if t is None:
        return "__typename"
    if t.field("id") is not None:
        return "id"
    scalar = next((f.name for f in t.fields if f.type in SCALARS and not f.required_args), None)
    return scalar or "__typename"


def object_fields(types: GqlSchema, type_name: str) -> list[GqlField]:
    t = types.object(type_name)
    if t is None:
        return []
    return [f for f in t.fields if types.object(f.type) is not None and not f.required_args]


def deep_path(types: GqlSchema, root: GqlField, levels: int) -> list[str] | None:
    """Field names ``levels`` object levels deep starting at ``root`` (the schema's recursive
    fields make any depth reachable), or None when the schema does not nest that deep."""

    @cache
    def reach(type_name: str, k: int) -> tuple[str, ...] | None:
        if k == 0:
            return ()
        for f in object_fields(types, type_name):
            rest = reach(f.type, k - 1)
            if rest is not None:
                return (f.name, *rest)
        return None

    if types.object(root.type) is None or root.required_args:
        return None
    rest = reach(root.type, levels - 1)
    return [root.name, *rest] if rest is not None else None


def nested_query(types: GqlSchema, path: list[str], name: str) -> str:
    """``query name { a { b { c { id } } } }`` along ``path``."""
    t = types.object(types.query_type)
    type_name = types.query_type
    for fname in path:
        f = t.field(fname) if t else None
        type_name = f.type if f else type_name
        t = types.object(type_name)
    inner = leaf(types, type_name)
    for fname in reversed(path):
        inner = f"{fname} {{ {inner} }}"
    return f"query {name} {{ {inner} }}"


def root_candidates(types: GqlSchema) -> list[GqlField]:
    """Query fields that need no argument and return objects; the signed-in user's own first."""
    roots = [f for f in types.queries if not f.required_args and types.object(f.type) is not None]
    own = ("me", "viewer", "currentUser", "current_user", "profile", "whoami")
    return sorted(roots, key=lambda f: (f.name not in own, f.is_list))


def alias_count(promised: dict[str, int]) -> tuple[int, str | None]:
    """How many aliases to send: one over the promised alias limit; else enough that two fields
    per alias exceed the promised complexity (simple estimators count 1 per field); else 100.
    The note says why an alias flood under a large complexity budget decides nothing."""
    if "max_aliases" in promised:
        return min(promised["max_aliases"] + 1, MAX_ALIASES_SENT), None
    if "max_complexity" in promised:
        wanted = promised["max_complexity"] // 2 + 1
        if wanted > MAX_ALIASES_SENT:
            return DEFAULT_ALIASES, (
                f"a complexity of {promised['max_complexity']} is more than "
                f"{MAX_ALIASES_SENT} aliases cost: the alias flood is not counted"
            )
        return wanted, None
    return DEFAULT_ALIASES, None


def fill(type_name: str, name: str, types: GqlSchema, tag: str) -> Any:
    if type_name == "String":
        low = name.lower()
        if "mail" in low:
            return f"probe{tag}@example.com"
        if "url" in low or "link" in low:
            return "https://example.com/probe"
        return f"Probe {name} {tag}"
    if type_name in ("Int", "Float"):
        return 1
    if type_name == "Boolean":
        return False
    if type_name == "ID":
        return None
    t = types.types.get(type_name)
    if t is not None and t.kind == "input":
        out = {}
        for f in t.fields:
            value = fill(f.type, f.name, types, tag)
            if value is None:
                return None
            out[f.name] = [value] if f.is_list else value
        return out
    return None  # an enum or a custom scalar: nothing safe to guess


def object_targets(types: GqlSchema) -> list[tuple[GqlField, GqlField]]:
    """(create mutation, by-id query) pairs over the same object type."""
    out = []
    for m in types.mutations:
        if not CREATE.match(m.name) or types.object(m.type) is None:
            continue
        if types.object(m.type).field("id") is None:  # type: ignore[union-attr]
            continue
        for q in types.queries:
            req = q.required_args
            if (
                q.type == m.type
                and not q.is_list
                and len(req) == 1
                and (req[0].type in ("ID", "Int", "String") and req[0].name.lower().endswith("id"))
            ):
                out.append((m, q))
    return out


def sensitive_fields(gql: GraphQLApi) -> list[tuple[str, str]]:
    """(type, field) pairs named like secrets; ``token`` on a sign-in payload is its job."""
    payloads = {s.mutation for s in (gql.sign_up, gql.login) if s}
    payload_types = {f.type for f in gql.types.mutations if f.name in payloads}
    out = []
    for t in gql.types.types.values():
        if t.kind == "input" or t.name in (gql.types.query_type, gql.types.mutation_type):
            continue
        for f in t.fields:
            if SENSITIVE.match(f.name) and f.type in SCALARS:
                if f.name.lower() == "token" and t.name in payload_types:
                    continue
                out.append((t.name, f.name))
    return out


def path_to(types: GqlSchema, target: str, max_len: int = 4) -> list[str] | None:
    """The shortest field path from a no-argument Query field to an object of ``target``."""
    frontier = [([f.name], f.type) for f in root_candidates(types)]
    seen: set[str] = set()
    for _ in range(max_len):
        nxt = []
        for path, t in frontier:
            if t == target:
                return path
            if t in seen:
                continue
            seen.add(t)
            nxt += [([*path, f.name], f.type) for f in object_fields(types, t)]
        frontier = nxt
    return None


def values_at(data: Any, path: list[str]) -> list[Any]:
    nodes = [data]
    for key in path:
        nxt = []
        for n in nodes:
            v = n.get(key) if isinstance(n, dict) else None
            nxt += v if isinstance(v, list) else [v]
        nodes = [n for n in nxt if n is not None]
    return nodes


def extension_leak(errors: list[Any]) -> str | None:
    """A stack trace or exception detail in ``errors[]`` (extensions first)."""
    for err in errors:
        if not isinstance(err, dict):
            continue
        ext = err.get("extensions") or {}
        if isinstance(ext, dict):
            for key in ("stacktrace", "exception", "traceback", "stack"):
                if ext.get(key):
                    return f"errors[].extensions.{key}: {json.dumps(ext[key])[:160]}"
        found = leak(json.dumps(err))
        if found:
            return found
    return None
