"""Which body fields the secrets-at-rest probe writes a secret into, by name."""

from __future__ import annotations

import pytest

from harness.probes._at_rest import _NAMED_SECRET, SECRET_FIELD, _snake


def secret_like(name: str) -> bool:
    return bool(SECRET_FIELD.match(name) or _NAMED_SECRET.search(_snake(name)))


@pytest.mark.parametrize(
    "name", ["api_key", "github_token", "stripeSecret", "api_token", "accessKey", "client_secret"]
)
def test_secret_names_inside_longer_names_are_targets(name: str) -> None:
    assert secret_like(name)


@pytest.mark.parametrize(
    "name", ["token_type", "token_id", "csrf_token", "secret_name", "tokenCount", "secretary"]
)
def test_names_about_a_secret_but_not_one_are_not(name: str) -> None:
    assert not secret_like(name)
