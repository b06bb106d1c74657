import os
import sqlite3
from datetime import datetime, timedelta, timezone

import jwt
from flask import Flask, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

APP_SECRET = os.environ.get("APP_SECRET", "supersecret")
DB_NAME = "db.sqlite3"

app = Flask(__name__)


def get_connection():
    conn = sqlite3.connect(DB_NAME)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    conn = get_connection()
    c = conn.cursor()
    c.execute(
        """CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT UNIQUE NOT NULL,
            username TEXT UNIQUE NOT NULL,
            password_hash TEXT NOT NULL
        )"""
    )
    c.execute(
        """CREATE TABLE IF NOT EXISTS secrets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT UNIQUE NOT NULL,
            secret TEXT NOT NULL
        )"""
    )
    conn.commit()
    conn.close()


init_db()


@app.after_request
def set_security_headers(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


def get_current_user():
    auth_header = request.headers.get("Authorization")
    if not auth_header or not auth_header.startswith("Bearer "):
        return None
    token = auth_header.split(" ", 1)[1]
    try:
        payload = jwt.decode(token, APP_SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return payload.get("username")


@app.route("/register", methods=["POST"])
def register():
    data = request.get_json(silent=True) or {}
    email = data.get("email")
    username = data.get("username")
    password = data.get("password")
    if not email or not username or not password:
        return jsonify({"message": "Email already in use or invalid data"}), 400
    conn = get_connection()
    try:
        conn.execute(
            "INSERT INTO users (email, username, password_hash) VALUES (?, ?, ?)",
            (email, username, generate_password_hash(password)),
        )
        conn.commit()
    except sqlite3.IntegrityError:
        return jsonify({"message": "Email already in use or invalid data"}), 400
    finally:
        conn.close()
    return jsonify({"message": "Registration successful"}), 201


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json(silent=True) or {}
    email = data.get("email")
    password = data.get("password")
    if not email or not password:
        return jsonify({"message": "Invalid email or password"}), 401
    conn = get_connection()
    user = conn.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()
    conn.close()
    if not user or not check_password_hash(user["password_hash"], password):
        return jsonify({"message": "Invalid email or password"}), 401
    token = jwt.encode(
        {"username": user["username"], "exp": datetime.now(timezone.utc) + timedelta(hours=1)},
        APP_SECRET,
        algorithm="HS256",
    )
    return jsonify({"token": token, "message": "Login successful"}), 200


@app.route("/set_secret", methods=["POST"])
def set_secret():
    current = get_current_user()
    if current is None:
        return jsonify({"message": "Invalid authentication token"}), 401
    data = request.get_json(silent=True) or {}
    username = data.get("username")
    secret = data.get("secret")
    if username != current:
        return jsonify({"message": "Invalid authentication token"}), 401
    conn = get_connection()
    conn.execute(
        "INSERT INTO secrets (username, secret) VALUES (?, ?) "
        "ON CONFLICT(username) DO UPDATE SET secret = excluded.secret",
        (username, secret),
    )
    conn.commit()
    conn.close()
    return jsonify({"message": "Secret has been set successfully"}), 200


@app.route("/get_secret", methods=["GET"])
def get_secret():
    current = get_current_user()
    if current is None:
        return jsonify({"message": "Invalid authentication token"}), 401
    username = request.args.get("username")
    if username != current:
        return jsonify({"message": "Invalid authentication token"}), 401
    conn = get_connection()
    row = conn.execute("SELECT secret FROM secrets WHERE username = ?", (username,)).fetchone()
    conn.close()
    return jsonify({"secret": row["secret"] if row else None}), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
