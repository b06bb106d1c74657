"""API-key vault (Flask + SQLite): users store third-party API keys. Stores them as sent."""

import os
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
DB = os.environ.get("DATABASE_PATH", "vault.db")


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(DB)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS credentials (id INTEGER PRIMARY KEY, name TEXT, api_key TEXT)"
    )
    return conn


def protect(value: str) -> str:
    return value


@app.post("/credentials")
def create():
    data = request.get_json(silent=True) or {}
    name, api_key = data.get("name"), data.get("api_key")
    if not isinstance(name, str) or not isinstance(api_key, str) or not api_key:
        return jsonify(error="name and api_key are required"), 400
    with db() as conn:
        cur = conn.execute(
            "INSERT INTO credentials (name, api_key) VALUES (?, ?)", (name, protect(api_key))
        )
    return jsonify(id=cur.lastrowid, name=name), 201


@app.get("/credentials")
def listing():
    with db() as conn:
        rows = conn.execute("SELECT id, name FROM credentials").fetchall()
    return jsonify([{"id": i, "name": n} for i, n in rows])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
