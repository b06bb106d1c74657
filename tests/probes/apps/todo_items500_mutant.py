"""Mutant of todo_clean_app: the item handler reads a table that does not exist (``todo`` for
``todos``), so GET/PUT/PATCH/DELETE /todos/<id> answer 500 to everyone, owner included."""

import os

from flask import g, jsonify
from todo_clean_app import app, db, signed_in, todo_json


@signed_in
def todo_item(todo_id: int):
    with db() as conn:
        row = conn.execute(
            "SELECT * FROM todo WHERE id = ? AND owner = ?", (todo_id, g.user)
        ).fetchone()
    return jsonify(todo_json(row))


app.view_functions["todo_item"] = todo_item

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
