import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/set_secret", methods=["POST"])
def set_secret():
    conn = sqlite3.connect("db.sqlite3")
    try:
        conn.execute("INSERT INTO secrets (secret) VALUES (?)", (request.get_json()["secret"],))
        conn.commit()
    except Exception as e:
        return jsonify({"message": f"Error: {e}"}), 500
    finally:
        conn.close()
    return jsonify({"message": "Secret has been set successfully"}), 200
