# Generated code that builds SQL with + and f-strings, but only from constants, casts,
# placeholder lists and allowlisted names: nothing from the request reaches the SQL text.
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
TABLE = "products"
COLUMNS = "id, name, price"
SORTABLE = {"name": "name", "price": "price"}


def db():
    return sqlite3.connect("shop.db")


@app.route("/products")
def products():
    order = "DESC" if request.args.get("desc") == "1" else "ASC"
    column = SORTABLE.get(request.args.get("sort", "name"), "name")
    limit = int(request.args.get("limit", 20))
    query = "SELECT " + COLUMNS + " FROM " + TABLE + f" ORDER BY {column} {order} LIMIT {limit}"
    rows = db().execute(query).fetchall()
    return jsonify(rows)


@app.route("/products/by-ids", methods=["POST"])
def by_ids():
    ids = request.get_json()["ids"]
    placeholders = ",".join("?" for _ in ids)
    rows = db().execute(f"SELECT * FROM {TABLE} WHERE id IN ({placeholders})", ids).fetchall()
    return jsonify(rows)


@app.route("/products/sorted")
def sorted_products():
    sort = request.args.get("sort", "name")
    if sort not in ("name", "price"):
        return jsonify({"error": "bad sort"}), 400
    rows = db().execute(f"SELECT * FROM products ORDER BY {sort}").fetchall()
    return jsonify(rows)
