"""Mutant of todo_clean_app: the server writes nothing at all (access log off, no start banner),
as an app that logs to a file or a service looks from its captured output."""

import logging
import os

import flask.cli
from todo_clean_app import app

logging.getLogger("werkzeug").disabled = True
flask.cli.show_server_banner = lambda *args, **kwargs: None

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
