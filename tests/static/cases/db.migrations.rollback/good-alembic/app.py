from flask import Flask, request, jsonify
app = Flask(__name__)

from sqlalchemy import create_engine
engine = create_engine('sqlite:///todo.db')
