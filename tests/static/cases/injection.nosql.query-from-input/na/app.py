import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/users")
def users():
    conn = sqlite3.connect("app.db")
    rows = conn.execute("SELECT id FROM users WHERE name = ?", (request.args["name"],)).fetchall()
    return jsonify(rows)
