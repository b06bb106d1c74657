import sqlite3
from html import escape

from flask import Flask, request

app = Flask(__name__)
DB = 'profiles.db'


def db():
    c = sqlite3.connect(DB)
    c.row_factory = sqlite3.Row
    return c


with db() as c:
    c.execute('CREATE TABLE IF NOT EXISTS profiles (username TEXT PRIMARY KEY, display_name TEXT, bio TEXT)')


@app.route('/profiles', methods=['POST'])
def create_profile():
    username = request.form.get('username')
    display_name = request.form.get('display_name', '')
    bio = request.form.get('bio', '')
    if not username:
        return 'username is required', 400
    with db() as c:
        exists = c.execute('SELECT 1 FROM profiles WHERE username = ?', (username,)).fetchone()
        if exists:
            return 'profile already exists', 403
        c.execute('INSERT INTO profiles (username, display_name, bio) VALUES (?, ?, ?)',
                  (username, display_name, bio))
    return 'Profile created', 201


@app.route('/profiles/<username>')
def view_profile(username):
    row = db().execute('SELECT * FROM profiles WHERE username = ?', (username,)).fetchone()
    if row is None:
        return 'Profile not found', 404
    page = f"""<!DOCTYPE html>
<html><head><title>{escape(row['display_name'])}</title></head>
<body>
  <h1>{escape(row['display_name'])}</h1>
  <p class="handle">@{escape(row['username'])}</p>
  <div class="bio">{escape(row['bio'])}</div>
</body></html>"""
    return page


if __name__ == '__main__':
    app.run(host='0.0.0.0', port=5000)
