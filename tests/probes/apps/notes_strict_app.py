"""A notes API (Flask) whose handler reads its body through a helper the static reader cannot
follow: `text` is optional ("untitled" by default) but must be a short string, bad input gets
400, and unknown fields (the probe's default `title`, `description`) are ignored."""

import itertools
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
NOTES: dict[int, dict] = {}
IDS = itertools.count(1)


def checked(payload):
    if not isinstance(payload, dict):
        return None
    text = payload.get("text", "untitled")
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        return None
    return {"text": text}


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/notes", methods=["GET", "POST"])
def notes():
    if request.method == "GET":
        return jsonify(list(NOTES.values()))
    note = checked(request.get_json(silent=True))
    if note is None:
        return jsonify(error="text must be a non-empty string of at most 1000 characters"), 400
    note["id"] = next(IDS)
    NOTES[note["id"]] = note
    return jsonify(note), 201


@app.route("/notes/<int:note_id>")
def note(note_id):
    if note_id not in NOTES:
        return jsonify(error="not found"), 404
    return jsonify(NOTES[note_id])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 5000)))
