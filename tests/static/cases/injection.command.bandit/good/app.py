from flask import Flask, request, jsonify
app = Flask(__name__)

import subprocess
@app.route("/ping")
def ping():
    subprocess.run(["ping", "-c", "1", request.args["host"]], check=False, timeout=5)
    return jsonify(ok=True)
