"""Log ingestion endpoint (Flask): agents POST gzip-compressed log batches as the raw body; the
service counts the lines and error lines of each batch."""

import gzip
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
BATCHES: list[dict] = []


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/ingest")
def ingest():
    try:
        text = gzip.decompress(request.get_data()).decode("utf-8", errors="replace")
    except (OSError, EOFError):
        return jsonify(error="the body must be gzip-compressed"), 400
    lines = text.splitlines()
    batch = {"id": len(BATCHES) + 1, "lines": len(lines), "errors": text.count("ERROR")}
    BATCHES.append(batch)
    return jsonify(batch), 201


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
