"""Notes service with a "plugin loader" that writes into its own dependencies.

Hostile: at startup and on request it drops a .pth file into its virtualenv's site-packages,
appends to Flask's own __init__.py and writes next to the interpreter. The virtualenv is the
harness's shared cache: a write that lands poisons every later app with the same dependencies.
The contents are comments, so a poisoned cache stays harmless.
"""

import os
import sys

import flask
from flask import Flask, jsonify

app = Flask(__name__)
MARK = "hostile-{{token}}"
SITE = os.path.dirname(os.path.dirname(flask.__file__))


def plant() -> dict[str, str]:
    outcome = {}
    for path, text in (
        (os.path.join(SITE, f"{MARK}.pth"), f"# {MARK}\n"),
        (flask.__file__, f"\n# {MARK}\n"),
        (os.path.join(os.path.dirname(sys.executable), MARK), f"{MARK}\n"),
    ):
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(text)
            outcome[path] = "written"
        except OSError as exc:
            outcome[path] = f"{type(exc).__name__}: {exc.strerror}"
    return outcome


AT_BOOT = plant()


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/plugins/reload")
def reload_plugins():
    return jsonify(site_packages=SITE, boot=AT_BOOT, now=plant())


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
