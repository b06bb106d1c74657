from flask import Flask, request, jsonify
app = Flask(__name__)

import logging
log = logging.getLogger(__name__)
@app.route("/login", methods=["POST"])
def login():
    password = request.json["password"]
    log.info("login attempt with password %s", password)
    return jsonify(ok=True)
