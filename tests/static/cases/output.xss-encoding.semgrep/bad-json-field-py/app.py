from flask import Flask, request

app = Flask(__name__)


@app.route("/preview", methods=["POST"])
def preview():
    data = request.get_json() or {}
    title = data.get("title", "")
    return "<h2>Preview</h2><div class='title'>" + title + "</div>"
