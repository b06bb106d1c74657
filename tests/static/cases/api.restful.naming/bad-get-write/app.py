from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/todos/<int:tid>/toggle")
def toggle(tid):
    conn = sqlite3.connect("todo.db")
    conn.execute("UPDATE todos SET done = NOT done WHERE id = ?", (tid,))
    conn.commit()
    return jsonify(ok=True)
