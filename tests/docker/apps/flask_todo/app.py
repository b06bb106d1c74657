"""A tiny Flask todo API with a SQLite file: honours DATABASE_PATH and PORT."""

import os
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
DB = os.environ.get("DATABASE_PATH", "todos.db")


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
    return conn


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/todos")
def create():
    title = (request.get_json(silent=True) or {}).get("title")
    if not title:
        return jsonify(error="title required"), 400
    with db() as conn:
        cur = conn.execute("INSERT INTO todos (title) VALUES (?)", (title,))
    return jsonify(id=cur.lastrowid, title=title), 201


@app.get("/todos")
def list_todos():
    with db() as conn:
        rows = conn.execute("SELECT id, title FROM todos ORDER BY id").fetchall()
    return jsonify([{"id": i, "title": t} for i, t in rows])


if __name__ == "__main__":
    # Binds loopback inside the container, as `app.run()` does by default.
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
