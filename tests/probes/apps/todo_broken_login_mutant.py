"""Mutant of todo_clean_app: login checks the password against the wrong value, so every sign-in
is refused with 401 and no user ever gets a token; registration still works."""

import os

from flask import request
from todo_clean_app import app, db, error
from werkzeug.security import check_password_hash


def login():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return error("username and password are required", 400)
    with db() as conn:
        row = conn.execute(
            "SELECT id, password_hash FROM users WHERE username = ?", (username,)
        ).fetchone()
    if row is None or not check_password_hash(row["password_hash"], username):
        return error("invalid credentials", 401)
    return error("unreachable", 500)


app.view_functions["login"] = login

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
