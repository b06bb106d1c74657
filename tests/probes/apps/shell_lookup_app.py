"""A lookup endpoint (Flask) that hands the query to a shell: `echo` stands in for a network
tool, so the planted flaw runs nothing but echo on the probe's canaries."""

import os
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/lookup")
def lookup():
    host = request.args.get("host", "")
    out = subprocess.run(
        f"echo looking up {host}", shell=True, capture_output=True, text=True, timeout=5
    )  # the planted flaw
    return jsonify(output=out.stdout)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 5000)))
