"""Validation answers wrapped in an envelope (``{"error": {"details": {"fields": {...}}}}``,
marshmallow's per-field message lists): the field names inside are learned, the container key
is not taken for a field; body fields known by name only get values of the format their name
implies."""

from __future__ import annotations

import httpx

from harness.apimodel._discover import field_value
from harness.apimodel._learn import feedback


def test_fields_nested_in_the_error_envelope_are_read() -> None:
    sent = {"name": "Probe item", "email": "probe", "title": "x"}
    resp = httpx.Response(
        400,
        json={
            "success": False,
            "error": {
                "code": "VALIDATION_ERROR",
                "message": "Request validation failed",
                "details": {
                    "fields": {
                        "email": ["Not a valid email address."],
                        "phone": ["Missing data for required field."],
                    }
                },
            },
        },
    )
    fb = feedback(resp, sent)
    assert "fields" not in fb.missing
    assert fb.missing == {"phone"}
    assert set(fb.invalid) == {"email"}


def test_format_implied_by_the_field_name() -> None:
    assert field_value("email") == "probe@example.com"
    assert field_value("contact_email") == "probe@example.com"
    assert field_value("phone") == "+15555550100"
    assert field_value("avatar_url") == "https://example.com/probe"
    assert field_value("notes") == "probe"


def test_an_enum_field_gets_the_first_value_the_answer_allows() -> None:
    from harness.apimodel._learn import allowed_choice

    joi = httpx.Response(
        400,
        json={
            "error": {
                "details": {
                    "fields": [
                        {
                            "field": "status",
                            "message": '"status" must be one of [active, paused, done]',
                        }
                    ]
                }
            }
        },
    )
    assert allowed_choice(joi.text, "status") == "active"
    marshmallow = httpx.Response(400, json={"errors": {"kind": ["Must be one of: work, home."]}})
    assert allowed_choice(marshmallow.text, "kind") == "work"
    pydantic = httpx.Response(
        422,
        json={"detail": [{"loc": ["body", "level"], "msg": "Input should be 'low' or 'high'"}]},
    )
    assert allowed_choice(pydantic.text, "level") == "low"
    assert allowed_choice('{"detail": "title: Field required"}', "title") is None


def test_wrong_method_404_is_accepted_only_from_agents_that_list_no_405() -> None:
    from harness.probes._errors import _wrong_method_codes

    assert _wrong_method_codes({200, 201, 400, 401, 403, 404, 500}) == {404, 405}
    assert _wrong_method_codes({200, 404, 405}) == {405}
    assert _wrong_method_codes(set()) == {405}


def test_xss_bodies_start_from_the_create_body_the_app_accepted() -> None:
    from types import SimpleNamespace

    from harness.apimodel._model import Operation, Resource
    from harness.probes._xss import _learned_example

    res = Resource(
        name="projects",
        collection_path="/api/v1/projects",
        item_path="/api/v1/projects/{id}",
        create_example={"name": "Probe item", "status": "active"},
    )
    ctx = SimpleNamespace(api=SimpleNamespace(resource=res))  # the probe reads only this
    guessed = {"name": "probe", "description": "probe", "status": "probe"}
    create = Operation(method="POST", path="/api/v1/projects", body_example=guessed)
    update = Operation(method="PUT", path="/api/v1/projects/{id}", body_example=guessed)
    other = Operation(method="POST", path="/api/v1/auth/register", body_example={"status": "x"})
    assert _learned_example(ctx, create) == {  # type: ignore[arg-type]
        "name": "Probe item",
        "description": "probe",
        "status": "active",
    }
    assert _learned_example(ctx, update)["status"] == "active"  # type: ignore[arg-type]
    assert _learned_example(ctx, other) == {"status": "x"}  # type: ignore[arg-type]
