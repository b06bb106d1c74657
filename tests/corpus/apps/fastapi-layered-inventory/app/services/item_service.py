# File: app/services/item_service.py
"""Item use cases for the signed-in owner."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import Item
from app.pagination import Page
from app.repositories.item_repository import ItemRepository
from app.schemas import ItemIn, ItemPatch


class ItemService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.items = ItemRepository(db)

    def list(self, owner_id: int, page: Page, q: str | None) -> tuple[list[Item], int]:
        return self.items.list(owner_id, page.offset, page.size, q)

    def get(self, owner_id: int, item_id: int) -> Item:
        item = self.items.get(owner_id, item_id)
        if item is None:
            raise NotFound("Item not found")
        return item

    def create(self, owner_id: int, data: ItemIn) -> Item:
        item = self.items.add(owner_id, **data.model_dump())
        self.db.commit()
        return item

    def update(self, owner_id: int, item_id: int, data: ItemPatch) -> Item:
        item = self.get(owner_id, item_id)
        for key, value in data.model_dump(exclude_unset=True).items():
            setattr(item, key, value)
        self.db.commit()
        return item

    def delete(self, owner_id: int, item_id: int) -> None:
        self.items.soft_delete(self.get(owner_id, item_id))
        self.db.commit()
