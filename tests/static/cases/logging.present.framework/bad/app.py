from flask import Flask, request, jsonify
app = Flask(__name__)

@app.route("/")
def i():
    print("request")
    return jsonify(ok=True)
