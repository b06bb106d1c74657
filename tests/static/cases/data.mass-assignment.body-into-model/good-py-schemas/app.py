from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from marshmallow import Schema, fields
from pydantic import BaseModel

app = Flask(__name__)
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
    is_admin = db.Column(db.Boolean, default=False)


class UserSchema(Schema):
    name = fields.Str(required=True)


class UserCreate(BaseModel):
    name: str


@app.post("/users")
def create_user():
    data = UserSchema().load(request.get_json())  # unknown fields raise
    user = User(**data)
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@app.post("/v2/users")
def create_user_v2():
    body = UserCreate(**request.get_json())
    user = User(**body.model_dump())
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201
