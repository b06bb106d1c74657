"""The check references in docs/ are generated from the registry: a check added, removed or
re-documented without regenerating them fails here."""

from __future__ import annotations

import pytest

from harness._docs import BEGIN, END, doc_path, reference, spliced


@pytest.mark.parametrize("name", ["static", "probes"])
def test_reference_matches_the_registry(name: str) -> None:
    text = doc_path(name).read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    assert spliced(text, reference(name)) == text, (
        f"docs/{doc_path(name).name} is out of date: run `harness checks --write-docs`"
    )


def test_every_check_is_documented_by_its_own_code() -> None:
    from harness._score import load_checks
    from harness.catalogue import registered_checks
    from harness.static._catalogue import load_catalogue

    load_checks()
    data = load_catalogue().checks
    undocumented = [
        s.id
        for s in registered_checks()
        if (s.func is not None and "Fails:" not in (s.func.__doc__ or "") and s.kind == "static")
        or (s.func is not None and s.kind == "live" and not (s.func.__doc__ or "").strip())
        or (s.func is None and s.id not in data)
    ]
    assert undocumented == []


def test_a_changed_docstring_shows_up_as_drift() -> None:
    text = doc_path("probes").read_text(encoding="utf-8")
    stale = text.replace("Fails: ", "Fails when: ", 1)
    assert spliced(stale, reference("probes")) != stale
