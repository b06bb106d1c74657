"""Pure parts of the XSS probe: which payloads count as served raw, which inputs get payloads,
and which pages are read back for the records the writes stored."""

from __future__ import annotations

import httpx

from harness.apimodel import Account, Operation
from harness.probes._xss import (
    Run,
    Written,
    _fill,
    _query_from,
    _text_fields,
    payload_pattern,
    raw_html,
    xss_payloads,
)


def _resp(text: str, ctype: str | None) -> httpx.Response:
    headers = {"content-type": ctype} if ctype else {}
    return httpx.Response(200, content=text.encode(), headers=headers)


def test_only_this_runs_payloads_served_raw_as_html_count() -> None:
    pattern = payload_pattern("hxab12")
    script, img = xss_payloads("hxab12n7")
    assert raw_html(_resp(f"<p>{script}</p>", "text/html; charset=utf-8"), pattern)
    hit = raw_html(_resp(f"<li>{img}</li>", None), pattern)  # no type: browsers sniff HTML
    assert hit is not None and (hit.group(1) or hit.group(2)) == "hxab12n7"
    # JSON, escaped text and another run's payload are inert
    assert raw_html(_resp(f'{{"name": "{script}"}}', "application/json"), pattern) is None
    escaped = script.replace("<", "&lt;").replace(">", "&gt;")
    assert raw_html(_resp(escaped, "text/html"), pattern) is None
    other = xss_payloads("hxff00n1")[0]
    assert raw_html(_resp(other, "text/html"), pattern) is None


def test_payloads_carry_no_quotes_that_would_break_spliced_sql() -> None:
    assert all("'" not in p and '"' not in p for p in xss_payloads("hx1n1"))
    assert "/" not in xss_payloads("hx1n1")[1]  # fits in a path segment
    run = Run(tag="hx1", pattern=payload_pattern("hx1"))
    (m1, p1), (m2, p2) = run.payloads()
    assert m1 != m2 and m1 in p1 and m2 in p2 and p1.startswith("<script>")


def test_inputs_are_path_query_and_body_text_fields_not_the_users_identity() -> None:
    page = Operation(method="GET", path="/profiles/{username}", path_params=["username"])
    assert _text_fields(page, None) == ["username"]
    search = Operation(method="GET", path="/search", query_params=["q", "limit"])
    assert _text_fields(search, None) == ["q"]
    bare = Operation(method="GET", path="/")
    assert _text_fields(bare, None) == ["q", "name"]
    user = Account.fresh("a")
    mine = Operation(method="GET", path="/get_secret", query_params=["username"])
    assert _text_fields(mine, user) == []
    create = Operation(
        method="POST",
        path="/posts",
        body_example={"email": "a@b.c", "title": "t", "views": 3, "username": "u"},
    )
    # the signed-in user's own username and email stay theirs; numbers take no script
    assert _text_fields(create, user) == ["title"]
    assert _text_fields(create, None) == ["title", "username", "email"]


def test_item_pages_are_filled_with_the_written_records_key_or_id() -> None:
    op = Operation(method="POST", path="/profiles")
    by_name = Written(op, {"username": "hx1n3", "bio": "x"}, None, None)
    assert _fill(["username"], by_name, None) == {"username": "hx1n3"}
    by_id = Written(op, {"title": "x"}, {"id": 42, "title": "x"}, None)
    assert _fill(["id"], by_id, None) == {"id": "42"}
    assert _fill(["slug"], Written(op, {"title": "x"}, "Created", None), None) is None
    # /u/{name} shows the record created with username=...
    assert _fill(["name"], Written(op, {"username": "hx1n4"}, None, None), None) == {
        "name": "hx1n4"
    }


def test_filtered_pages_take_the_stored_records_own_values() -> None:
    page = Operation(method="GET", path="/recommender", query_params=["tags"])
    w = Written(Operation(method="POST", path="/recommender"), {"tags": ["blue"]}, None, None)
    assert _query_from(page, w) == {"tags": "blue"}
    single = Operation(method="GET", path="/items", query_params=["tag"])
    assert _query_from(single, w) == {"tag": "blue"}
    assert _query_from(page, None) == {}


def test_pages_read_back_cover_search_item_and_redirect_targets() -> None:
    from types import SimpleNamespace

    from harness.probes._xss import _pages

    ops = [
        Operation(method="POST", path="/posts", body_example={"title": "t"}),
        Operation(method="GET", path="/search", query_params=["query"]),
        Operation(method="GET", path="/posts/{id}", path_params=["id"]),
        Operation(method="GET", path="/logout"),
    ]
    ctx = SimpleNamespace(
        api=SimpleNamespace(operations=ops, resource=None),
        app=SimpleNamespace(base_url="http://127.0.0.1:5000"),
    )
    run = Run(tag="hx9", pattern=payload_pattern("hx9"))
    assert _pages(ctx, run, None) == [("/search", {})]  # nothing written yet
    run.written.append(Written(ops[0], {"title": "<script>"}, {"id": 7}, "/posts/7?ok=1"))
    pages = _pages(ctx, run, None)
    assert ("/search", {"query": "hx9"}) in pages  # a substring search for the run's tag
    assert ("/posts/7", {}) in pages
    assert not any(p == "/logout" for p, _ in pages)
    # no id in the answer: the first ids of a fresh table
    run.written[:] = [Written(ops[0], {"title": "x"}, None, None)]
    assert ("/posts/1", {}) in _pages(ctx, run, None)
