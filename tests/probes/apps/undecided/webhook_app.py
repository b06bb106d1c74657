"""Webhooks stored for later: the URL is accepted (201) and would be called on some future
event, so no request reaches anything while the probe looks. Neither fail nor pass."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
HOOKS: list[dict] = []


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/webhooks")
def add_hook():
    data = request.get_json(silent=True) or {}
    callback_url = data.get("callback_url")
    if not isinstance(callback_url, str) or not callback_url:
        return jsonify(error="callback_url is required"), 400
    hook = {"id": len(HOOKS) + 1, "callback_url": callback_url}
    HOOKS.append(hook)
    return jsonify(hook), 201


@app.get("/api/webhooks")
def list_hooks():
    return jsonify(HOOKS)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
