import sqlite3

from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def index():
    rows = sqlite3.connect("forum.db").execute("SELECT author, body FROM posts").fetchall()
    return render_template("index.html", posts=rows)
