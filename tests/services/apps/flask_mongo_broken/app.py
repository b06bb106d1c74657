"""Notes API on MongoDB (pymongo)."""

import datetime as dt
import os

import bcrypt
import jwt
from bson import ObjectId
from bson.errors import InvalidId
from flask import Flask, g, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
SECRET = os.environ.get("SECRET_KEY", "change-me")
client = MongoClient(os.environ.get("MONGODB_URI", "mongodb://localhost:27017/notes"))
db = client.get_default_database()


def public(doc):
    out = {k: v for k, v in doc.items() if k not in ("_id", "password_hash")}
    out["id"] = str(doc["_id"])
    return out


def current_user():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    return claims["sub"]


@app.before_request
def authenticate():
    g.user = current_user()
    if request.path.startswith("/notes") and g.user is None:
        return jsonify(error="authentication required"), 401
    return None


@app.post("/auth/register")
def register():
    data = request.get_json(silent=True) or {}
    username, password = data.get("username"), data.get("password")
    if not username or not password or len(str(password)) < 8:
        return jsonify(error="username and a password of 8+ characters required"), 400
    if db.users.find_one({"username": username}):
        return jsonify(error="username taken"), 409
    hashed = bcrypt.hashpw(str(password).encode(), bcrypt.gensalt()).decode()
    res = db.users.insert_one({"username": username, "password_hash": hashed})
    return jsonify(id=str(res.inserted_id), username=username), 201


@app.post("/auth/login")
def login():
    data = request.get_json(silent=True) or {}
    user = db.users.find_one({"username": data.get("username")})
    password = str(data.get("password", "")).encode()
    if not user or not bcrypt.checkpw(password, user["password_hash"].encode()):
        return jsonify(error="invalid credentials"), 401
    exp = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    token = jwt.encode({"sub": str(user["_id"]), "exp": exp}, SECRET, algorithm="HS256")
    return jsonify(token=token)


@app.get("/notes")
def list_notes():
    query = {"owner": g.user}
    if request.args.get("title"):
        query["title"] = request.args["title"]
    return jsonify([public(n) for n in db.notes.find(query).limit(100)])


@app.post("/notes")
def create_note():
    data = request.get_json(silent=True) or {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        return jsonify(error="title is required"), 400
    doc = {"title": title, "body": str(data.get("body", "")), "owner": g.user}
    doc["_id"] = db.notes.insert_one(doc).inserted_id
    return jsonify(public(doc)), 201


@app.post("/notes/search")
def search_notes():
    data = request.get_json(silent=True) or {}
    found = db.notes.find({"owner": g.user, "title": data.get("title")}).limit(100)
    return jsonify([public(n) for n in found])


def own_note(note_id):
    try:
        return db.notes.find_one({"_id": ObjectId(note_id), "owner": g.user})
    except InvalidId:
        return None


@app.get("/notes/<note_id>")
def get_note(note_id):
    note = own_note(note_id)
    return (jsonify(public(note)), 200) if note else (jsonify(error="not found"), 404)


@app.put("/notes/<note_id>")
def update_note(note_id):
    note = own_note(note_id)
    if not note:
        return jsonify(error="not found"), 404
    data = request.get_json(silent=True) or {}
    changes = {k: data[k] for k in ("title", "body") if isinstance(data.get(k), str)}
    if changes:
        db.notes.update_one({"_id": note["_id"]}, {"$set": changes})
    return jsonify(public({**note, **changes}))


@app.delete("/notes/<note_id>")
def delete_note(note_id):
    note = own_note(note_id)
    if not note:
        return jsonify(error="not found"), 404
    db.notes.delete_one({"_id": note["_id"]})
    return "", 204


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
