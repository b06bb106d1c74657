import os
from urllib.parse import urlsplit

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
ALLOWED_HOSTS = set(os.environ.get("AVATAR_HOSTS", "cdn.example.net").split(","))


@app.post("/avatar")
def fetch_avatar():
    url = str(request.json["avatar_url"])
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in ALLOWED_HOSTS:
        abort(400)
    resp = requests.get(url, timeout=5, allow_redirects=False)
    return jsonify(size=len(resp.content))
