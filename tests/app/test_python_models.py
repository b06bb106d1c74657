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
