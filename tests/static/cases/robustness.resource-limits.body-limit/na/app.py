"""Random token service (Flask): returns a hex token of the requested length in bytes."""

import os
import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/token")
def token():
    try:
        length = int(request.args.get("length", 16))
    except ValueError:
        return jsonify(error="length must be an integer"), 400
    if length < 1:
        return jsonify(error="length must be positive"), 400
    return jsonify(token=secrets.token_hex(length))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
