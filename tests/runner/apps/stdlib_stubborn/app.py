"""A server that ignores SIGTERM and forks a child that also lingers (teardown test)."""

import http.server
import os
import signal
import time

signal.signal(signal.SIGTERM, signal.SIG_IGN)

if os.fork() == 0:  # a grandchild in a new session: it escapes the process group
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(1)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"pid {os.getpid()}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
