"""Mutant of todo_clean_app: updates demand a ``version`` field (optimistic locking) that no read
returns, so every PUT/PATCH is answered 400 before ownership is looked at, owner included.
Whether another user could change a record is then never seen."""

import os

from flask import request
from todo_clean_app import app, error

clean_item = app.view_functions["todo_item"]


def todo_item(todo_id: int):
    if request.method in ("PUT", "PATCH"):
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or "version" not in data:
            return error("version is required", 400)
    return clean_item(todo_id=todo_id)


app.view_functions["todo_item"] = todo_item

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
