from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    # no tag in the text, but Flask serves a str as text/html
    return "Hello " + request.args["name"]
