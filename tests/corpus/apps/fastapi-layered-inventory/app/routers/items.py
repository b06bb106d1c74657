# File: app/routers/items.py
"""Items of the signed-in user; other users' items answer 404."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from app.db import get_db
from app.deps import current_user
from app.envelope import ok
from app.models import User
from app.pagination import Page, page_params
from app.schemas import ItemIn, ItemOut, ItemPatch
from app.services.item_service import ItemService

router = APIRouter(prefix="/items", tags=["items"])


@router.get("")
def list_items(
    page: Page = Depends(page_params),
    q: str | None = Query(None, max_length=100),
    user: User = Depends(current_user),
    db: Session = Depends(get_db),
) -> JSONResponse:
    rows, total = ItemService(db).list(user.id, page, q)
    return ok([ItemOut.model_validate(r) for r in rows], meta=page.meta(total))


@router.post("", status_code=201)
def create_item(
    body: ItemIn, user: User = Depends(current_user), db: Session = Depends(get_db)
) -> JSONResponse:
    item = ItemService(db).create(user.id, body)
    return ok(ItemOut.model_validate(item), "Item created", status=201)


@router.get("/{item_id}")
def get_item(
    item_id: int = Path(ge=1, le=2**31 - 1),
    user: User = Depends(current_user),
    db: Session = Depends(get_db),
) -> JSONResponse:
    return ok(ItemOut.model_validate(ItemService(db).get(user.id, item_id)))


@router.put("/{item_id}")
def update_item(
    body: ItemPatch,
    item_id: int = Path(ge=1, le=2**31 - 1),
    user: User = Depends(current_user),
    db: Session = Depends(get_db),
) -> JSONResponse:
    item = ItemService(db).update(user.id, item_id, body)
    return ok(ItemOut.model_validate(item), "Item updated")


@router.delete("/{item_id}", status_code=204)
def delete_item(
    item_id: int = Path(ge=1, le=2**31 - 1),
    user: User = Depends(current_user),
    db: Session = Depends(get_db),
) -> Response:
    ItemService(db).delete(user.id, item_id)
    return Response(status_code=204)
