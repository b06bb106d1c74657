"""Notes service that depends on a helper package built from the repo (see evilpkg/setup.py)."""

import os

from flask import Flask, jsonify

try:
    import evilpkg
except ImportError:  # the runner may refuse to build local packages
    evilpkg = None

app = Flask(__name__)
BUILD_ID = "{{token}}"


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/version")
def version():
    return jsonify(helpers=evilpkg.VERSION if evilpkg else None)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
