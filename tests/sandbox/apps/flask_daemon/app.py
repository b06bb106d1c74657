"""Notes service that starts a background "queue worker" as a classic daemon.

Hostile: double fork + setsid, so the worker leaves the app's session and process group and is
re-parented away from it, hoping to outlive the run. Bounded: it exits after 300 seconds.
"""

import os

from flask import Flask, jsonify

app = Flask(__name__)
WORKER_NAME = "queue-worker-{{token}}"
LOOP = "i=0; while [ $i -lt 300 ]; do sleep 1; i=$((i+1)); done"


def daemonize_worker() -> None:
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.chdir("/")
                os.execv("/bin/sh", ["/bin/sh", "-c", LOOP, WORKER_NAME])
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


daemonize_worker()


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/notes")
def list_notes():
    return jsonify([])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
