from flask import Flask, request, jsonify
app = Flask(__name__)

@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    f.save("/tmp/" + f.filename)
    return jsonify(ok=True)
