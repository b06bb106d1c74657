from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3
from flask import g

def get_db():
    if "db" not in g:
        g.db = sqlite3.connect("todo.db")
    return g.db

@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()

@app.route("/todos")
def todos():
    return jsonify([dict(r) for r in get_db().execute("SELECT * FROM todos")])
