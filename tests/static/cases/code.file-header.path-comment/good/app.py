# File: app.py
from flask import Flask, request, jsonify
app = Flask(__name__)

