from flask import Flask, request, jsonify
app = Flask(__name__)

import logging
audit = logging.getLogger("audit")
@app.route("/login", methods=["POST"])
def login():
    audit.warning("login failed for %s", request.json.get("email"))
    return jsonify(error="Invalid credentials"), 401
