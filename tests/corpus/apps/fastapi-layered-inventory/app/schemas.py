# File: app/schemas.py
"""Request and response models; unknown fields are refused."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Credentials(Strict):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)


class Registration(Strict):
    email: EmailStr
    password: str = Field(min_length=12, max_length=128)

    @field_validator("password")
    @classmethod
    def strong(cls, value: str) -> str:
        classes = [r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"]
        if sum(bool(re.search(c, value)) for c in classes) < 3:
            raise ValueError("password needs three of: lower case, upper case, digit, symbol")
        return value


class RefreshIn(Strict):
    refresh_token: str = Field(min_length=20, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    role: str
    created_at: datetime


class ItemIn(Strict):
    name: str = Field(min_length=1, max_length=120)
    sku: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    description: str = Field(default="", max_length=2000)
    quantity: int = Field(default=0, ge=0, le=1_000_000)


class ItemPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    sku: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    description: str | None = Field(default=None, max_length=2000)
    quantity: int | None = Field(default=None, ge=0, le=1_000_000)


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    sku: str | None
    description: str
    quantity: int
    created_at: datetime
    updated_at: datetime
