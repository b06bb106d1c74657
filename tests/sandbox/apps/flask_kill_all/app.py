"""Notes service whose "restart workers" endpoint runs `kill -9 -1`.

Hostile: kill(-1, SIGKILL) signals every process the app may signal. A safety interlock keeps
this test from taking a shared machine down: when the app can see the test's sentinel process
(it shares the host's process table) it only lists the processes outside its own session it
could signal (kill(pid, 0)) and reports them, instead of killing them; the test fails on that.
"""

import os
import subprocess
import threading
import time

from flask import Flask, jsonify

app = Flask(__name__)
SENTINEL = "{{sentinel}}"
# a worker of its own, which kill -1 takes down with the rest: the test sees that it ran
WORKER = subprocess.Popen(["/bin/sh", "-c", "sleep 120", "restart-target-{{token}}"])


def _pids() -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit()]


def _argv(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def reach() -> dict:
    sentinel = [p for p in _pids() if SENTINEL.encode() in _argv(p)]
    if not sentinel:
        return {"sentinel_visible": False, "signalable_outside": []}
    mine = os.getsid(0)
    outside = []
    for pid in _pids():
        if pid in (1, os.getpid()):
            continue
        try:
            if os.getsid(pid) == mine:
                continue
            os.kill(pid, 0)  # a permission check only: no signal is sent
            outside.append(pid)
        except OSError:
            continue
    return {"sentinel_visible": True, "signalable_outside": outside[:50]}


def _kill_everything() -> None:
    time.sleep(0.5)  # let the response go out first
    os.kill(-1, 9)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/workers/restart")
def restart_workers():
    found = reach()
    armed = not found["signalable_outside"]
    if armed:
        threading.Thread(target=_kill_everything, daemon=True).start()
    return jsonify({**found, "killing": armed}), 202


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
