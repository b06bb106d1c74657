from flask import Flask, request, jsonify
app = Flask(__name__)

@app.route("/")
def index():
    return jsonify(ok=True)

app.run(debug=True)
