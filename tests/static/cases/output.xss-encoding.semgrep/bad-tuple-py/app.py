import sqlite3

from flask import Flask, escape

app = Flask(__name__)


@app.route("/pages/<title>")
def view_page(title):
    row = sqlite3.connect("wiki.db").execute("SELECT content FROM pages WHERE title = ?", (title,)).fetchone()
    if not row:
        return f"<h1>Page {title} not found</h1>", 404
    return "<h1>" + escape(title) + "</h1>"
