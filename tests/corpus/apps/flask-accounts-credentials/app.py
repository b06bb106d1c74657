import os
import secrets
import sqlite3
from functools import wraps

from flask import Flask, g, jsonify, request

app = Flask(__name__)
DB_PATH = os.environ.get("DB_PATH", "accounts.db")


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DB_PATH)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db():
    db = sqlite3.connect(DB_PATH)
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS accounts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT UNIQUE NOT NULL,
            display_name TEXT
        );
        CREATE TABLE IF NOT EXISTS credentials (
            account_id INTEGER PRIMARY KEY,
            secret TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS sessions (
            token TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS integrations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            account_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            api_key TEXT NOT NULL
        );
        """
    )
    db.commit()
    db.close()


def login_required(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else None
        if not token:
            return jsonify({"error": "missing token"}), 401
        row = get_db().execute(
            "SELECT account_id FROM sessions WHERE token = ?", (token,)
        ).fetchone()
        if row is None:
            return jsonify({"error": "invalid token"}), 401
        g.account_id = row["account_id"]
        return f(*args, **kwargs)

    return wrapper


@app.route("/signup", methods=["POST"])
def signup():
    data = request.get_json(silent=True) or {}
    email = data.get("email")
    password = data.get("password")
    if not email or not password:
        return jsonify({"error": "email and password are required"}), 400
    db = get_db()
    try:
        cur = db.execute(
            "INSERT INTO accounts (email, display_name) VALUES (?, ?)",
            (email, data.get("display_name") or email.split("@")[0]),
        )
    except sqlite3.IntegrityError:
        return jsonify({"error": "email already registered"}), 409
    db.execute(
        "INSERT INTO credentials (account_id, secret) VALUES (?, ?)", (cur.lastrowid, password)
    )
    db.commit()
    return jsonify({"id": cur.lastrowid, "email": email}), 201


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json(silent=True) or {}
    db = get_db()
    row = db.execute(
        "SELECT a.id, c.secret FROM accounts a JOIN credentials c ON c.account_id = a.id "
        "WHERE a.email = ?",
        (data.get("email"),),
    ).fetchone()
    if row is None or row["secret"] != data.get("password"):
        return jsonify({"error": "invalid credentials"}), 401
    token = secrets.token_hex(24)
    db.execute("INSERT INTO sessions (token, account_id) VALUES (?, ?)", (token, row["id"]))
    db.commit()
    return jsonify({"token": token})


@app.route("/integrations", methods=["GET"])
@login_required
def list_integrations():
    rows = get_db().execute(
        "SELECT id, name FROM integrations WHERE account_id = ?", (g.account_id,)
    ).fetchall()
    return jsonify([dict(r) for r in rows])


@app.route("/integrations", methods=["POST"])
@login_required
def add_integration():
    data = request.get_json(silent=True) or {}
    if not data.get("name") or not data.get("api_key"):
        return jsonify({"error": "name and api_key are required"}), 400
    db = get_db()
    cur = db.execute(
        "INSERT INTO integrations (account_id, name, api_key) VALUES (?, ?, ?)",
        (g.account_id, data["name"], data["api_key"]),
    )
    db.commit()
    return jsonify({"id": cur.lastrowid, "name": data["name"]}), 201


@app.route("/integrations/<int:integration_id>", methods=["GET"])
@login_required
def get_integration(integration_id):
    row = get_db().execute(
        "SELECT id, name FROM integrations WHERE id = ? AND account_id = ?",
        (integration_id, g.account_id),
    ).fetchone()
    if row is None:
        return jsonify({"error": "not found"}), 404
    return jsonify(dict(row))


@app.route("/integrations/<int:integration_id>", methods=["DELETE"])
@login_required
def delete_integration(integration_id):
    db = get_db()
    cur = db.execute(
        "DELETE FROM integrations WHERE id = ? AND account_id = ?", (integration_id, g.account_id)
    )
    db.commit()
    if cur.rowcount == 0:
        return jsonify({"error": "not found"}), 404
    return "", 204


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
