"""A clean todo API (Flask) with sign-up and sign-in: every user sees and changes only their own
todos, inputs are validated, SQL is parameterized, everything is JSON. The mutants next to it
(todo_*_mutant.py) each break one thing of this app."""

import os
import secrets
import sqlite3

from flask import Flask, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
DB = os.environ.get("DATABASE_PATH", "todos.db")
TOKENS: dict[str, int] = {}  # opaque bearer token -> user id


def db() -> sqlite3.Connection:
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    return conn


with db() as c:
    c.execute(
        "CREATE TABLE IF NOT EXISTS users "
        "(id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL)"
    )
    c.execute(
        "CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, "
        "title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0)"
    )


def error(message: str, status: int):
    return jsonify(error=message), status


def current_user() -> int | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return TOKENS.get(header[len("Bearer ") :])


def signed_in(view):
    def wrapper(*args, **kwargs):
        user = current_user()
        if user is None:
            return error("authentication required", 401)
        g.user = user
        return view(*args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def todo_json(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "title": row["title"], "done": bool(row["done"])}


def valid_todo(data, partial: bool = False) -> tuple[dict | None, str | None]:
    if not isinstance(data, dict):
        return None, "a JSON object is required"
    out: dict = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not title.strip() or len(title) > 200:
            return None, "title must be a non-empty string of at most 200 characters"
        out["title"] = title.strip()
    if "done" in data:
        if not isinstance(data["done"], bool):
            return None, "done must be a boolean"
        out["done"] = int(data["done"])
    return out, None


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/register", methods=["POST"])
def register():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not username.strip() or len(username) > 80:
        return error("username is required", 400)
    if not isinstance(password, str) or len(password) < 8:
        return error("password must have at least 8 characters", 400)
    try:
        with db() as conn:
            cur = conn.execute(
                "INSERT INTO users (username, password_hash) VALUES (?, ?)",
                (username.strip(), generate_password_hash(password)),
            )
    except sqlite3.IntegrityError:
        return error("username taken", 409)
    return jsonify(id=cur.lastrowid, username=username.strip()), 201


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return error("username and password are required", 400)
    with db() as conn:
        row = conn.execute(
            "SELECT id, password_hash FROM users WHERE username = ?", (username,)
        ).fetchone()
    if row is None or not check_password_hash(row["password_hash"], password):
        return error("invalid credentials", 401)
    token = secrets.token_urlsafe(32)
    TOKENS[token] = row["id"]
    return jsonify(access_token=token, token_type="bearer")


@app.route("/todos", methods=["GET"])
@signed_in
def list_todos():
    q = request.args.get("q", "")
    with db() as conn:
        rows = conn.execute(
            "SELECT * FROM todos WHERE owner = ? AND title LIKE ? ORDER BY id",
            (g.user, f"%{q}%"),
        ).fetchall()
    return jsonify([todo_json(r) for r in rows])


@app.route("/todos", methods=["POST"])
@signed_in
def create_todo():
    fields, problem = valid_todo(request.get_json(silent=True))
    if problem:
        return error(problem, 400)
    with db() as conn:
        cur = conn.execute(
            "INSERT INTO todos (owner, title, done) VALUES (?, ?, ?)",
            (g.user, fields["title"], fields.get("done", 0)),
        )
        row = conn.execute("SELECT * FROM todos WHERE id = ?", (cur.lastrowid,)).fetchone()
    return jsonify(todo_json(row)), 201


def own_todo(conn: sqlite3.Connection, todo_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM todos WHERE id = ? AND owner = ?", (todo_id, g.user)
    ).fetchone()


@app.route("/todos/<int:todo_id>", methods=["GET", "PUT", "PATCH", "DELETE"])
@signed_in
def todo_item(todo_id: int):
    with db() as conn:
        row = own_todo(conn, todo_id)
        if row is None:
            return error("todo not found", 404)
        if request.method == "GET":
            return jsonify(todo_json(row))
        if request.method == "DELETE":
            conn.execute("DELETE FROM todos WHERE id = ?", (todo_id,))
            return "", 204
        fields, problem = valid_todo(
            request.get_json(silent=True), partial=request.method == "PATCH"
        )
        if problem:
            return error(problem, 400)
        if "title" in fields:
            conn.execute("UPDATE todos SET title = ? WHERE id = ?", (fields["title"], todo_id))
        if "done" in fields:
            conn.execute("UPDATE todos SET done = ? WHERE id = ?", (fields["done"], todo_id))
        return jsonify(todo_json(own_todo(conn, todo_id)))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
