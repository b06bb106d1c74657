# File: app/pagination.py
"""Bounded page parameters shared by list endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query


@dataclass(frozen=True)
class Page:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def meta(self, total: int) -> dict[str, int]:
        return {"page": self.page, "size": self.size, "total": total}


def page_params(
    page: int = Query(1, ge=1, le=10_000),
    size: int = Query(20, ge=1, le=100),
) -> Page:
    return Page(page=page, size=size)
