import sqlite3

import bcrypt
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/login")
def login():
    data = request.get_json() or {}
    row = sqlite3.connect("app.db").execute(
        "SELECT password_hash FROM users WHERE username = ?", (data.get("username"),)
    ).fetchone()
    if row is None:
        return jsonify(error="invalid credentials"), 401
    if bcrypt.checkpw(data["password"].encode(), row[0]):
        return jsonify(token="t")
    return jsonify(error="invalid credentials"), 401
