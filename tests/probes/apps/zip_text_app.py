"""Zip-to-text converter (Flask): upload a .zip, get the text of every .txt/.md/.csv member back."""

import io
import os
import zipfile

from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
TEXT = (".txt", ".md", ".csv")


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
    out = []
    for info in archive.infolist():
        if info.filename.lower().endswith(TEXT):
            text = archive.read(info).decode("utf-8", errors="replace")
            out.append({"name": info.filename, "chars": len(text), "text": text})
    return jsonify(files=out)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
