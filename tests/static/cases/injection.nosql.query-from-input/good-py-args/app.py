from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["app"]


@app.get("/notes")
def list_notes():
    # query-string values are strings: they cannot carry an operator object
    query = {"public": True}
    if request.args.get("title"):
        query["title"] = request.args["title"]
    tags = request.args.getlist("tag")
    if tags:
        query["tags"] = {"$in": tags}
    return jsonify([n["title"] for n in db.notes.find(query).limit(50)])
