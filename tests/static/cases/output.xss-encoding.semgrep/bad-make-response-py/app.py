from flask import Flask, jsonify, make_response, request

app = Flask(__name__)


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return make_response(f"<b>Hello {name}</b>")
