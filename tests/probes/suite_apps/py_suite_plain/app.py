"""A stdlib backend with plain pytest-style tests and no dependencies."""

import http.server
import json
import os


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"status": "ok", "pid": os.getpid()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def add(a: int, b: int) -> int:
    return a + b


if __name__ == "__main__":
    server = http.server.HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8000"))), Handler)
    server.serve_forever()
