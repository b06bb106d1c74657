from bson import ObjectId
from flask import Flask, jsonify, request
from pymongo import MongoClient
from werkzeug.security import check_password_hash

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["app"]


@app.post("/login")
def login():
    data = request.get_json() or {}
    user = db.users.find_one({"username": str(data.get("username", ""))})
    if user is None or not check_password_hash(user["password_hash"], str(data.get("password", ""))):
        return jsonify(error="invalid credentials"), 401
    return jsonify(id=str(user["_id"]))


@app.get("/users/<user_id>")
def get_user(user_id):
    user = db.users.find_one({"_id": ObjectId(user_id)})
    return jsonify(name=user["name"]) if user else (jsonify(error="not found"), 404)
