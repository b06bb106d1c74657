import os

from flask import Flask, abort, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
DATA_DIR = os.path.realpath("/data")


@app.route("/download")
def download():
    filename = secure_filename(request.args["filename"])
    return send_file(os.path.join(DATA_DIR, filename))


@app.route("/read")
def read():
    full = os.path.realpath(os.path.join(DATA_DIR, request.args.get("name", "")))
    if not full.startswith(DATA_DIR + os.sep):
        abort(403)
    with open(full) as fh:
        return fh.read()
