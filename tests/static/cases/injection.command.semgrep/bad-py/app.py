from flask import Flask, request, jsonify
app = Flask(__name__)

import os
@app.route("/ping")
def ping():
    os.system("ping -c 1 " + request.args["host"])
    return "ok"
