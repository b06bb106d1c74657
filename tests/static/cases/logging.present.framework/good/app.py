from flask import Flask, request, jsonify
app = Flask(__name__)

import logging
logger = logging.getLogger(__name__)
@app.route("/")
def i():
    try:
        return jsonify(ok=True)
    except Exception:
        logger.exception("index failed")
        raise
