"""Document upload service (Flask + SQLite): files are stored on disk and listed with a page
size."""

import os
import sqlite3
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)
DB = os.environ.get("DATABASE_PATH", "files.db")
STORE = os.path.join(os.path.dirname(os.path.abspath(DB)), "uploads")
ALLOWED = {".pdf", ".png", ".jpg", ".txt"}


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, name TEXT, size INTEGER)")
    return conn


@app.post("/files")
def upload():
    f = request.files.get("file")
    if f is None or not f.filename:
        return jsonify(error="a file is required in the field 'file'"), 400
    ext = os.path.splitext(f.filename)[1].lower()
    if ext not in ALLOWED:
        return jsonify(error=f"file type {ext or '(none)'} is not allowed"), 400
    os.makedirs(STORE, exist_ok=True)
    file_id = uuid.uuid4().hex
    path = os.path.join(STORE, file_id + ext)
    f.save(path)
    size = os.path.getsize(path)
    with db() as conn:
        conn.execute(
            "INSERT INTO files (id, name, size) VALUES (?, ?, ?)", (file_id, f.filename, size)
        )
    return jsonify(id=file_id, name=f.filename, size=size), 201


@app.get("/files")
def list_files():
    limit = int(request.args.get("limit", 20))
    rows = db().execute("SELECT id, name, size FROM files LIMIT ?", (limit,)).fetchall()
    return jsonify([{"id": r[0], "name": r[1], "size": r[2]} for r in rows])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
