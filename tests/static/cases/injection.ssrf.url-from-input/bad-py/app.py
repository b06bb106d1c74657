import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/avatar")
def fetch_avatar():
    url = request.json["avatar_url"]
    resp = requests.get(url, timeout=5)
    return jsonify(size=len(resp.content))
