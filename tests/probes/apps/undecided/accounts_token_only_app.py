"""Accounts with nothing to read back: register and log in (a token), and no profile, admin or
record route. Whether a `role` sent at sign-up was stored cannot be seen."""

import os
import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)
USERS: dict[str, dict] = {}
TOKENS: dict[str, str] = {}


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/register")
def register():
    data = request.get_json(silent=True) or {}
    name, password = data.get("username"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str) or not name or not password:
        return jsonify(error="username and password are required"), 400
    if name in USERS:
        return jsonify(error="taken"), 409
    USERS[name] = {**data}
    return jsonify(ok=True), 201


@app.post("/api/login")
def login():
    data = request.get_json(silent=True) or {}
    user = USERS.get(str(data.get("username")))
    if user is None or user.get("password") != data.get("password"):
        return jsonify(error="wrong credentials"), 401
    token = secrets.token_hex(16)
    TOKENS[token] = user["username"]
    return jsonify(token=token)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
