"""A small careless todo API (Flask) for the probe tests: every probed promise broken."""

import hashlib
import os
import sqlite3

import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)
SECRET = "hardcoded"
DB = os.environ.get("DATABASE_PATH", "bad.db")


def db():
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    return conn


with db() as c:
    c.execute(
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, password TEXT)"
    )
    c.execute(
        "CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY, owner INTEGER, title TEXT)"
    )


@app.after_request
def cors(resp):
    origin = request.headers.get("Origin")
    if origin:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Credentials"] = "true"
        resp.headers["Access-Control-Allow-Headers"] = "authorization,content-type"
    resp.headers["X-Powered-By"] = "Flask"
    return resp


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/register", methods=["POST"])
def register():
    data = request.get_json()
    print("register", data["email"], data["password"])
    digest = hashlib.md5(data["password"].encode()).hexdigest()
    with db() as c:
        cur = c.execute(
            "INSERT INTO users (email, password) VALUES (?, ?)", (data["email"], digest)
        )
    return jsonify(id=cur.lastrowid, email=data["email"], password=digest), 201


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json()
    digest = hashlib.md5(data["password"].encode()).hexdigest()
    with db() as c:
        row = c.execute(
            f"SELECT * FROM users WHERE email = '{data['email']}' AND password = '{digest}'"
        ).fetchone()
        if row is None and "'" in data["email"]:
            row = c.execute(f"SELECT * FROM users WHERE email = '{data['email']}").fetchone()
    if row is None:
        return jsonify(error="bad login"), 401
    return jsonify(token=jwt.encode({"uid": row["id"]}, SECRET, "HS256"))


def uid():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return jwt.decode(token, options={"verify_signature": False})["uid"]


@app.route("/todos", methods=["GET", "POST"])
def todos():
    me = uid()
    with db() as c:
        if request.method == "POST":
            data = request.get_json(force=True)
            cur = c.execute("INSERT INTO todos (owner, title) VALUES (?, ?)", (me, data["title"]))
            return jsonify(id=cur.lastrowid, title=data["title"]), 201
        q = request.args.get("q", "")
        rows = c.execute(
            f"SELECT * FROM todos WHERE owner = {me} AND title LIKE '%{q}%'"
        ).fetchall()
    return jsonify([dict(r) for r in rows])


@app.route("/todos/<todo_id>", methods=["GET", "PUT", "DELETE"])
def todo(todo_id):
    uid()
    with db() as c:
        if request.method == "DELETE":
            c.execute(f"DELETE FROM todos WHERE id = {todo_id}")
            return jsonify(deleted=True)
        if request.method == "PUT":
            c.execute(
                "UPDATE todos SET title = ? WHERE id = ?", (request.get_json()["title"], todo_id)
            )
        row = c.execute(f"SELECT * FROM todos WHERE id = {todo_id}").fetchone()
    return jsonify(dict(row)) if row else (jsonify(error="not found"), 404)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True)
