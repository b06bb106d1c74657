from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/register", methods=["POST"])
def register():
    conn = sqlite3.connect("todo.db")
    with conn:
        cur = conn.execute("INSERT INTO users (email) VALUES (?)", (request.json["email"],))
        conn.execute("INSERT INTO todos (user_id, title) VALUES (?, ?)", (cur.lastrowid, "Welcome"))
    return jsonify(ok=True), 201
