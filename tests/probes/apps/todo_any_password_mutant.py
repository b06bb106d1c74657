"""Mutant of todo_clean_app: login finds the user but never checks the password, so any password
signs an existing user in; forged tokens are still refused."""

import os
import secrets

from flask import jsonify, request
from todo_clean_app import TOKENS, app, db, error


def login():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return error("username and password are required", 400)
    with db() as conn:
        row = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        return error("invalid credentials", 401)
    token = secrets.token_urlsafe(32)
    TOKENS[token] = row["id"]
    return jsonify(access_token=token, token_type="bearer")


app.view_functions["login"] = login

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
