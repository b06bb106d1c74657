from flask import Flask, request, jsonify
app = Flask(__name__)

import logging, os
log = logging.getLogger(__name__)

@app.route("/todos")
def todos():
    try:
        return jsonify(load())
    except Exception:
        log.exception("listing todos failed")
        return jsonify({"error": "internal error"}), 500

if __name__ == "__main__":
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
