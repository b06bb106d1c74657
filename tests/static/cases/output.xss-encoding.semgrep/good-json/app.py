from flask import Flask, request, jsonify
app = Flask(__name__)

@app.route("/hello")
def hello():
    return jsonify(name=request.args.get("name"))
