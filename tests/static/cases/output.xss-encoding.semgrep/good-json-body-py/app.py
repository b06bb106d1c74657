import sqlite3

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)
items = []


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80))

    def __repr__(self):
        return f"<User {self.username}>"


@app.route("/items", methods=["POST"])
def create_item():
    # the JSON body handed back is served as application/json
    data = request.get_json()
    items.append(data)
    return data, 201


@app.route("/items/<int:item_id>")
def get_item(item_id):
    row = sqlite3.connect("app.db").execute("SELECT id, name FROM items WHERE id = ?", (item_id,)).fetchone()
    return {"id": row[0], "name": row[1]}
