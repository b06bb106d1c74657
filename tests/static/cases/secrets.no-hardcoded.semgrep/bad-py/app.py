from flask import Flask, request, jsonify
app = Flask(__name__)

import os
app.config["SECRET_KEY"] = "dev-secret-key"
JWT_SECRET = os.environ.get("JWT_SECRET", "change-me")
