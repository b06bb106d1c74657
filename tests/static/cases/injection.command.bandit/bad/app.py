from flask import Flask, request, jsonify
app = Flask(__name__)

import subprocess
@app.route("/ls")
def ls():
    return subprocess.check_output("ls " + request.args["d"], shell=True)
