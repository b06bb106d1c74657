from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["app"]


@app.post("/auth/login")
def login():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not isinstance(password, str):
        return jsonify(error="password must be a string"), 400
    user = db.users.find_one({"username": username})
    return jsonify(id=str(user["_id"])) if user else (jsonify(error="invalid"), 401)
