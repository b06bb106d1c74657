from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/echo", methods=["POST"])
def echo():
    data = request.get_json()
    return {"name": data.get("name"), "note": data.get("note")}


@app.route("/hello")
def hello():
    return jsonify(message="Hello " + request.args.get("name", ""))


@app.route("/count")
def count():
    return f"<p>{len(request.args)} parameters</p>"
