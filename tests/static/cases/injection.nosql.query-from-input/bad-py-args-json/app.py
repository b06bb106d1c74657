import json

from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://localhost:27017")["app"]


@app.get("/notes")
def list_notes():
    # a client-supplied filter document: {"$where": ...} and operators pass straight through
    query = json.loads(request.args.get("filter", "{}"))
    return jsonify([n["title"] for n in db.notes.find(query).limit(50)])
