"""The pure parts of the SSRF and mass-assignment probes: which URLs and fields they send and
how a read-back value is judged."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import pytest

from harness.apimodel import Account
from harness.probes._mass_assignment import _is_of, privileged_value, took
from harness.probes._ssrf import URL_FIELD, loopback_forms


def test_every_canary_form_is_this_machines_loopback() -> None:
    for _, url in loopback_forms(4321, "abc"):
        parts = urlsplit(url)
        assert parts.port == 4321 and parts.path.startswith("/ssrf-abc")
        host = parts.hostname or ""
        if host == "localhost":
            continue
        # the decimal and short forms are what inet_aton reads them as
        packed = socket.inet_aton(host) if ":" not in host else None
        addr = ipaddress.ip_address(packed if packed else host)
        assert addr.is_loopback, url


@pytest.mark.parametrize(
    "name", ["url", "link", "webhook", "callback_url", "image_url", "imageUrl", "target", "feedUrl"]
)
def test_url_fields_are_recognised(name: str) -> None:
    assert URL_FIELD.match(name)


@pytest.mark.parametrize("name", ["title", "urgent", "curly", "description", "email"])
def test_other_fields_are_not(name: str) -> None:
    assert not URL_FIELD.match(name)


def test_privileged_names_and_what_they_would_be_set_to() -> None:
    assert privileged_value("role") == "admin"
    assert privileged_value("is_admin") is True and privileged_value("isAdmin") is True
    assert privileged_value("balance") == 1_000_000
    assert privileged_value("display_name") is None and privileged_value("email") is None


@pytest.mark.parametrize(
    ("sent", "got", "effect"),
    [
        ("admin", "admin", True),
        ("admin", ["user", "admin"], True),
        ("admin", "user", False),
        (True, True, True),
        (True, 1, True),
        (True, False, False),
        (True, 0, False),
        (1_000_000, 1_000_000.0, True),
        (1_000_000, 0, False),
        (1_000_000, True, False),
    ],
)
def test_a_read_back_value_took_effect_only_when_it_is_the_privilege(
    sent: object, got: object, effect: bool
) -> None:
    assert took(sent, got) is effect


def test_a_profile_read_back_counts_only_when_it_is_the_users_own() -> None:
    acc = Account.fresh("c")
    acc.user_id = 7
    assert _is_of({"id": 7, "role": "user"}, acc)
    assert _is_of({"username": acc.username}, acc)
    assert not _is_of({"id": 1, "username": "someone-else", "role": "admin"}, acc)
    assert _is_of({"role": "user"}, acc)  # names nobody: taken as the caller's own
