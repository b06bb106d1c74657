"""Random token service (Flask): returns a hex token of the requested length in bytes,
or a passphrase of the requested number of words."""

import os
import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)
WORDS = ["correct", "horse", "battery", "staple", "orbit", "lantern"]


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


@app.post("/passphrase")
def passphrase():
    data = request.get_json(silent=True) or {}
    try:
        words = int(data.get("words", 4))
    except (TypeError, ValueError):
        return jsonify(error="words must be an integer"), 400
    if words < 1:
        return jsonify(error="words must be positive"), 400
    return jsonify(passphrase="-".join(secrets.choice(WORDS) for _ in range(words)))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
