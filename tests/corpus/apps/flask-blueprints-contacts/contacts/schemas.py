# File: contacts/schemas.py
"""marshmallow schemas for every request body and query; unknown fields are refused."""

from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class RegisterSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(min=12, max=128))

    @validates("password")
    def strong(self, value: str, **_: object) -> None:
        classes = [r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"]
        if sum(bool(re.search(c, value)) for c in classes) < 3:
            raise ValidationError("password needs three of: lower case, upper case, digit, symbol")


class LoginSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class RefreshSchema(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=20, max=200))


class ContactSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()-]{3,32}$")
    )
    notes = fields.String(load_default="", validate=validate.Length(max=2000))


class ContactUpdateSchema(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()-]{3,32}$"))
    notes = fields.String(validate=validate.Length(max=2000))


class PageSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
