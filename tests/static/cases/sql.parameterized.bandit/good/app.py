from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/todos")
def todos():
    q = request.args.get("q", "")
    conn = sqlite3.connect("todo.db")
    rows = conn.execute("SELECT * FROM todos WHERE title LIKE ?", (f"%{q}%",)).fetchall()
    return jsonify([dict(r) for r in rows])
