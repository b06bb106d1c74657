from flask import Flask, request, jsonify
app = Flask(__name__)

import logging
log = logging.getLogger(__name__)
@app.route("/login", methods=["POST"])
def login():
    log.info("login attempt for %s (invalid password count reset)", request.json["email"])
    return jsonify(ok=True)
