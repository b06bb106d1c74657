from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/todos")
def todos():
    conn = sqlite3.connect("todo.db")
    rows = conn.execute("SELECT * FROM todos").fetchall()
    out = []
    for row in rows:
        owner = conn.execute("SELECT email FROM users WHERE id = ?", (row[1],)).fetchone()
        out.append({"todo": row[0], "owner": owner})
    return jsonify(out)
