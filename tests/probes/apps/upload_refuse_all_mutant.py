"""Document upload service whose upload route refuses every request before it looks at the file
(it wants a `folder` form field nobody documented): a refusal of an oversize or .exe upload there
shows nothing about upload validation."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
FOLDERS = {"inbox-7f3a"}


@app.post("/files")
def upload():
    if request.form.get("folder") not in FOLDERS:
        return jsonify(error="unknown folder"), 400
    f = request.files.get("file")
    if f is None:
        return jsonify(error="a file is required"), 400
    data = f.read()  # no size or type check at all once past the folder
    return jsonify(name=f.filename, size=len(data)), 201


@app.get("/files")
def list_files():
    return jsonify([])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
