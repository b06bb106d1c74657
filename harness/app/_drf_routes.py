"""Django REST Framework routers read statically: ``router.register(prefix, ViewSet)`` becomes
the routes the router serves, with the methods the viewset's actions allow, its ``@action``
extras, its ``lookup_field``, the prefix the router is included under, and the writable fields
of its serializer (the body a create or update sends)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from harness.app._model import Route
from harness.app._routes import normalise_path

# router = routers.DefaultRouter() / SimpleRouter(trailing_slash=False)
_ROUTER = re.compile(r"\b(\w+)\s*=\s*(?:[\w.]+\.)?(\w*Router)\s*\(([^)]*)\)")
# router.register(r"projects", ProjectViewSet, basename="project")
_REGISTER = re.compile(r"""\b(\w+)\.register\s*\(\s*r?['"]([^'"]*)['"]\s*,\s*([\w.]+)""")
# path("api/", include(router.urls)) or include((router.urls, "app"))
_INCLUDED = re.compile(
    r"""\b(?:path|re_path|url)\s*\(\s*r?['"]([^'"]*)['"]\s*,\s*include\s*\(\s*\(?\s*(\w+)\.urls"""
)

# the standard actions: name -> (method, on the detail route)
_ACTIONS = {
    "list": ("GET", False),
    "create": ("POST", False),
    "retrieve": ("GET", True),
    "update": ("PUT", True),
    "partial_update": ("PATCH", True),
    "destroy": ("DELETE", True),
}
_BASES = {
    "ModelViewSet": set(_ACTIONS),
    "ReadOnlyModelViewSet": {"list", "retrieve"},
    "ListModelMixin": {"list"},
    "CreateModelMixin": {"create"},
    "RetrieveModelMixin": {"retrieve"},
    "UpdateModelMixin": {"update", "partial_update"},
    "DestroyModelMixin": {"destroy"},
    "ViewSet": set(),
    "GenericViewSet": set(),
    "ViewSetMixin": set(),
}


@dataclass
class ViewSetInfo:
    actions: set[str] = field(default_factory=set)
    extras: list[tuple[str, bool, str, str, int]] = field(default_factory=list)
    """(method, detail, url path, handler name, line) of each ``@action``."""
    lookup: str = "pk"
    body_fields: list[str] = field(default_factory=list)
    file: str = ""
    line: int = 0


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript):  # GenericViewSet[Model]
        return _name(node.value)
    return ""


def _strings(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    if isinstance(node, ast.Constant) and node.value == "__all__":
        return None
    return []


def _assigned(cls: ast.ClassDef, name: str) -> ast.expr | None:
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            return stmt.value
    return None


def index_classes(trees: dict[str, ast.Module]) -> dict[str, tuple[str, ast.ClassDef]]:
    out: dict[str, tuple[str, ast.ClassDef]] = {}
    for path, tree in sorted(trees.items()):
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                out.setdefault(node.name, (path, node))
    return out


def _serializer_fields(name: str, classes: dict[str, tuple[str, ast.ClassDef]]) -> list[str]:
    """Writable fields of a serializer: Meta.fields less read-only ones, and declared fields."""
    found = classes.get(name)
    if found is None:
        return []
    cls = found[1]
    fields: list[str] = []
    read_only: set[str] = set()
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            fields = _strings(_assigned(stmt, "fields")) or []
            read_only = set(_strings(_assigned(stmt, "read_only_fields")) or [])
            for key, value in _extra_kwargs(stmt).items():
                if value:
                    read_only.add(key)
    for stmt in cls.body:  # password = serializers.CharField(write_only=True)
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            kw = {k.arg: k.value for k in stmt.value.keywords}
            ro = kw.get("read_only")
            writable = not (isinstance(ro, ast.Constant) and ro.value is True)
            for t in stmt.targets:
                if not isinstance(t, ast.Name):
                    continue
                if not writable:
                    read_only.add(t.id)
                elif t.id not in fields:
                    fields.append(t.id)
    return [f for f in fields if f not in read_only and f not in ("id", "pk", "url")]


def _extra_kwargs(meta: ast.ClassDef) -> dict[str, bool]:
    """{field: read_only} from Meta.extra_kwargs."""
    value = _assigned(meta, "extra_kwargs")
    out: dict[str, bool] = {}
    if isinstance(value, ast.Dict):
        for k, v in zip(value.keys, value.values, strict=False):
            if isinstance(k, ast.Constant) and isinstance(v, ast.Dict):
                flags = {
                    kk.value: vv.value
                    for kk, vv in zip(v.keys, v.values, strict=False)
                    if isinstance(kk, ast.Constant) and isinstance(vv, ast.Constant)
                }
                out[str(k.value)] = flags.get("read_only") is True
    return out


def viewset_info(
    name: str, classes: dict[str, tuple[str, ast.ClassDef]], depth: int = 0
) -> ViewSetInfo:
    """What a viewset class serves, following its own base classes in the repo."""
    info = ViewSetInfo()
    found = classes.get(name)
    if found is None or depth > 5:
        return info
    path, cls = found
    info.file, info.line = path, cls.lineno
    for base in cls.bases:
        base_name = _name(base)
        if base_name in _BASES:
            info.actions |= _BASES[base_name]
        elif base_name in classes:
            inner = viewset_info(base_name, classes, depth + 1)
            info.actions |= inner.actions
            info.extras += inner.extras
            info.lookup = inner.lookup if inner.lookup != "pk" else info.lookup
            info.body_fields = info.body_fields or inner.body_fields
    lookup = _assigned(cls, "lookup_field")
    if isinstance(lookup, ast.Constant) and isinstance(lookup.value, str):
        info.lookup = lookup.value
    serializer = _assigned(cls, "serializer_class")
    if serializer is not None:
        info.body_fields = _serializer_fields(_name(serializer), classes) or info.body_fields
    for stmt in cls.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if stmt.name in _ACTIONS:
            info.actions.add(stmt.name)
        for deco in stmt.decorator_list:
            if isinstance(deco, ast.Call) and _name(deco.func) == "action":
                kw = {k.arg: k.value for k in deco.keywords}
                detail = isinstance(kw.get("detail"), ast.Constant) and kw["detail"].value is True
                methods = _strings(kw.get("methods")) or ["get"]
                url = kw.get("url_path")
                sub = url.value if isinstance(url, ast.Constant) else stmt.name
                for method in methods:
                    info.extras.append((method.upper(), detail, str(sub), stmt.name, stmt.lineno))
    return info


def drf_router_routes(
    text: str, rel: str, prefix: str, classes: dict[str, tuple[str, ast.ClassDef]]
) -> list[Route]:
    """The routes of every router registered in one urls module, ``prefix`` being where that
    module is included."""
    routers = {m.group(1): "trailing_slash=False" not in m.group(3) for m in _ROUTER.finditer(text)}
    mounts: dict[str, list[str]] = {}
    for m in _INCLUDED.finditer(text):
        mounts.setdefault(m.group(2), []).append(m.group(1))
    found: list[Route] = []
    for m in _REGISTER.finditer(text):
        router, raw, viewset = m.group(1), m.group(2), m.group(3).split(".")[-1]
        if router not in routers and not router.endswith("router"):
            continue  # admin.site.register(...) and other registries
        line = text.count("\n", 0, m.start()) + 1
        slash = "/" if routers.get(router, True) else ""
        info = viewset_info(viewset, classes)
        actions = info.actions
        for mount in mounts.get(router, [""]):
            base = normalise_path(prefix + mount + raw.strip("^$/"))
            coll = base + slash
            item = f"{base}/{{{info.lookup}}}{slash}"
            if not actions and not info.extras:  # a viewset the harness cannot read
                found.append(Route(method="ANY", path=coll, file=rel, line=line))
                found.append(Route(method="ANY", path=item, file=rel, line=line))
                continue
            for action in sorted(actions, key=list(_ACTIONS).index):
                method, detail = _ACTIONS[action]
                writes = method in ("POST", "PUT", "PATCH")
                found.append(
                    Route(
                        method=method,
                        path=item if detail else coll,
                        file=info.file or rel,
                        line=info.line or line,
                        handler=action,
                        body_fields=list(info.body_fields) if writes else [],
                        body_kind="json" if writes and info.body_fields else None,
                    )
                )
            for method, detail, sub, handler, at in info.extras:
                path = (item.rstrip("/") if detail else base) + f"/{sub.strip('/')}{slash}"
                found.append(
                    Route(method=method, path=path, file=info.file or rel, line=at, handler=handler)
                )
    return found


# generic class-based views: the methods each serves
_GENERICS = {
    "CreateAPIView": ("POST",),
    "ListAPIView": ("GET",),
    "RetrieveAPIView": ("GET",),
    "DestroyAPIView": ("DELETE",),
    "UpdateAPIView": ("PUT", "PATCH"),
    "ListCreateAPIView": ("GET", "POST"),
    "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"),
    "RetrieveDestroyAPIView": ("GET", "DELETE"),
    "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
    # token views of djangorestframework-simplejwt, DRF authtoken, dj-rest-auth, knox
    "TokenObtainPairView": ("POST",),
    "TokenObtainSlidingView": ("POST",),
    "TokenRefreshView": ("POST",),
    "TokenVerifyView": ("POST",),
    "TokenBlacklistView": ("POST",),
    "ObtainAuthToken": ("POST",),
    "ObtainJSONWebToken": ("POST",),
    "LoginView": ("POST",),
    "LogoutView": ("POST",),
    "RegisterView": ("POST",),
}
_HTTP = ("get", "post", "put", "patch", "delete")


def class_view(
    name: str, classes: dict[str, tuple[str, ast.ClassDef]], depth: int = 0
) -> tuple[list[str], list[str], str, int] | None:
    """(methods, body fields, file, line) of a class-based view routed with ``as_view()``; None
    when the class and its bases say nothing the harness can read."""
    found = classes.get(name)
    if found is None:
        return (list(_GENERICS[name]), [], "", 0) if name in _GENERICS else None
    path, cls = found
    methods: list[str] = []
    for base in cls.bases:
        base_name = _name(base)
        inner = class_view(base_name, classes, depth + 1) if depth < 5 else None
        if base_name in _GENERICS:
            methods += _GENERICS[base_name]
        elif inner is not None:
            methods += inner[0]
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _HTTP:
            methods.append(stmt.name.upper())
    if not methods:
        return None
    serializer = _assigned(cls, "serializer_class")
    fields = _serializer_fields(_name(serializer), classes) if serializer is not None else []
    return list(dict.fromkeys(methods)), fields, path, cls.lineno


# function views of libraries, routed by name: each takes the credentials by POST
_LIBRARY_FUNCTIONS = {"obtain_auth_token", "obtain_jwt_token", "refresh_jwt_token"}
_ONE_METHOD = {"require_POST": "POST", "require_GET": "GET", "require_safe": "GET"}


def index_functions(trees: dict[str, ast.Module]) -> dict[str, tuple[str, ast.FunctionDef]]:
    """Module-level functions by name (the first definition wins)."""
    out: dict[str, tuple[str, ast.FunctionDef]] = {}
    for path, tree in sorted(trees.items()):
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                out.setdefault(node.name, (path, node))
    return out


def function_view(
    name: str, functions: dict[str, tuple[str, ast.FunctionDef]]
) -> tuple[list[str], str, int] | None:
    """(methods, file, line) of a function view whose decorators say its methods (DRF's
    ``@api_view``, Django's ``require_http_methods``/``require_POST``...); None otherwise."""
    if name in _LIBRARY_FUNCTIONS and name not in functions:
        return ["POST"], "", 0
    found = functions.get(name)
    if found is None:
        return None
    path, fn = found
    for deco in fn.decorator_list:
        deco_name = _name(deco.func if isinstance(deco, ast.Call) else deco)
        if deco_name in _ONE_METHOD:
            return [_ONE_METHOD[deco_name]], path, fn.lineno
        if deco_name in ("api_view", "require_http_methods"):
            args = deco.args if isinstance(deco, ast.Call) else []
            listed = (_strings(args[0]) or []) if args else []
            methods = [m.upper() for m in listed]
            if not methods and deco_name == "api_view":
                methods = ["GET"]  # DRF's default
            return (methods, path, fn.lineno) if methods else None
    return None
