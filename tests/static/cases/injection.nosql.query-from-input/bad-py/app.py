from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["app"]


@app.post("/login")
def login():
    data = request.get_json()
    # {"username": "admin", "password": {"$ne": ""}} matches any password
    user = db.users.find_one({"username": data["username"], "password": data["password"]})
    if user is None:
        return jsonify(error="invalid credentials"), 401
    return jsonify(id=str(user["_id"]))


@app.get("/search")
def search():
    return jsonify([str(u["_id"]) for u in db.users.find(request.args.to_dict())])
