"""Note search service (Flask + SQLite): notes are searched with a pattern the client sends, and a
text can be matched against a pattern. The pattern is compiled as it came in."""

import os
import re
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1 * 1024 * 1024
DB = os.environ.get("DATABASE_PATH", "notes.db")


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT)")
    return conn


@app.post("/notes")
def create_note():
    data = request.get_json(silent=True) or {}
    title, body = data.get("title"), data.get("body", "")
    if not isinstance(title, str) or not title or len(title) > 200 or not isinstance(body, str):
        return jsonify(error="title (1-200 characters) and body are required"), 400
    with db() as conn:
        cur = conn.execute("INSERT INTO notes (title, body) VALUES (?, ?)", (title, body))
    return jsonify(id=cur.lastrowid, title=title, body=body), 201


@app.get("/notes")
def list_notes():
    rows = db().execute("SELECT id, title, body FROM notes").fetchall()
    return jsonify([{"id": r[0], "title": r[1], "body": r[2]} for r in rows])


@app.get("/notes/<int:note_id>")
def get_note(note_id: int):
    row = db().execute("SELECT id, title, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(id=row[0], title=row[1], body=row[2])


@app.get("/search")
def search():
    pattern = request.args.get("pattern", "")
    if not pattern or len(pattern) > 100:
        return jsonify(error="pattern (1-100 characters) is required"), 400
    rx = re.compile(pattern)
    rows = db().execute("SELECT id, title, body FROM notes").fetchall()
    hits = [{"id": r[0], "title": r[1]} for r in rows if rx.search(r[1]) or rx.search(r[2])]
    return jsonify(pattern=pattern, results=hits)


@app.post("/match")
def match():
    data = request.get_json(silent=True) or {}
    pattern, text = data.get("pattern"), data.get("text")
    if not isinstance(pattern, str) or not isinstance(text, str) or len(text) > 10000:
        return jsonify(error="pattern and text (up to 10000 characters) are required"), 400
    found = re.search(pattern, text)
    return jsonify(matched=found is not None, span=list(found.span()) if found else None)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
