import os
import sqlite3
from datetime import datetime, timedelta, timezone

import jwt
from flask import Flask, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or os.urandom(32).hex()
DATABASE = "bookmarks.db"


def db():
    conn = sqlite3.connect(DATABASE)
    conn.row_factory = sqlite3.Row
    return conn


with db() as conn:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS members (id INTEGER PRIMARY KEY, username TEXT UNIQUE, "
        "password_hash TEXT)"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS bookmarks (id INTEGER PRIMARY KEY, member_id INTEGER, "
        "title TEXT, url TEXT)"
    )


def current_member():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        payload = jwt.decode(header[7:], app.config["SECRET_KEY"], algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return payload.get("sub")


@app.after_request
def headers(resp):
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    return resp


# the sign-up form of the web client posts here (application/x-www-form-urlencoded)
@app.route("/auth/new", methods=["POST"])
def create_member():
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or not password:
        return jsonify({"error": "username and password are required"}), 400
    if len(password) < 10 or password.isdigit() or password.isalpha():
        return jsonify({"error": "password must be at least 10 characters, letters and digits"}), 400
    try:
        with db() as conn:
            cur = conn.execute(
                "INSERT INTO members (username, password_hash) VALUES (?, ?)",
                (username, generate_password_hash(password)),
            )
    except sqlite3.IntegrityError:
        return jsonify({"error": "username taken"}), 409
    return jsonify({"id": cur.lastrowid, "username": username}), 201


@app.route("/auth/login", methods=["POST"])
def login():
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    with db() as conn:
        row = conn.execute(
            "SELECT id, password_hash FROM members WHERE username = ?", (username,)
        ).fetchone()
    if row is None or not check_password_hash(row["password_hash"], password):
        return jsonify({"error": "invalid credentials"}), 401
    token = jwt.encode(
        {"sub": str(row["id"]), "exp": datetime.now(timezone.utc) + timedelta(hours=1)},
        app.config["SECRET_KEY"],
        algorithm="HS256",
    )
    return jsonify({"access_token": token, "token_type": "bearer"})


@app.route("/bookmarks", methods=["GET", "POST"])
def bookmarks():
    member = current_member()
    if member is None:
        return jsonify({"error": "unauthorized"}), 401
    if request.method == "POST":
        data = request.get_json(silent=True) or {}
        title, url = data.get("title"), data.get("url")
        if not isinstance(title, str) or not isinstance(url, str) or not title or not url:
            return jsonify({"error": "title and url are required"}), 400
        with db() as conn:
            cur = conn.execute(
                "INSERT INTO bookmarks (member_id, title, url) VALUES (?, ?, ?)",
                (member, title, url),
            )
        return jsonify({"id": cur.lastrowid, "title": title, "url": url}), 201
    with db() as conn:
        rows = conn.execute(
            "SELECT id, title, url FROM bookmarks WHERE member_id = ?", (member,)
        ).fetchall()
    return jsonify([dict(r) for r in rows])


@app.route("/bookmarks/<int:bookmark_id>", methods=["GET", "DELETE"])
def bookmark(bookmark_id):
    member = current_member()
    if member is None:
        return jsonify({"error": "unauthorized"}), 401
    with db() as conn:
        row = conn.execute(
            "SELECT id, title, url FROM bookmarks WHERE id = ? AND member_id = ?",
            (bookmark_id, member),
        ).fetchone()
        if row is None:
            return jsonify({"error": "not found"}), 404
        if request.method == "DELETE":
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
            return "", 204
    return jsonify(dict(row))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
