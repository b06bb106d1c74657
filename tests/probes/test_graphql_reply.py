"""What a GraphQL answer means, whatever its status code (docs/graphql.md): served is a 200 with
data and no errors, refused is errors without data (400 or 200), a partial answer is neither."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from harness.apimodel import gql_data
from harness.probes._gql_session import GqlReply
from harness.scorecard import Exchange


def reply(status: int, body: Any) -> GqlReply:
    resp = httpx.Response(status, json=body)
    data, errors = gql_data(body)
    ex = Exchange(method="POST", url="http://127.0.0.1/graphql", curl="curl", status=status)
    return GqlReply(resp, ex, body, data, errors)


ERR = [{"message": "Query depth 9 exceeds the maximum of 7"}]


@pytest.mark.parametrize(
    ("status", "body", "served", "refused"),
    [
        (200, {"data": {"me": {"id": "1"}}}, True, False),
        (200, {"data": {"me": None}}, True, False),  # executed: nothing to show is still run
        (400, {"errors": ERR}, False, True),  # GraphQL over HTTP: a validation error
        (200, {"errors": ERR}, False, True),  # older servers: the same refusal with 200
        (200, {"errors": ERR, "data": None}, False, True),
        (200, {"data": {"me": {"id": "1"}, "notes": None}, "errors": ERR}, False, False),
        (413, {"error": "request entity too large"}, False, True),
        (500, {"data": {"me": {"id": "1"}}}, False, False),
    ],
)
def test_served_and_refused_are_read_from_the_body(
    status: int, body: Any, served: bool, refused: bool
) -> None:
    got = reply(status, body)
    assert (got.served, got.refused) == (served, refused)


def test_no_answer_is_neither() -> None:
    ex = Exchange(method="POST", url="http://127.0.0.1/graphql", curl="curl", error="timeout")
    got = GqlReply(None, ex, None, None, [])
    assert not got.served and not got.refused
