from flask import Flask, request, jsonify
app = Flask(__name__)

import os
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
JWT_SECRET = os.environ["JWT_SECRET"]
