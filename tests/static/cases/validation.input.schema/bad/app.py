from flask import Flask, request, jsonify
app = Flask(__name__)

@app.route("/todos", methods=["POST"])
def create():
    data = request.get_json()
    return jsonify(title=data["title"]), 201
