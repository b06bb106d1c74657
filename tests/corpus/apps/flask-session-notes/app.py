import hashlib
import os
import sqlite3

from flask import Flask, jsonify, request, session

app = Flask(__name__)
app.secret_key = os.environ.get("APP_SECRET", os.urandom(24))

DB = "notes.db"


def db():
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    conn = db()
    conn.executescript(
        """
        CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, username TEXT UNIQUE, password TEXT);
        CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, owner INTEGER, title TEXT, body TEXT);
        """
    )
    conn.commit()
    conn.close()


@app.after_request
def headers(resp):
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    resp.headers["Content-Security-Policy"] = "default-src 'self'"
    return resp


@app.route("/api/register", methods=["POST"])
def register():
    data = request.get_json(force=True, silent=True) or {}
    username = (data.get("username") or "").strip()
    password = data.get("password") or ""
    if not username or not password:
        return jsonify(error="username and password required"), 400
    pw = hashlib.sha256(password.encode()).hexdigest()
    try:
        conn = db()
        conn.execute("INSERT INTO users (username, password) VALUES (?, ?)", (username, pw))
        conn.commit()
    except sqlite3.IntegrityError:
        return jsonify(error="username taken"), 409
    return jsonify(message="registered"), 201


@app.route("/api/login", methods=["POST"])
def login():
    data = request.get_json(force=True, silent=True) or {}
    username = data.get("username", "")
    pw = hashlib.sha256(data.get("password", "").encode()).hexdigest()
    row = db().execute("SELECT * FROM users WHERE username=? AND password=?", (username, pw)).fetchone()
    if not row:
        return jsonify(error="invalid credentials"), 401
    session["uid"] = row["id"]
    return jsonify(message="logged in", user={"id": row["id"], "username": row["username"]})


@app.route("/api/logout", methods=["POST"])
def logout():
    session.clear()
    return jsonify(message="bye")


def uid():
    return session.get("uid")


@app.route("/api/notes", methods=["GET", "POST"])
def notes():
    if uid() is None:
        return jsonify(error="not logged in"), 401
    conn = db()
    if request.method == "POST":
        data = request.get_json(silent=True) or {}
        title = data.get("title")
        if not isinstance(title, str) or not title:
            return jsonify(error="title required"), 400
        cur = conn.execute("INSERT INTO notes (owner, title, body) VALUES (?, ?, ?)", (uid(), title, data.get("body", "")))
        conn.commit()
        return jsonify(id=cur.lastrowid, title=title, body=data.get("body", "")), 201
    rows = conn.execute("SELECT id, title, body FROM notes WHERE owner=?", (uid(),)).fetchall()
    return jsonify(notes=[dict(r) for r in rows])


@app.route("/api/notes/<int:nid>", methods=["GET", "PUT", "DELETE"])
def note(nid):
    if uid() is None:
        return jsonify(error="not logged in"), 401
    conn = db()
    row = conn.execute("SELECT id, title, body FROM notes WHERE id=? AND owner=?", (nid, uid())).fetchone()
    if row is None:
        return jsonify(error="not found"), 404
    if request.method == "GET":
        return jsonify(dict(row))
    if request.method == "PUT":
        data = request.get_json(silent=True) or {}
        conn.execute("UPDATE notes SET title=?, body=? WHERE id=?", (data.get("title", row["title"]), data.get("body", row["body"]), nid))
        conn.commit()
        return jsonify(id=nid, title=data.get("title", row["title"]))
    conn.execute("DELETE FROM notes WHERE id=?", (nid,))
    conn.commit()
    return "", 204


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
