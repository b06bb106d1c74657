"""Image resizer (Flask + Pillow): upload an image, get a PNG thumbnail of the requested size.
Images over 4 Mpixel and sizes over 1024 px are refused before decoding."""

import io
import os

from flask import Flask, jsonify, request, send_file
from PIL import Image, UnidentifiedImageError

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
Image.MAX_IMAGE_PIXELS = 4_000_000
MAX_SIDE = 1024


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/resize")
def resize():
    upload = request.files.get("image")
    if upload is None:
        return jsonify(error="an image is required in the field 'image'"), 400
    width = int(request.args.get("width", 128))
    height = int(request.args.get("height", 128))
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        return jsonify(error=f"width and height must be 1-{MAX_SIDE}"), 400
    try:
        img = Image.open(upload.stream)
        if img.width * img.height > Image.MAX_IMAGE_PIXELS:
            return jsonify(error="image too large"), 413
        img = img.convert("RGB").resize((width, height))
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return jsonify(error="not an image"), 400
    out = io.BytesIO()
    img.save(out, "PNG")
    out.seek(0)
    return send_file(out, mimetype="image/png")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
