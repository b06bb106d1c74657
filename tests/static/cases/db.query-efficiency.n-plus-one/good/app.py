from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/todos")
def todos():
    conn = sqlite3.connect("todo.db")
    rows = conn.execute("SELECT t.id, u.email FROM todos t JOIN users u ON u.id = t.user_id").fetchall()
    return jsonify([{"todo": r[0], "owner": r[1]} for r in rows])
