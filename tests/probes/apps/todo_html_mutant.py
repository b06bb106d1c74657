"""Mutant of todo_clean_app: a greeting page that concatenates a query value into its body.
Flask serves a returned str as text/html, so ?name=<script>... runs in the browser."""

import os

from flask import request
from todo_clean_app import app


@app.route("/hello")
def hello():
    return "Hello " + request.args["name"]


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
