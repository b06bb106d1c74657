from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
    is_admin = db.Column(db.Boolean, default=False)


@app.post("/users")
def create_user():
    data = request.get_json()
    user = User(**data)  # {"is_admin": true} is accepted
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201
