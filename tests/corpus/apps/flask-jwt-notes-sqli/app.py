import os
import sqlite3
import datetime
import jwt
from flask import Flask, request, jsonify, g

app = Flask(__name__)
app.config['SECRET_KEY'] = os.environ.get('APP_SECRET', 'default-secret')
DATABASE = 'db.sqlite3'


def get_db():
    db = getattr(g, '_database', None)
    if db is None:
        db = g._database = sqlite3.connect(DATABASE)
        db.row_factory = sqlite3.Row
    return db


@app.teardown_appcontext
def close_connection(exception):
    db = getattr(g, '_database', None)
    if db is not None:
        db.close()


def init_db():
    with app.app_context():
        db = get_db()
        db.execute('''CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT UNIQUE NOT NULL,
            password TEXT NOT NULL)''')
        db.execute('''CREATE TABLE IF NOT EXISTS notes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL,
            title TEXT,
            content TEXT)''')
        db.commit()


def token_required(f):
    from functools import wraps

    @wraps(f)
    def decorated(*args, **kwargs):
        auth = request.headers.get('Authorization', '')
        if not auth.startswith('Bearer '):
            return jsonify({'message': 'Token is missing'}), 401
        try:
            data = jwt.decode(auth[7:], app.config['SECRET_KEY'], algorithms=['HS256'])
        except Exception:
            return jsonify({'message': 'Token is invalid'}), 401
        return f(data['user_id'], *args, **kwargs)
    return decorated


@app.route('/register', methods=['POST'])
def register():
    data = request.get_json()
    email = data.get('email')
    password = data.get('password')
    if not email or not password:
        return jsonify({'message': 'Email and password are required'}), 400
    db = get_db()
    try:
        db.execute('INSERT INTO users (email, password) VALUES (?, ?)', (email, password))
        db.commit()
    except sqlite3.IntegrityError:
        return jsonify({'message': 'Email already in use'}), 400
    return jsonify({'message': 'Registration successful'}), 201


@app.route('/login', methods=['POST'])
def login():
    data = request.get_json()
    email = data.get('email')
    password = data.get('password')
    db = get_db()
    query = f"SELECT * FROM users WHERE email = '{email}' AND password = '{password}'"
    user = db.execute(query).fetchone()
    if user is None:
        return jsonify({'message': 'Invalid email or password'}), 401
    token = jwt.encode({'user_id': user['id'],
                        'exp': datetime.datetime.utcnow() + datetime.timedelta(hours=1)},
                       app.config['SECRET_KEY'], algorithm='HS256')
    return jsonify({'token': token, 'message': 'Login successful'}), 200


@app.route('/notes', methods=['POST'])
@token_required
def create_note(user_id):
    data = request.get_json()
    db = get_db()
    cur = db.execute('INSERT INTO notes (user_id, title, content) VALUES (?, ?, ?)',
                     (user_id, data.get('title'), data.get('content')))
    db.commit()
    return jsonify({'id': cur.lastrowid, 'title': data.get('title'), 'content': data.get('content')}), 201


@app.route('/notes', methods=['GET'])
@token_required
def list_notes(user_id):
    db = get_db()
    rows = db.execute('SELECT * FROM notes WHERE user_id = ?', (user_id,)).fetchall()
    return jsonify([dict(r) for r in rows])


@app.route('/notes/<int:note_id>', methods=['GET'])
@token_required
def get_note(user_id, note_id):
    db = get_db()
    row = db.execute('SELECT * FROM notes WHERE id = ?', (note_id,)).fetchone()
    if row is None:
        return jsonify({'message': 'Note not found'}), 404
    return jsonify(dict(row))


@app.route('/notes/<int:note_id>', methods=['DELETE'])
@token_required
def delete_note(user_id, note_id):
    db = get_db()
    db.execute('DELETE FROM notes WHERE id = ? AND user_id = ?', (note_id, user_id))
    db.commit()
    return jsonify({'message': 'Note deleted'})


if __name__ == '__main__':
    init_db()
    app.run(host='0.0.0.0', port=5000)
