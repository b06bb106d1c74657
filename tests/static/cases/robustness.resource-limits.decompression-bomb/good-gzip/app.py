"""Log ingestion endpoint (Flask): agents POST gzip-compressed log batches as the raw body; the
service counts the lines and error lines of each batch, refusing batches that expand past
10 MB."""

import os
import zlib

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
BATCHES: list[dict] = []
MAX_EXPANDED = 10 * 1024 * 1024


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/ingest")
def ingest():
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(request.get_data(), MAX_EXPANDED + 1)
    except zlib.error:
        return jsonify(error="the body must be gzip-compressed"), 400
    if len(raw) > MAX_EXPANDED or inflater.unconsumed_tail:
        return jsonify(error="the batch expands past 10 MB"), 413
    text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines()
    batch = {"id": len(BATCHES) + 1, "lines": len(lines), "errors": text.count("ERROR")}
    BATCHES.append(batch)
    return jsonify(batch), 201


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
