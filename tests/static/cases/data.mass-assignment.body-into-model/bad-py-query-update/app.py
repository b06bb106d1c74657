from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Account(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    nickname = db.Column(db.String(80))
    balance = db.Column(db.Integer, default=0)


@app.put("/accounts/<int:account_id>")
def update_account(account_id: int):
    Account.query.filter_by(id=account_id).update(request.get_json())
    db.session.commit()
    return jsonify(ok=True)
