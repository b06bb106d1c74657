import os

from flask import Flask, request, send_file

app = Flask(__name__)
DATA_DIR = "/data"


@app.route("/download")
def download():
    filename = request.args["filename"]
    return send_file(os.path.join(DATA_DIR, filename))


@app.route("/read")
def read():
    name = request.args.get("name")
    with open(DATA_DIR + "/" + name) as fh:
        return fh.read()
