"""detect_app on small realistic repos: frameworks, entrypoints, dependencies, ports, routes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness._errors import InputError
from harness.app import AppProfile, detect_app


def make_repo(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip())
    return root


def routes(profile: AppProfile) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in profile.routes}


def test_single_file_flask_with_hardcoded_port_and_no_requirements(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "app.py": """
                import os, sqlite3, datetime
                from functools import wraps
                import jwt
                from flask import Flask, jsonify, request
                from flask_cors import CORS
                from models import Todo

                app = Flask(__name__)
                CORS(app)

                @app.route("/api/todos", methods=["GET", "POST"])
                def todos():
                    return jsonify([])

                @app.route("/api/todos/<int:todo_id>", methods=["PUT", "DELETE"])
                def todo(todo_id):
                    return jsonify({})

                @app.get("/health")
                def health():
                    return "ok"

                if __name__ == "__main__":
                    app.run(host="0.0.0.0", port=5000, debug=True)
            """,
            "models.py": "class Todo: pass\n",
        },
    )
    p = detect_app(repo)
    assert (p.language, p.framework) == ("python", "flask")
    assert p.entrypoint == "app.py"
    assert p.app_object == "app:app"
    assert p.dependency_files == []
    # stdlib (os, sqlite3, functools) and the local module `models` are not dependencies
    assert p.inferred_dependencies == ["Flask", "flask-cors", "PyJWT"]
    assert p.hardcoded_port == 5000 and p.port_env is None
    assert p.db_kind == "sqlite"
    assert routes(p) == {
        ("GET", "/api/todos"),
        ("POST", "/api/todos"),
        ("PUT", "/api/todos/{todo_id}"),
        ("DELETE", "/api/todos/{todo_id}"),
        ("GET", "/health"),
    }
    assert any("inferred" in n for n in p.notes)


def test_fastapi_package_with_routers_prefixes_and_run_script(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "requirements.txt": "fastapi==0.110.0\nuvicorn[standard]>=0.29\nSQLAlchemy\n",
            "run.py": """
                import uvicorn
                if __name__ == "__main__":
                    uvicorn.run("app.main:app", host="0.0.0.0", port=8001, reload=True)
            """,
            "app/__init__.py": "",
            "app/main.py": """
                from fastapi import FastAPI
                from .routers import auth, todos
                from app.routers.admin import router as admin_router

                app = FastAPI(title="Todos")
                app.include_router(auth.router, prefix="/auth", tags=["auth"])
                app.include_router(todos.router, prefix="/api/v1")
                app.include_router(admin_router)

                @app.get("/")
                def root():
                    return {}
            """,
            "app/routers/__init__.py": "",
            "app/routers/auth.py": """
                from fastapi import APIRouter
                router = APIRouter()

                @router.post("/login")
                async def login(): ...

                @router.post("/register", status_code=201)
                async def register(): ...
            """,
            "app/routers/todos.py": """
                from fastapi import APIRouter, Depends
                router = APIRouter(prefix="/todos", tags=["todos"])

                @router.get("/")
                def list_todos(): ...

                @router.api_route("/{todo_id}", methods=["GET", "PATCH"])
                def one(todo_id: int): ...
            """,
            "app/routers/admin.py": """
                from fastapi import APIRouter
                router = APIRouter(prefix="/admin")

                @router.delete("/users/{user_id}")
                def remove(user_id: int): ...
            """,
        },
    )
    p = detect_app(repo)
    assert (p.language, p.framework) == ("python", "fastapi")
    assert p.app_object == "app.main:app"
    # run.py only serves app.main:app, so the app object's module is the entrypoint
    assert p.entrypoint == "app/main.py"
    assert any(n.startswith("run.py also starts the app") for n in p.notes)
    assert p.dependency_files == ["requirements.txt"]
    assert "fastapi==0.110.0" in p.declared_dependencies
    assert p.inferred_dependencies == []
    assert p.hardcoded_port == 8001
    assert routes(p) == {
        ("GET", "/"),
        ("POST", "/auth/login"),
        ("POST", "/auth/register"),
        ("GET", "/api/v1/todos/"),
        ("GET", "/api/v1/todos/{todo_id}"),
        ("PATCH", "/api/v1/todos/{todo_id}"),
        ("DELETE", "/admin/users/{user_id}"),
    }
    login = next(r for r in p.routes if r.path == "/auth/login")
    assert login.file == "app/routers/auth.py" and login.handler == "login" and login.line == 4


def test_fastapi_without_requirements_infers_server_and_form_parser(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "main.py": """
                from fastapi import FastAPI, Form, Depends
                from fastapi.security import OAuth2PasswordRequestForm
                from passlib.context import CryptContext
                from jose import jwt
                from sqlalchemy import create_engine
                from dotenv import load_dotenv
                import yaml

                app = FastAPI()

                @app.post("/token")
                def token(form: OAuth2PasswordRequestForm = Depends()): ...
            """,
        },
    )
    p = detect_app(repo)
    assert p.framework == "fastapi"
    assert p.app_object == "main:app"
    assert set(p.inferred_dependencies) == {
        "fastapi",
        "passlib[bcrypt]",
        "python-jose[cryptography]",
        "SQLAlchemy",
        "python-dotenv",
        "PyYAML",
        "uvicorn",
        "python-multipart",
    }
    assert p.hardcoded_port is None


def test_monorepo_picks_the_backend_and_says_so(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "README.md": "# Todo monorepo\n",
            "frontend/package.json": '{"name": "web", "dependencies": {"react": "^18"}}',
            "frontend/src/index.js": "import React from 'react';\nfetch('/api/todos');\n",
            "backend/requirements.txt": "flask\nflask-sqlalchemy\n",
            "backend/app.py": """
                import os
                from flask import Flask
                app = Flask(__name__)

                @app.route("/todos")
                def todos():
                    return []

                if __name__ == "__main__":
                    app.run(port=int(os.environ.get("PORT", 5001)))
            """,
        },
    )
    p = detect_app(repo)
    assert Path(p.root) == (tmp_path / "backend").resolve()
    assert p.framework == "flask" and p.entrypoint == "app.py"
    assert p.dependency_files == ["requirements.txt"]
    assert p.port_env == "PORT" and p.default_port == 5001 and p.hardcoded_port is None
    assert any("backend/" in n and "frontend/" in n for n in p.notes)


def test_flask_blueprints_with_prefixes(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "requirements.txt": "Flask>=3\n",
            "wsgi.py": "from todo import create_app\napp = create_app()\n",
            "todo/__init__.py": """
                from flask import Flask
                from .auth import bp as auth_bp
                from .api import api

                def create_app():
                    app = Flask(__name__)
                    app.register_blueprint(auth_bp)
                    app.register_blueprint(api, url_prefix="/api")
                    return app
            """,
            "todo/auth.py": """
                from flask import Blueprint
                bp = Blueprint("auth", __name__, url_prefix="/auth")

                @bp.route("/login", methods=("POST",))
                def login(): ...
            """,
            "todo/api.py": """
                from flask import Blueprint
                api = Blueprint("api", __name__)

                @api.route("/todos/<string:slug>")
                def get(slug): ...
            """,
        },
    )
    p = detect_app(repo)
    assert p.framework == "flask"
    assert p.app_object == "todo:create_app()"
    # blueprints registered on the factory's local app get their registration prefixes
    assert routes(p) == {("POST", "/auth/login"), ("GET", "/api/todos/{slug}")}


def test_django_project_urls_with_includes(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "requirements.txt": "Django==5.0\ndjangorestframework\n",
            "manage.py": """
                import os, sys
                if __name__ == "__main__":
                    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
                    from django.core.management import execute_from_command_line
                    execute_from_command_line(sys.argv)
            """,
            "mysite/__init__.py": "",
            "mysite/settings.py": """
                ROOT_URLCONF = "mysite.urls"
                DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
            """,
            "mysite/urls.py": """
                from django.urls import include, path
                urlpatterns = [
                    path("admin/", admin.site.urls),
                    path("api/", include("todos.urls")),
                ]
            """,
            "todos/__init__.py": "",
            "todos/urls.py": """
                from django.urls import path, re_path
                from . import views
                urlpatterns = [
                    path("todos/", views.todo_list),
                    path("todos/<int:pk>/", views.todo_detail),
                    re_path(r"^legacy/(?P<slug>[-\\w]+)/$", views.legacy),
                ]
            """,
        },
    )
    p = detect_app(repo)
    assert (p.language, p.framework, p.entrypoint) == ("python", "django", "manage.py")
    assert p.db_kind == "sqlite"
    paths = {r.path for r in p.routes}
    assert {"/admin/", "/api/todos/", "/api/todos/{pk}/", "/api/legacy/{slug}/"} <= paths


def test_express_across_files_with_nested_routers(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "package.json": """
                {"name": "api", "main": "src/index.js",
                 "scripts": {"start": "node src/index.js", "dev": "nodemon src/index.js"},
                 "dependencies": {"express": "^4.19.2", "better-sqlite3": "^11.0.0",
                                  "bcrypt": "^5.1.1", "jsonwebtoken": "^9.0.0"}}
            """,
            "package-lock.json": "{}",
            "src/index.js": """
                const express = require('express');
                const routes = require('./routes');
                const { authRouter } = require('./routes/auth');
                const app = express();
                const PORT = process.env.PORT || 3000;

                app.use(express.json());
                app.use('/api', routes);
                app.use('/auth', authRouter);
                // app.get('/commented-out', handler);
                app.get('/health', (req, res) => res.json({ ok: true }));

                app.listen(PORT, () => console.log(`on ${PORT}`));
            """,
            "src/routes/index.js": """
                const router = require('express').Router();
                const todos = require('./todos');
                router.use('/todos', todos);
                module.exports = router;
            """,
            "src/routes/todos.js": """
                const express = require('express');
                const router = express.Router();
                const db = require('../db');

                router.get('/', list);
                router.post('/', create);
                router.route('/:id').get(one).put(update).delete(remove);
                router.patch('/:id/toggle', toggle);

                module.exports = router;
            """,
            "src/routes/auth.js": """
                const express = require('express');
                const authRouter = express.Router();
                authRouter.post("/login", login);
                authRouter.post("/register", register);
                module.exports = { authRouter };
            """,
            "src/db.js": """
                const Database = require('better-sqlite3');
                module.exports = new Database('todos.db');
            """,
        },
    )
    p = detect_app(repo)
    assert (p.language, p.framework) == ("javascript", "express")
    assert p.entrypoint == "src/index.js"
    assert p.start_script == "node src/index.js"
    assert p.dependency_files == ["package-lock.json", "package.json"]
    assert set(p.declared_dependencies) == {"express", "better-sqlite3", "bcrypt", "jsonwebtoken"}
    assert p.default_port == 3000 and p.port_env == "PORT" and p.hardcoded_port is None
    assert p.db_kind == "sqlite"
    assert routes(p) == {
        ("GET", "/health"),
        ("GET", "/api/todos"),
        ("POST", "/api/todos"),
        ("GET", "/api/todos/{id}"),
        ("PUT", "/api/todos/{id}"),
        ("DELETE", "/api/todos/{id}"),
        ("PATCH", "/api/todos/{id}/toggle"),
        ("POST", "/auth/login"),
        ("POST", "/auth/register"),
    }


def test_bare_express_file_infers_packages(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "app.js": """
                const express = require("express");
                const fs = require("fs");
                const path = require("node:path");
                const Database = require("better-sqlite3");
                const { z } = require("zod/v4");
                const { PrismaClient } = require("@prisma/client/edge");
                const helpers = require("./helpers");
                /** @param {import('express-serve-static-core').Request} req */
                const app = express();
                app.get("/todos", (req, res) => res.json([]));
                app.listen(3000);
            """,
            "helpers.js": "module.exports = {};\n",
        },
    )
    p = detect_app(repo)
    assert p.framework == "express" and p.entrypoint == "app.js"
    assert p.inferred_dependencies == ["@prisma/client", "better-sqlite3", "express", "zod"]
    assert p.hardcoded_port == 3000
    assert routes(p) == {("GET", "/todos")}


def test_esm_express_with_imports(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "package.json": '{"type": "module", "dependencies": {"express": "^4"}}',
            "server.mjs": """
                import express from 'express';
                import todoRoutes from './routes/todos.mjs';
                const app = express();
                app.use('/v2/todos', todoRoutes);
                app.listen(process.env.PORT ?? 8080);
            """,
            "routes/todos.mjs": """
                import { Router } from 'express';
                const router = Router();
                router.get('/:todoId', getOne);
                export default router;
            """,
        },
    )
    p = detect_app(repo)
    assert p.framework == "express" and p.entrypoint == "server.mjs"
    assert routes(p) == {("GET", "/v2/todos/{todoId}")}
    assert p.default_port == 8080 and p.port_env == "PORT"


@pytest.mark.parametrize(("dep", "label"), [("@hapi/hapi", "hapi"), ("restify", "restify")])
def test_other_node_frameworks_are_unknown_with_a_note(
    tmp_path: Path, dep: str, label: str
) -> None:
    repo = make_repo(
        tmp_path,
        {
            "package.json": f'{{"dependencies": {{"{dep}": "*"}}}}',
            "index.js": f"const x = require('{dep}');\nx().listen(3000);\n",
        },
    )
    p = detect_app(repo)
    assert p.language == "javascript"
    assert p.framework == "unknown"
    assert any(label in n for n in p.notes)


def test_python_declared_in_pyproject_and_pipfile(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "svc"
                dependencies = ["fastapi>=0.100", "uvicorn[standard]"]
            """,
            "Pipfile": '[packages]\nflask = "*"\nrequests = "==2.31.0"\n',
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        },
    )
    p = detect_app(repo)
    assert p.dependency_files == ["Pipfile", "pyproject.toml"]
    assert {"fastapi>=0.100", "uvicorn[standard]", "flask", "requests==2.31.0"} <= set(
        p.declared_dependencies
    )
    assert p.inferred_dependencies == []


def test_src_folder_without_init_imports_siblings(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "src/server.py": """
                from flask import Flask
                import database
                app = Flask(__name__)
                if __name__ == '__main__':
                    app.run()
            """,
            "src/database.py": "DB = 'x.db'\n",
        },
    )
    p = detect_app(repo)
    assert p.app_dir == "src" and p.app_object == "server:app"
    assert p.entrypoint == "src/server.py"
    assert p.default_port == 5000  # Flask's default for a bare app.run()


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"README.md": "nothing here\n"},
        {"app.py": "def broken(:\n    pass\n", "blob.bin": bytes(range(256)) * 10},
        {"package.json": "{not json", "index.js": "module.exports = 1;\n"},
        {"main.py": "print('hello')\n"},
        {"weird/deep/nested/x.js": "require(", "pyproject.toml": "[[[oops"},
    ],
)
def test_odd_repos_never_crash(tmp_path: Path, files: dict) -> None:
    p = detect_app(make_repo(tmp_path, files))
    assert isinstance(p, AppProfile)
    assert p.root == str(tmp_path.resolve())
    assert not any("detection stopped early" in n for n in p.notes), p.notes


def test_missing_repo_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a directory"):
        detect_app(tmp_path / "nope")


def test_vendored_directories_are_skipped(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "node_modules/express/index.js": "const app = express();\napp.get('/x', f);\n",
            ".venv/lib/site.py": "from fastapi import FastAPI\napp = FastAPI()\n",
        },
    )
    p = detect_app(repo)
    assert p.framework == "flask"
    assert p.source_files == ["app.py"]
