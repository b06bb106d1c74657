"""Typed check options: each tunable check has a small options model whose fields are its knobs
with their defaults, and overrides (a policy's ``checks:`` section, ``score(options=...)``) are
validated against it, so that an unknown or mistyped key is an input error, not a silent no-op.

A check registered with keyword defaults (``@probe(..., requests=50)``) gets a model made from
them; a check can also pass its own model (``options=LatencyOptions``) to document each field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from harness._errors import InputError

if TYPE_CHECKING:
    from harness.catalogue._registry import CheckSpec


class CheckOptions(BaseModel):
    """Base of every check's options: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    enabled: bool = True
    """False turns the check off (its verdict says so)."""


class _DefaultsOptions(CheckOptions):
    """Base of the models made from keyword defaults: they have no source to read field
    docstrings from, and pydantic's search for it costs a tenth of a second per model."""

    model_config = ConfigDict(use_attribute_docstrings=False)


def options_model(check_id: str, defaults: Mapping[str, Any]) -> type[CheckOptions]:
    """A model whose fields are ``defaults``' keys, typed by their values."""
    fields: dict[str, Any] = {}
    for key, value in defaults.items():
        kind: Any = type(value) if value is not None else Any
        if kind is int:
            kind = int | float  # a bound given as 50 may be set to 12.5
        fields[key] = (kind, value)
    name = "Options_" + "".join(c if c.isalnum() else "_" for c in check_id)
    return create_model(name, __base__=_DefaultsOptions, **fields)


def check_options(
    specs: list[CheckSpec], overrides: Mapping[str, Mapping[str, Any]] | None, where: str = ""
) -> dict[str, dict[str, Any]]:
    """``overrides`` keyed by check id or requirement id, checked against each check's model and
    returned per check id (a requirement id applies to each of its checks that has the key)."""
    by_id = {s.id: s for s in specs}
    by_requirement: dict[str, list[CheckSpec]] = {}
    for s in specs:
        by_requirement.setdefault(s.requirement, []).append(s)
    out: dict[str, dict[str, Any]] = {}
    prefix = f"{where}: " if where else ""
    for key, values in (overrides or {}).items():
        if not isinstance(values, Mapping):
            raise InputError(f"{prefix}options for {key!r} must be a mapping of option: value")
        targets = [by_id[key]] if key in by_id else by_requirement.get(key, [])
        if not targets:
            raise InputError(f"{prefix}no check or requirement {key!r} takes options")
        for name, value in values.items():
            takers = [s for s in targets if name in s.options_model.model_fields]
            if not takers:
                allowed = sorted({f for s in targets for f in s.options_model.model_fields})
                raise InputError(
                    f"{prefix}{key}: unknown option {name!r}; it takes {', '.join(allowed)}"
                )
            for s in takers:
                try:
                    s.options_model.model_validate({**s.options, name: value})
                except ValidationError as exc:
                    problem = exc.errors()[0]["msg"]
                    raise InputError(f"{prefix}{key}.{name}: {value!r}: {problem}") from None
                out.setdefault(s.id, {})[name] = value
    return out
