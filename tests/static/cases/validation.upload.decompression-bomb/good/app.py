"""Zip-to-text converter (Flask): upload a .zip, get the text of every .txt/.md/.csv member back.
Archives are refused before extraction when their declared sizes or ratio exceed a budget."""

import io
import os
import zipfile

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
TEXT = (".txt", ".md", ".csv")
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_RATIO = 100


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/convert")
def convert():
    upload = request.files.get("file")
    if upload is None or not upload.filename.lower().endswith(".zip"):
        return jsonify(error="a .zip file is required in the field 'file'"), 400
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.read()))
    except zipfile.BadZipFile:
        return jsonify(error="not a zip archive"), 400
    members = archive.infolist()
    total = sum(i.file_size for i in members)
    packed = sum(i.compress_size for i in members) or 1
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        return jsonify(error="archive expands beyond the allowed size"), 413
    out = []
    for info in members:
        if info.filename.lower().endswith(TEXT):
            text = archive.read(info).decode("utf-8", errors="replace")
            out.append({"name": info.filename, "chars": len(text), "text": text})
    return jsonify(files=out)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
