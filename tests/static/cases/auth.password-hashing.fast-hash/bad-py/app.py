from flask import Flask, request, jsonify
app = Flask(__name__)

import hashlib
@app.route("/register", methods=["POST"])
def register():
    password = request.json["password"]
    digest = hashlib.sha256(password.encode()).hexdigest()
    return jsonify(hash=digest)
