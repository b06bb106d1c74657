# The allowlist check does not stop the request: the value still reaches the SQL text.
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/products")
def products():
    sort = request.args.get("sort", "name")
    if sort not in ("name", "price"):
        print("unknown sort column", sort)
    rows = sqlite3.connect("shop.db").execute("SELECT * FROM products ORDER BY %s" % sort).fetchall()
    return jsonify(rows)
