"""A Flask app on MariaDB through PyMySQL, configured the compose way: DATABASE_URL names host `db`."""

import os
from urllib.parse import urlsplit

import pymysql
from flask import Flask, jsonify, request

app = Flask(__name__)
url = urlsplit(os.environ["DATABASE_URL"])


def conn():
    return pymysql.connect(
        host=url.hostname,
        port=url.port or 3306,
        user=url.username,
        password=url.password or "",
        database=url.path.lstrip("/"),
        autocommit=True,
    )


with conn() as c, c.cursor() as cur:
    cur.execute("CREATE TABLE IF NOT EXISTS items (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT)")


@app.post("/items")
def add():
    with conn() as c, c.cursor() as cur:
        cur.execute("INSERT INTO items (name) VALUES (%s)", (request.json["name"],))
    return jsonify(ok=True), 201


@app.get("/health")
def health():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)))
