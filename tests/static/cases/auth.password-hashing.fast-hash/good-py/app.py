from flask import Flask, request, jsonify
app = Flask(__name__)

import bcrypt
@app.route("/register", methods=["POST"])
def register():
    password = request.json["password"]
    digest = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    return jsonify(ok=bool(digest))
