# File: contacts/api/contacts.py
"""Contacts of the signed-in user; every route of the blueprint requires a token."""

from __future__ import annotations

from flask import Blueprint, Response, g, request

from contacts.auth import require_user
from contacts.envelope import ok
from contacts.schemas import ContactSchema, ContactUpdateSchema, PageSchema
from contacts.services import contact_service

contacts_bp = Blueprint("contacts", __name__)
contacts_bp.before_request(require_user)


@contacts_bp.get("")
def list_contacts() -> tuple[Response, int]:
    paging = PageSchema().load(request.args)
    rows, total = contact_service.list_page(g.user_id, paging["page"], paging["size"])
    return ok(rows, meta={"page": paging["page"], "size": paging["size"], "total": total})


@contacts_bp.post("")
def create_contact() -> tuple[Response, int]:
    data = ContactSchema().load(request.get_json(silent=False) or {})
    return ok(contact_service.create(g.user_id, data), "Contact created", 201)


@contacts_bp.get("/<int:contact_id>")
def get_contact(contact_id: int) -> tuple[Response, int]:
    return ok(contact_service.get(g.user_id, contact_id))


@contacts_bp.put("/<int:contact_id>")
def update_contact(contact_id: int) -> tuple[Response, int]:
    data = ContactUpdateSchema().load(request.get_json(silent=False) or {})
    return ok(contact_service.update(g.user_id, contact_id, data), "Contact updated")


@contacts_bp.delete("/<int:contact_id>")
def delete_contact(contact_id: int) -> tuple[Response, int]:
    contact_service.delete(g.user_id, contact_id)
    return Response(status=204)
