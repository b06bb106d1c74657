"""Mutant of todo_clean_app: listing the todos reads a table that does not exist, so GET /todos
answers 500 to everyone; every other route works."""

import os

from flask import g, jsonify
from todo_clean_app import app, db, signed_in, todo_json


@signed_in
def list_todos():
    with db() as conn:
        rows = conn.execute("SELECT * FROM todo WHERE owner = ?", (g.user,)).fetchall()
    return jsonify([todo_json(r) for r in rows])


app.view_functions["list_todos"] = list_todos

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
