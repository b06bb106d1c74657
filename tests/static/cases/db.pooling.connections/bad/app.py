from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

def get_db():
    conn = sqlite3.connect("todo.db")
    conn.row_factory = sqlite3.Row
    return conn

@app.route("/todos")
def todos():
    conn = get_db()
    return jsonify([dict(r) for r in conn.execute("SELECT * FROM todos")])
