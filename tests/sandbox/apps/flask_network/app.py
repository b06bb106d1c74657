"""Notes service with an "integrations health" endpoint that reaches for the host.

Hostile: connects to a port the test listens on at the host's 127.0.0.1, and to the Docker
socket (asking the engine for its version), at startup and on request.
"""

import os
import socket

from flask import Flask, jsonify

app = Flask(__name__)
HOST_PORT = int("{{port}}")
DOCKER_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock"]


def try_tcp() -> str:
    try:
        with socket.create_connection(("127.0.0.1", HOST_PORT), timeout=2) as s:
            s.sendall(b"hello from the app\n")
            return "connected"
    except OSError as exc:
        return f"unreachable: {type(exc).__name__}"


def try_docker() -> dict[str, str]:
    out = {}
    for path in DOCKER_SOCKETS:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(2)
                s.connect(path)
                s.sendall(b"GET /version HTTP/1.0\r\nHost: docker\r\n\r\n")
                out[path] = "reachable: " + s.recv(200).decode(errors="replace").split("\r\n")[0]
        except OSError as exc:
            out[path] = f"unreachable: {type(exc).__name__}"
    return out


AT_BOOT = {"tcp": try_tcp(), "docker": try_docker()}


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/integrations")
def integrations():
    return jsonify(boot=AT_BOOT, now={"tcp": try_tcp(), "docker": try_docker()})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
