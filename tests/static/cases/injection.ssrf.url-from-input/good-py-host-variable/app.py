from urllib.parse import urlparse

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
ALLOWED_HOSTS = {"api.example.com"}


@app.get("/proxy")
def proxy():
    url = request.args["url"]
    host = urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        return jsonify(error="host not allowed"), 400
    return jsonify(body=requests.get(url, timeout=5, allow_redirects=False).text[:1000])
