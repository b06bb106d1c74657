"""detect_app: what a generated backend is, where it starts and what it needs, from its files."""

from __future__ import annotations

import ast
import re
from pathlib import Path, PurePosixPath

from harness._errors import InputError
from harness.app import _deps
from harness.app._files import in_hidden_dir, list_files, read_text
from harness.app._files import is_test_path as _is_test
from harness.app._go_detect import GO_DEP_FILES, go_profile
from harness.app._js_routes import OTHER_NODE_FRAMEWORKS
from harness.app._model import AppProfile, Route
from harness.app._pyast import module_name
from harness.app._readers import annotate_inputs, reader_for, reader_for_file
from harness.app._realtime import find_realtime
from harness.app._routes import AppFile
from harness.app._services import detect_services

SOURCE_EXT = (".py", ".js", ".mjs", ".cjs", ".ts", ".go")
MAX_FILES = 5000
BACKEND_NAMES = {"backend", "server", "api", "service", "services", "app", "src"}
FRONTEND_NAMES = {"frontend", "client", "web", "ui", "www", "public", "static", "mobile", "docs"}
SUBPROJECT_MARKERS = (
    "package.json",
    "requirements.txt",
    "pyproject.toml",
    "Pipfile",
    "manage.py",
    "setup.py",
    "go.mod",
)
PY_ENTRY_NAMES = ("main.py", "app.py", "server.py", "run.py", "api.py", "wsgi.py", "asgi.py")
JS_ENTRY_NAMES = ("server.js", "app.js", "index.js", "main.js", "server.ts", "index.ts", "app.ts")


def detect_app(repo: Path | str) -> AppProfile:
    """Profile the backend in ``repo``. Odd repos give 'unknown' fields and notes, not errors."""
    root = Path(repo).expanduser().resolve()
    if not root.is_dir():
        raise InputError(f"app repo {root} is not a directory; pass the folder of the backend")
    try:
        return _Detector(root).run()
    except Exception as exc:  # a profile with a note beats a crash on a strange repo
        return AppProfile(root=str(root), notes=[f"detection stopped early: {exc!r}"])


def _read(path: Path) -> str:
    return read_text(path) or ""


def _scan_app_files(root: Path, files: list[str]) -> list[AppFile]:
    found: list[AppFile] = []
    for rel in files:
        reader = reader_for_file(rel)
        if reader is not None and not _is_test(rel):
            found += reader.app_files(rel, _read(root / rel))
    return found


def _app_file_rank(af: AppFile) -> tuple:
    parts = PurePosixPath(af.rel).parts
    dirs = {d.lower() for d in parts[:-1]}  # apps/api, packages/server: any level counts
    name = parts[-1]
    return (
        af.kind.startswith("other:"),
        bool(dirs & FRONTEND_NAMES),
        not (dirs & BACKEND_NAMES or not dirs),
        af.factory,
        name not in PY_ENTRY_NAMES + JS_ENTRY_NAMES + ("manage.py",),
        len(parts),
        af.rel,
    )


def _kind_label(kind: str) -> str:
    return kind.split(":", 1)[-1]


class _Detector:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.notes: list[str] = []

    def run(self) -> AppProfile:
        all_files = sorted(
            f for f in list_files(self.repo, limit=MAX_FILES) if not in_hidden_dir(f)
        )
        if len(all_files) >= MAX_FILES:
            self.notes.append(f"repo has more than {MAX_FILES} files; only the first were read")
        app_files = _scan_app_files(self.repo, all_files)
        base = self._pick_base(all_files, app_files)
        root = self.repo / base if base else self.repo
        prefix = f"{base}/" if base else ""
        files = [f[len(prefix) :] for f in all_files if f.startswith(prefix)]
        apps = [
            AppFile(a.rel[len(prefix) :], a.kind, a.var, a.factory)
            for a in app_files
            if a.rel.startswith(prefix)
        ]
        apps.sort(key=_app_file_rank)
        profile = AppProfile(root=str(root))
        profile.source_files = [f for f in files if f.endswith(SOURCE_EXT)]
        self._dependency_files(root, files, profile)
        self._language_and_framework(root, files, apps, profile)
        if profile.language == "python":
            self._python(root, files, apps, profile)
        elif profile.language in ("javascript", "typescript"):
            self._node(root, files, apps, profile)
        elif profile.language == "go":
            go_profile(root, files, apps, profile)
        profile.db_kind = self._db_kind(root, profile)
        deps = [*profile.declared_dependencies, *profile.inferred_dependencies]
        profile.services = detect_services(root, profile.source_files, deps)
        profile.realtime = find_realtime(root, profile.source_files, profile.routes)
        profile.notes = [*self.notes, *profile.notes]
        return profile

    # --- where the backend is
    def _pick_base(self, files: list[str], apps: list[AppFile]) -> str:
        if not apps:
            return ""
        ranked = sorted(apps, key=_app_file_rank)
        chosen = ranked[0]
        marker_dirs = {
            str(PurePosixPath(f).parent)
            for f in files
            if PurePosixPath(f).name in SUBPROJECT_MARKERS
        }
        base = ""
        parent = PurePosixPath(chosen.rel).parent
        while str(parent) != ".":
            if str(parent) in marker_dirs:
                base = str(parent)
                break
            parent = parent.parent
        if not base and "." not in marker_dirs:
            top = PurePosixPath(chosen.rel).parts
            other_projects = {d.split("/")[0] for d in marker_dirs if d != "."}
            if (
                len(top) > 1
                and top[0] != "src"
                and f"{top[0]}/__init__.py" not in files
                and other_projects
            ):
                base = top[0]
        kinds = {a.kind for a in apps if not a.rel.startswith(f"{base}/" if base else "")}
        if base:
            others = sorted(
                {d for d in marker_dirs if d != "." and d != base and not d.startswith(base + "/")}
            )
            marker = next(
                (m for m in SUBPROJECT_MARKERS if f"{base}/{m}" in files), "no manifest of its own"
            )
            self.notes.append(
                f"monorepo: scored the backend in {base}/ because it holds the "
                f"{_kind_label(chosen.kind)} application ({chosen.rel}) and its own {marker}"
                + (f"; not scored: {', '.join(x + '/' for x in others)}" if others else "")
            )
        elif len({a.rel.split("/")[0] for a in apps}) > 1 and kinds:
            self.notes.append(f"several app files found; using {chosen.rel}")
        return base

    # --- dependency files
    def _dependency_files(self, root: Path, files: list[str], profile: AppProfile) -> None:
        dep: list[str] = []
        for f in files:
            p = PurePosixPath(f)
            top_level = len(p.parts) == 1 or (len(p.parts) == 2 and p.parts[0] == "requirements")
            if not top_level:
                continue
            if (p.name.startswith("requirements") and p.suffix == ".txt") or p.name in (
                _deps.PY_DEP_FILES + _deps.NODE_DEP_FILES + _deps.LOCKFILES + GO_DEP_FILES
            ):
                dep.append(f)
        profile.dependency_files = dep

    # --- language and framework
    def _language_and_framework(
        self, root: Path, files: list[str], apps: list[AppFile], profile: AppProfile
    ) -> None:
        py = sum(f.endswith(".py") for f in files)
        ts = sum(f.endswith(".ts") and not f.endswith(".d.ts") for f in files)
        js = sum(f.endswith((".js", ".mjs", ".cjs")) for f in files)
        main = apps[0] if apps else None
        go = sum(f.endswith(".go") for f in files)
        if main is not None:
            lang = "python" if main.rel.endswith(".py") else "javascript"
            if main.rel.endswith(".ts"):
                lang = "typescript"
            if main.rel.endswith(".go"):
                lang = "go"
        elif "go.mod" in files and go >= py + js + ts:
            lang = "go"
        elif "package.json" in files and py <= js + ts:
            lang = "typescript" if ts > js else "javascript"
        elif py:
            lang = "python"
        elif js or ts:
            lang = "typescript" if ts > js else "javascript"
        else:
            lang = "unknown"
        profile.language = lang  # type: ignore[assignment]
        if main is None:
            profile.framework = self._framework_from_deps(root, profile)
            if profile.framework == "unknown":
                self.notes.append("no application object found (Python, Node or Go)")
            return
        if main.kind.startswith("other:"):
            name = main.kind.split(":", 1)[1]
            self.notes.append(
                f"{name} app found in {main.rel}; Node apps are read as Express, Fastify, Koa, "
                "Hono or NestJS"
            )
            profile.framework = "unknown"
        else:
            profile.framework = main.kind  # type: ignore[assignment]

    def _framework_from_deps(self, root: Path, profile: AppProfile) -> str:
        text = " ".join(
            _read(root / f).lower() for f in profile.dependency_files if not f.endswith("lock")
        )
        names = ("fastapi", "django", "flask", "aiohttp", "litestar")
        for name in (*names, "express", "fastify", "koa", "hono"):
            if re.search(rf"\b{name}\b", text):
                return name
        return "unknown"

    # --- Python specifics
    def _python(self, root: Path, files: list[str], apps: list[AppFile], p: AppProfile) -> None:
        pyfiles = [f for f in files if f.endswith(".py")]
        dep_files = [
            f for f in p.dependency_files if not f.endswith(".lock") and f != "Pipfile.lock"
        ]
        p.declared_dependencies = _deps.declared_python(root, dep_files)
        has_decl = any(
            PurePosixPath(f).name.startswith("requirements") or f in ("Pipfile",) for f in dep_files
        ) or bool(p.declared_dependencies)
        inferred = _deps.infer_python(root, [f for f in pyfiles if not _is_test(f)])
        if not has_decl:
            p.inferred_dependencies = self._python_extras(root, pyfiles, inferred, p.framework)
            if p.inferred_dependencies:
                self.notes.append(
                    "no Python dependency file; dependencies inferred from imports: "
                    + ", ".join(p.inferred_dependencies)
                )
        else:
            declared = {_norm(_deps.requirement_name(d) or d) for d in p.declared_dependencies}
            provided = set().union(
                *(v for k, v in _deps.PROVIDED_BY.items() if _norm(k) in declared)
            )
            missing = [
                d
                for d in inferred
                if _norm(_deps.requirement_name(d) or d) not in declared
                and d.lower() not in provided
            ]
            if missing:
                self.notes.append("imported but not declared: " + ", ".join(missing))

        main = apps[0] if apps else None
        mains = [f for f in pyfiles if not _is_test(f) and "__main__" in _read(root / f)]
        if p.framework == "django":
            manage = next((a.rel for a in apps if a.kind == "django"), None)
            p.entrypoint = manage
            p.app_dir = str(PurePosixPath(manage).parent) if manage else None
            p.routes = self._routes(root, files, p)
            return
        if main is None:
            p.entrypoint = next(
                (f for f in PY_ENTRY_NAMES if f in files), mains[0] if mains else None
            )
            return
        app_dir = self._import_root(root, files, main.rel)
        module = module_name(main.rel, app_dir)
        p.app_dir = app_dir
        p.app_object = f"{module}:{main.var}" + ("()" if main.factory else "")
        # the file that starts the server: a __main__ block calling .run()/uvicorn.run()
        runners = [f for f in mains if _SERVES.search(_read(root / f))]
        runners.sort(key=lambda f: (f != main.rel, PurePosixPath(f).name not in PY_ENTRY_NAMES, f))
        p.entrypoint = main.rel
        if runners:
            runner = runners[0]
            text = _read(root / runner)
            m = re.search(r"""uvicorn\.run\s*\(\s*['"]([\w.]+:\w+)['"]""", text)
            if m:
                p.app_object = m.group(1)
                p.app_dir = self._import_root(root, files, runner)
            # a script that only serves the app object adds nothing over the framework command
            if runner == main.rel or p.framework != "fastapi" or main_block_does_more(text):
                p.entrypoint = runner
            elif runner != main.rel:
                self.notes.append(f"{runner} also starts the app; it only serves {main.rel}")
            port, env = _python_port(text)
        else:
            port, env = _python_port(_read(root / main.rel))
        p.default_port, p.port_env = port, env
        p.hardcoded_port = port if env is None else None
        p.routes = self._routes(root, files, p)

    def _python_extras(
        self, root: Path, pyfiles: list[str], inferred: list[str], framework: str
    ) -> list[str]:
        out = list(inferred)
        text = "\n".join(_read(root / f) for f in pyfiles[:300])
        if framework == "litestar" and "uvicorn" not in out:
            out.append("uvicorn")
        if framework == "fastapi":
            if "uvicorn" not in out:
                out.append("uvicorn")
            if re.search(r"\b(Form|UploadFile|File|OAuth2PasswordRequestForm)\b", text):
                out.append("python-multipart")
            if "EmailStr" in text:
                out.append("email-validator")
        return sorted(dict.fromkeys(out), key=str.lower)

    def _import_root(self, root: Path, files: list[str], rel: str) -> str:
        """The directory to put on sys.path (and run from) so ``rel`` imports as it expects."""
        parent = PurePosixPath(rel).parent
        if f"{parent}/__init__.py" in files if str(parent) != "." else False:
            while str(parent) != "." and f"{parent}/__init__.py" in files:
                parent = parent.parent
            return str(parent)
        if str(parent) == ".":
            return "."
        # a folder without __init__.py: its files import siblings bare (`import models`)
        # or through the folder name (`from app.models import X`, a namespace package)
        text = _read(root / rel)
        if re.search(rf"^\s*(from|import)\s+{re.escape(parent.name)}\.", text, re.MULTILINE):
            return str(parent.parent)
        return str(parent)

    def _routes(self, root: Path, files: list[str], p: AppProfile) -> list[Route]:
        reader = reader_for(p.language)
        if reader is None:
            return []
        routes = reader.routes(root, files, p)
        annotate_inputs(root, routes)
        return routes

    # --- Node specifics
    def _node(self, root: Path, files: list[str], apps: list[AppFile], p: AppProfile) -> None:
        pkg = _deps.read_package_json(root)
        if "package.json" in files:
            p.declared_dependencies = _deps.declared_node(root)
        else:
            jsfiles = [
                f for f in files if f.endswith((".js", ".mjs", ".cjs", ".ts")) and not _is_test(f)
            ]
            p.inferred_dependencies = _deps.infer_node(root, jsfiles)
            if p.inferred_dependencies:
                self.notes.append(
                    "no package.json; dependencies inferred from require/import: "
                    + ", ".join(p.inferred_dependencies)
                )
        scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
        start = scripts.get("start") if isinstance(scripts.get("start"), str) else None
        p.start_script = start
        build = scripts.get("build")
        p.build_script = f"npm run build ({build})" if isinstance(build, str) else None
        if p.declared_dependencies:
            for dep, label in OTHER_NODE_FRAMEWORKS.items():
                if (
                    dep in p.declared_dependencies
                    and "express" not in p.declared_dependencies
                    and not any(label in n for n in self.notes)
                ):
                    self.notes.append(f"{label} app (from package.json); not a supported framework")
        p.entrypoint = self._node_entry(root, files, apps, pkg, start)
        if p.entrypoint:
            port, env = _node_port(root, p.entrypoint, files)
            p.default_port, p.port_env = port, env
            p.hardcoded_port = port if env is None else None
        p.routes = self._routes(root, files, p)

    def _node_entry(
        self, root: Path, files: list[str], apps: list[AppFile], pkg: dict, start: str | None
    ) -> str | None:
        listeners = [
            f
            for f in files
            if f.endswith((".js", ".mjs", ".cjs", ".ts"))
            and not _is_test(f)
            and re.search(r"\.listen\s*\(", _read(root / f))
        ]
        if start:
            m = re.search(
                r"\bnode(?:mon)?\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+\.(?:m?js|cjs|ts))", start
            )
            if m and m.group(1).lstrip("./") in files:
                return m.group(1).lstrip("./")
        main = pkg.get("main")
        if isinstance(main, str) and main.lstrip("./") in files:
            entry = main.lstrip("./")
            if entry in listeners or not listeners:
                return entry
        if listeners:
            listeners.sort(
                key=lambda f: (PurePosixPath(f).name not in JS_ENTRY_NAMES, f.count("/"), f)
            )
            return listeners[0]
        if apps:
            return apps[0].rel
        return next((f for f in JS_ENTRY_NAMES if f in files), None)

    # --- database
    def _db_kind(self, root: Path, p: AppProfile) -> str:
        deps = " ".join([*p.declared_dependencies, *p.inferred_dependencies]).lower()
        text = " ".join(_read(root / f) for f in p.source_files[:300]).lower() + " " + deps
        kinds = []
        if re.search(r"sqlite|better-sqlite3|aiosqlite|sql\.js", text):
            kinds.append("sqlite")
        if re.search(r"postgres|psycopg|\bpg\b|asyncpg", text):
            kinds.append("postgresql")
        if re.search(r"mysql", text):
            kinds.append("mysql")
        if re.search(r"mongo", text):
            kinds.append("mongodb")
        if not kinds:
            return "none" if p.framework != "unknown" else "unknown"
        if len(kinds) > 1:
            self.notes.append(f"several database kinds referenced: {', '.join(kinds)}")
        return kinds[0]


# a script that starts a server: app.run(), uvicorn.run(), aiohttp's web.run_app()
_SERVES = re.compile(r"\b(uvicorn\.run|\.run|run_app)\s*\(")

_SERVE_ONLY = re.compile(
    r"(^|\.)(run|run_app|getenv|get|int|str|float|bool|print|basicConfig|info|debug|warning|setdefault)$"
)


def main_block_does_more(text: str) -> bool:
    """Whether ``if __name__ == "__main__":`` does more than start the server (init_db(),
    create_all()...), so that a framework command skipping it would change the app. Calls to
    functions of the same module (``main()``) are looked into, one level deep."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    functions = {
        n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }

    def calls_more(body: list[ast.stmt], depth: int) -> bool:
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if _SERVE_ONLY.search(name):
                continue
            if name in functions and depth == 0:
                if calls_more(functions[name].body, 1):
                    return True
                continue
            return True
        return False

    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return calls_more(node.body, 0)
    return False


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


# ---------------------------------------------------------------------------------- ports

_ENV_GET = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|environ\.get|getenv)\s*\(\s*['"](\w+)['"]\s*(?:,\s*['"]?(\d+)['"]?)?"""
)


def _python_port(text: str) -> tuple[int | None, str | None]:
    """(default port, env var) from app.run(port=...)/uvicorn.run(port=...) in ``text``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None, None
    assigns: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    assigns[t.id] = node.value
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and _var_name(node.func) == "run_app") or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run_app"
        ):
            port = next((k.value for k in node.keywords if k.arg == "port"), None)
            return _py_port_expr(port, assigns, 0) if port is not None else (8080, None)
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
        ):
            continue
        owner = _var_name(node.func.value)
        if owner in ("asyncio", "subprocess", "loop", "trio", "anyio"):
            continue
        for kw in node.keywords:
            if kw.arg == "port":
                return _py_port_expr(kw.value, assigns, 0)
        position = 2 if owner == "uvicorn" else 1
        if len(node.args) > position:
            return _py_port_expr(node.args[position], assigns, 0)
        return (8000 if owner == "uvicorn" else 5000), None  # the servers' own defaults
    return None, None


def _var_name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _py_port_expr(
    node: ast.expr, assigns: dict[str, ast.expr], depth: int
) -> tuple[int | None, str | None]:
    if depth > 4:
        return None, None
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value, None
    if isinstance(node, ast.Name) and node.id in assigns:
        return _py_port_expr(assigns[node.id], assigns, depth + 1)
    src = ast.unparse(node)
    m = _ENV_GET.search(src)
    if m:
        return (int(m.group(2)) if m.group(2) else None), m.group(1)
    if isinstance(node, ast.Call) and node.args:  # int("5000")
        return _py_port_expr(node.args[0], assigns, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isdigit():
        return int(node.value), None
    return None, None


_JS_LISTEN = re.compile(r"\.listen\s*\(\s*([^,)]+)")
_JS_ENV_PORT = re.compile(r"process\.env\.(\w+)|process\.env\[\s*['\"](\w+)['\"]\s*\]")


def _node_port(root: Path, entry: str, files: list[str]) -> tuple[int | None, str | None]:
    """(default port, env var) from ``.listen(...)`` in the entry, following a constant or a
    config property (``config.port``) into the other source files."""
    text = _read(root / entry)
    m = _JS_LISTEN.search(text)
    if not m:
        return None, None
    arg = m.group(1).strip()
    if arg.isdigit():
        return int(arg), None
    expr = arg
    ident = re.match(r"^([\w.$]+)$", arg)
    if ident:
        name = ident.group(1).split(".")[-1]
        pattern = re.compile(rf"\b{re.escape(name)}\s*[:=]\s*([^;\n]+)")
        d = pattern.search(text)
        if not d or not re.search(r"process\.env|\d", d.group(1)):
            for f in files:
                if f.endswith((".js", ".mjs", ".cjs", ".ts")) and f != entry:
                    cand = pattern.search(_read(root / f))
                    if cand and re.search(r"process\.env|\d{2,5}", cand.group(1)):
                        d = cand
                        break
        if d:
            expr = d.group(1)
    env = _JS_ENV_PORT.search(expr)
    num = re.search(r"\b(\d{2,5})\b", expr)
    return (int(num.group(1)) if num else None), (env.group(1) or env.group(2)) if env else None
