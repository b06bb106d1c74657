"""The viewer's HTTP server: read-only pages over an :class:`Index`, on 127.0.0.1 only.

Every page is rendered from files the index found (a path not in the index is a 404, so no
request can read outside the folder); only GET and HEAD are served; a Host header other than the
loopback address and port is refused, so a web page elsewhere cannot reach the viewer through
DNS rebinding."""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from harness._errors import HarnessError
from harness.view._index import Index, build_index
from harness.view._pages import index_page, with_nav

HOST = "127.0.0.1"


class Viewer(ThreadingHTTPServer):
    """A viewer over ``root``; the index is built again for each list page (new runs appear)."""

    daemon_threads = True

    def __init__(self, root: Path, port: int = 0) -> None:
        self.root = root.resolve()
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def index(self) -> Index:
        return build_index(self.root)

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="harness-view", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: Viewer
    server_version = "harness-view"

    def log_message(self, format: str, *args: object) -> None:
        pass  # a terminal full of GET lines helps nobody

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _refuse(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "read-only viewer\n", "text/plain", head=False)

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

    def _serve(self, *, head: bool) -> None:
        port = self.server.server_address[1]
        if self.headers.get("Host", "") not in (f"{HOST}:{port}", f"localhost:{port}"):
            self._send(HTTPStatus.FORBIDDEN, "unexpected Host header\n", "text/plain", head=head)
            return
        url = urlsplit(self.path)
        if url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, "", "text/plain", head=True)
            return
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        route: dict[str, Callable[[dict[str, str]], tuple[str, str]]] = {
            "/": self._index,
            "/index.json": self._index_json,
            "/scorecard": self._scorecard,
            "/batch": self._batch,
            "/diff": self._diff,
            "/compare": self._compare,
        }
        handler = route.get(url.path)
        if handler is None:
            self._send(HTTPStatus.NOT_FOUND, "not found\n", "text/plain", head=head)
            return
        try:
            body, kind = handler(query)
        except LookupError as exc:
            self._send(HTTPStatus.NOT_FOUND, f"{exc}\n", "text/plain", head=head)
            return
        except HarnessError as exc:
            self._send(HTTPStatus.UNPROCESSABLE_ENTITY, f"{exc}\n", "text/plain", head=head)
            return
        self._send(HTTPStatus.OK, body, kind, head=head)

    def _send(self, status: HTTPStatus, body: str, kind: str, *, head: bool) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    # -- pages -------------------------------------------------------------------------------

    def _known(self, rel: str, allowed: set[str]) -> Path:
        if rel not in allowed:
            raise LookupError(f"{rel!r} is not a run under {self.server.root}")
        return self.server.root / rel

    def _index(self, _q: dict[str, str]) -> tuple[str, str]:
        return index_page(self.server.index()), "text/html"

    def _index_json(self, _q: dict[str, str]) -> tuple[str, str]:
        return self.server.index().model_dump_json(indent=2), "application/json"

    def _scorecard(self, q: dict[str, str]) -> tuple[str, str]:
        from harness.report import load_scorecard, render

        index = self.server.index()
        path = self._known(q.get("path", ""), {c.path for c in index.cards})
        return with_nav(render(load_scorecard(path), "html"), q["path"]), "text/html"

    def _batch(self, q: dict[str, str]) -> tuple[str, str]:
        from harness.batch import load_summary, summary_html

        index = self.server.index()
        folder = self._known(q.get("path", ""), {b.path for b in index.batches})
        page = summary_html(load_summary(folder / "summary.json"))
        return with_nav(page, q["path"]), "text/html"

    def _diff(self, q: dict[str, str]) -> tuple[str, str]:
        from harness.batch import DiffReport, diff_html

        index = self.server.index()
        path = self._known(q.get("path", ""), {d.path for d in index.diffs})
        report = DiffReport.model_validate(json.loads(path.read_text(encoding="utf-8")))
        return with_nav(diff_html(report), q["path"]), "text/html"

    def _compare(self, q: dict[str, str]) -> tuple[str, str]:
        from harness.batch import diff, diff_html

        index = self.server.index()
        sides = set(index.sides())
        base = self._known(q.get("base", ""), sides)
        candidate = self._known(q.get("candidate", ""), sides)
        report = diff(base, candidate)
        title = f"{html.escape(q['base'])} → {html.escape(q['candidate'])}"
        return with_nav(diff_html(report), title, escaped=True), "text/html"
