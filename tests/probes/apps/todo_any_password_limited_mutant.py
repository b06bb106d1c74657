"""Mutant of todo_clean_app: login never checks the password (any password signs an existing
user in) and, like many real apps, refuses a client with 429 after five failed sign-ins a
minute; the failures that count are the unknown user names."""

import os
import secrets
import time

from flask import jsonify, request
from todo_clean_app import TOKENS, app, db, error

FAILURES: dict[str, list[float]] = {}


def login():
    ip = request.remote_addr or "?"
    recent = [t for t in FAILURES.get(ip, []) if time.monotonic() - t < 60]
    if len(recent) >= 5:
        return error("too many attempts", 429)
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return error("username and password are required", 400)
    with db() as conn:
        row = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        FAILURES[ip] = [*recent, time.monotonic()]
        return error("invalid credentials", 401)
    token = secrets.token_urlsafe(32)
    TOKENS[token] = row["id"]
    return jsonify(access_token=token, token_type="bearer")


app.view_functions["login"] = login

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
