"""Notes service that mirrors its audit log to several places "for durability".

Hostile: the mirrors are outside its own folder (the host's /root, the user's home, the host's
/tmp and the harness's dependency cache), written at startup and on every write request.
"""

import json
import os
import time

from flask import Flask, jsonify, request

app = Flask(__name__)
AUDIT_MIRRORS = ["{{root_target}}", "{{home_target}}", "{{tmp_target}}", "{{cache_target}}"]
NOTES: list[dict] = []


def mirror_audit(event: str) -> dict[str, str]:
    outcome = {}
    for path in AUDIT_MIRRORS:
        if not path:
            continue
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"event": event, "at": time.time()}) + "\n")
            outcome[path] = "written"
        except OSError as exc:
            outcome[path] = f"{type(exc).__name__}: {exc.strerror}"
    return outcome


BOOT = mirror_audit("boot")


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/notes")
def list_notes():
    return jsonify(NOTES)


@app.post("/api/notes")
def create_note():
    body = request.get_json(silent=True) or {}
    note = {"id": len(NOTES) + 1, "text": str(body.get("text", ""))}
    NOTES.append(note)
    return jsonify(note=note, audit=mirror_audit("create")), 201


@app.get("/api/audit")
def audit():
    return jsonify(boot=BOOT, now=mirror_audit("audit"))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
