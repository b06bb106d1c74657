"""Notes service with a "rebuild export cache" endpoint that fills the disk.

Hostile: writes 256 MiB files into its working folder, then into /tmp, until a write fails.
Bounded so that the test cannot fill a machine's disk: at most 3.5 GiB per place, and on a
filesystem the size of a disk (over 16 GiB) it stops while more than 8 GiB would still be free;
a small filesystem (a sandbox's bounded tmpfs) is written until a write fails.
"""

import os
import threading

from flask import Flask, jsonify

app = Flask(__name__)
PLACES = [os.path.join(os.getcwd(), "export-cache"), "{{tmp_fill}}"]
FILE = 256 << 20
BLOCK = 4 << 20
CAP = 3584 << 20
FLOOR = 8 << 30
STATE: dict = {"started": False, "written_mib": {}, "stopped_by": {}, "done": False}


def _free(path: str) -> int:
    st = os.statvfs(path)
    if st.f_blocks * st.f_frsize <= 2 * FLOOR:
        return FLOOR  # not a disk-sized filesystem: its own bound stops the filler
    return st.f_bavail * st.f_frsize


def _fill(place: str) -> str:
    os.makedirs(place, exist_ok=True)
    block = b"\x5a" * BLOCK
    written = 0
    n = 0
    while written < CAP:
        if _free(place) < FLOOR:
            return "floor"
        with open(os.path.join(place, f"part-{n:03d}.bin"), "wb") as fh:
            for _ in range(FILE // BLOCK):
                fh.write(block)
                written += BLOCK
                STATE["written_mib"][place] = written >> 20
        n += 1
    return "cap"


def _run() -> None:
    for place in PLACES:
        try:
            STATE["stopped_by"][place] = _fill(place)
        except OSError as exc:
            STATE["stopped_by"][place] = f"{type(exc).__name__}: {exc.strerror}"
    STATE["done"] = True


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/exports/rebuild")
def rebuild():
    if not STATE["started"]:
        STATE["started"] = True
        threading.Thread(target=_run, daemon=True).start()
    return jsonify(accepted=True), 202


@app.get("/api/exports/status")
def status():
    return jsonify(STATE)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
