# File: app/repositories/item_repository.py
"""Items, always scoped to their owner; deleted rows are hidden from every read."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Item


class ItemRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def _live(self, owner_id: int):  # type: ignore[no-untyped-def]
        return select(Item).where(Item.owner_id == owner_id, Item.deleted_at.is_(None))

    def list(self, owner_id: int, offset: int, limit: int, q: str | None) -> tuple[list[Item], int]:
        query = self._live(owner_id)
        if q:
            pattern = f"%{q}%"
            query = query.where(or_(Item.name.ilike(pattern), Item.sku.ilike(pattern)))
        total = self.db.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.db.scalars(query.order_by(Item.id).offset(offset).limit(limit)).all()
        return list(rows), total

    def get(self, owner_id: int, item_id: int) -> Item | None:
        return self.db.scalar(self._live(owner_id).where(Item.id == item_id))

    def add(self, owner_id: int, **fields: object) -> Item:
        item = Item(owner_id=owner_id, **fields)
        self.db.add(item)
        self.db.flush()
        return item

    def soft_delete(self, item: Item) -> None:
        item.deleted_at = datetime.now(timezone.utc)
