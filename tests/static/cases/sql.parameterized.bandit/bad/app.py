from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3

@app.route("/todos/<int:tid>")
def todo(tid):
    conn = sqlite3.connect("todo.db")
    return jsonify(conn.execute("SELECT * FROM todos WHERE id = %s" % tid).fetchone())
