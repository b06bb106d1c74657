from flask import Flask, request, jsonify
app = Flask(__name__)

import sqlite3
conn = sqlite3.connect("todo.db")
conn.execute("CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY)")
