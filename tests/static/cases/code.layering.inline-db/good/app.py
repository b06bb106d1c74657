from flask import Flask, request, jsonify
app = Flask(__name__)

from services import todo_service

@app.route("/todos")
def list_todos():
    return jsonify(todo_service.list_todos())
