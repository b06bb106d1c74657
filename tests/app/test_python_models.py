"""Request models of layered FastAPI projects: schemas in their own module, imported by the
routers (absolute, relative or as a module), and models that inherit their fields."""

from __future__ import annotations

import textwrap
from pathlib import Path

from harness.app import detect_app

SCHEMAS = """
from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Registration(Strict):
    email: str
    password: str = Field(min_length=12)


class ItemBase(BaseModel):
    name: str
    quantity: int = 0


class ItemCreate(ItemBase):
    sku: str | None = None


class ItemPatch(ItemBase):
    pass
"""

MAIN = """
from fastapi import APIRouter, FastAPI

from app.routers import auth, items

app = FastAPI()
api = APIRouter(prefix="/api/v1")
api.include_router(auth.router)
api.include_router(items.router)
app.include_router(api)
"""

AUTH = """
from fastapi import APIRouter, Request

from app.schemas import Registration as SignUp

router = APIRouter(prefix="/auth")


@router.post("/register", status_code=201)
def register(request: Request, body: SignUp) -> dict:
    return {}
"""

ITEMS = """
from fastapi import APIRouter

from .. import schemas
from ..schemas import ItemPatch

router = APIRouter(prefix="/items")


@router.post("")
def create_item(body: schemas.ItemCreate) -> dict:
    return {}


@router.put("/{item_id}")
def update_item(item_id: int, body: ItemPatch) -> dict:
    return {}
"""


def _repo(root: Path) -> Path:
    files = {
        "requirements.txt": "fastapi\nuvicorn\n",
        "app/__init__.py": "",
        "app/routers/__init__.py": "",
        "app/main.py": MAIN,
        "app/schemas.py": SCHEMAS,
        "app/routers/auth.py": AUTH,
        "app/routers/items.py": ITEMS,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip())
    return root


def test_models_imported_from_another_module_give_the_body_fields(tmp_path: Path) -> None:
    routes = {(r.method, r.path): r for r in detect_app(_repo(tmp_path)).routes}
    register = routes[("POST", "/api/v1/auth/register")]
    assert register.body_fields == ["email", "password"]  # through an `as` alias and a base
    assert register.body_kind == "json"
    create = routes[("POST", "/api/v1/items")]
    assert create.body_fields == ["name", "quantity", "sku"]  # module import, inherited first
    update = routes[("PUT", "/api/v1/items/{item_id}")]
    assert update.body_fields == ["name", "quantity"]  # relative import, fields all inherited
    assert update.query_params == []


FLASK = {
    "requirements.txt": "flask\nmarshmallow\n",
    "wsgi.py": "from contacts import create_app\n\napp = create_app()\n",
    "contacts/__init__.py": """
        from flask import Flask

        from contacts.api import register_blueprints


        def create_app() -> Flask:
            app = Flask(__name__)
            register_blueprints(app)
            return app
    """,
    "contacts/api/__init__.py": """
        from flask import Flask

        from contacts.api.auth import auth_bp
        from contacts.api.contacts import contacts_bp

        API_PREFIX = "/api/v1"


        def register_blueprints(app: Flask) -> None:
            app.register_blueprint(auth_bp, url_prefix=f"{API_PREFIX}/auth")
            app.register_blueprint(contacts_bp, url_prefix=f"{API_PREFIX}/contacts")
    """,
    "contacts/schemas.py": """
        from marshmallow import Schema, fields


        class LoginSchema(Schema):
            email = fields.Email(required=True)
            password = fields.String(required=True)


        class PageSchema(Schema):
            page = fields.Integer(load_default=1)
            size = fields.Integer(load_default=20)


        class ContactOut(Schema):
            id = fields.Integer()
            name = fields.String()
    """,
    "contacts/api/auth.py": """
        from flask import Blueprint, request

        from contacts.schemas import LoginSchema

        auth_bp = Blueprint("auth", __name__)


        def _json() -> dict:
            return request.get_json() or {}


        @auth_bp.post("/login")
        def login():
            data = LoginSchema().load(_json())
            return data
    """,
    "contacts/api/contacts.py": """
        from flask import Blueprint, request

        from contacts import schemas

        contacts_bp = Blueprint("contacts", __name__)


        @contacts_bp.get("")
        def list_contacts():
            paging = schemas.PageSchema().load(request.args)
            rows = [{"id": 1, "name": "x"}]
            return {"data": schemas.ContactOut(many=True).dump(rows), **paging}


        @contacts_bp.get("/<int:contact_id>")
        def get_contact(contact_id: int):
            return schemas.ContactOut().load({"id": contact_id, "name": "x"})
    """,
}


def test_blueprints_registered_by_a_function_the_factory_calls(tmp_path: Path) -> None:
    for rel, text in FLASK.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text).lstrip())
    routes = {(r.method, r.path): r for r in detect_app(tmp_path).routes}
    assert set(routes) == {
        ("POST", "/api/v1/auth/login"),
        ("GET", "/api/v1/contacts"),
        ("GET", "/api/v1/contacts/{contact_id}"),
    }
    login = routes[("POST", "/api/v1/auth/login")]
    assert login.body_fields == ["email", "password"] and login.body_kind == "json"
    listing = routes[("GET", "/api/v1/contacts")]
    assert listing.query_params == ["page", "size"] and listing.body_fields == []
    # a schema loading a literal (not the request) names no input
    assert routes[("GET", "/api/v1/contacts/{contact_id}")].body_fields == []
