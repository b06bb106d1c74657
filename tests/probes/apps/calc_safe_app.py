"""A calculator (Flask) that evaluates arithmetic only, by walking the expression's AST."""

import ast
import operator
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
}


def arithmetic(node):
    if isinstance(node, ast.Expression):
        return arithmetic(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPS:
        return OPS[type(node.op)](arithmetic(node.left), arithmetic(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in OPS:
        return OPS[type(node.op)](arithmetic(node.operand))
    raise ValueError("not arithmetic")


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/calculator", methods=["POST"])
def calculator():
    data = request.get_json(silent=True) or {}
    expression = str(data.get("expression", ""))
    try:
        result = arithmetic(ast.parse(expression, mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError):
        return jsonify(error="invalid expression"), 400
    return jsonify(result=str(result))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", 5000)))
