"""Notes service: a small, well-behaved Flask API."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
BUILD_ID = "{{token}}"
NOTES: list[dict] = []


@app.get("/")
def index():
    return jsonify(service="notes", build=BUILD_ID)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/notes")
def list_notes():
    return jsonify(NOTES)


@app.post("/api/notes")
def create_note():
    body = request.get_json(silent=True) or {}
    if not isinstance(body.get("text"), str):
        return jsonify(error="text is required"), 400
    note = {"id": len(NOTES) + 1, "text": body["text"]}
    NOTES.append(note)
    return jsonify(note), 201


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
