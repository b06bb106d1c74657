from flask import Flask, request, jsonify
app = Flask(__name__)

app.config["SESSION_COOKIE_SECURE"] = False
@app.route("/")
def i():
    return jsonify(ok=True)
