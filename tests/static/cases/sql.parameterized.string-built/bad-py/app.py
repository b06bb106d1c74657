from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/todos")
def todos():
    q = request.args.get("q", "")
    sort = request.args.get("sort", "id")
    conn = sqlite3.connect("todo.db")
    rows = conn.execute(f"SELECT * FROM todos WHERE title LIKE '%{q}%' ORDER BY {sort}").fetchall()
    return jsonify([dict(r) for r in rows])
