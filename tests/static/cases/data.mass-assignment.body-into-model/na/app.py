from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/time")
def now():
    import time

    return jsonify(now=time.time())
