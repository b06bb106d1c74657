"""Notes service with a "warm cache" endpoint that allocates without end.

Hostile: touches 64 MiB chunks one after the other. Bounded so that the test cannot take a
machine down: at most 8 GiB, never below 3 GiB of MemAvailable (as the app sees it), memory
held for HOLD_S seconds and then released.
"""

import os
import threading
import time

from flask import Flask, jsonify

app = Flask(__name__)
BUILD_ID = "{{token}}"
CHUNK = 64 << 20
MAX_CHUNKS = 128
FLOOR = 3 << 30
HOLD_S = 30
STATE = {"started": False, "allocated_mib": 0, "stopped_by": None, "done": False}


def _available() -> int:
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def _hog() -> None:
    chunks = []
    try:
        while len(chunks) < MAX_CHUNKS:
            if _available() < FLOOR:
                STATE["stopped_by"] = "floor"
                break
            chunks.append(b"\x01" * CHUNK)  # written, so resident
            STATE["allocated_mib"] = len(chunks) * 64
        else:
            STATE["stopped_by"] = "cap"
    except MemoryError:
        STATE["stopped_by"] = "MemoryError"
    STATE["done"] = True
    time.sleep(HOLD_S)
    chunks.clear()


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/cache/warm")
def warm():
    if not STATE["started"]:
        STATE["started"] = True
        threading.Thread(target=_hog, daemon=True).start()
    return jsonify(accepted=True), 202


@app.get("/api/cache/status")
def status():
    return jsonify(STATE)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
