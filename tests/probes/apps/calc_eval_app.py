"""A calculator (Flask) that evaluates the expression with eval: any Python runs."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/calculator", methods=["POST"])
def calculator():
    data = request.get_json(silent=True) or {}
    expression = str(data.get("expression", ""))
    try:
        result = eval(expression)  # the planted flaw
    except Exception:
        return jsonify(error="invalid expression"), 400
    return jsonify(result=str(result))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 5000)))
