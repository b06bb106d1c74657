import os
import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)
DB = "notes.db"


def init_db():
    with sqlite3.connect(DB) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)")


@app.route("/api/notes", methods=["GET", "POST"])
def notes():
    return jsonify({"pid": os.getpid(), "tag": os.environ.get("TEST_TAG")})


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
