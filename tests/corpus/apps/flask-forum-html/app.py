import sqlite3
import traceback

from flask import Flask, request, render_template_string, redirect

app = Flask(__name__)
DB = 'forum.db'


def get_db():
    c = sqlite3.connect(DB)
    c.row_factory = sqlite3.Row
    return c


def init():
    c = get_db()
    c.execute('CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY AUTOINCREMENT, author TEXT, title TEXT, body TEXT)')
    c.commit()


PAGE = """<!doctype html><html><body><h1>Forum</h1>
{% for p in posts %}<div class="post"><h2>{{ p['title'] }}</h2><p>{{ p['body'] | safe }}</p><i>by {{ p['author'] }}</i></div>{% endfor %}
<form method="post" action="/posts"><input name="author"><input name="title"><textarea name="body"></textarea><button>Post</button></form>
</body></html>"""


@app.route('/')
def index():
    posts = get_db().execute('SELECT * FROM posts ORDER BY id DESC').fetchall()
    return render_template_string(PAGE, posts=posts)


@app.route('/posts', methods=['POST'])
def create_post():
    author = request.form.get('author') or (request.json or {}).get('author') if request.is_json else request.form.get('author')
    data = request.get_json(silent=True) or request.form
    title = data.get('title')
    body = data.get('body')
    if not title:
        return 'title required', 400
    c = get_db()
    cur = c.execute('INSERT INTO posts (author, title, body) VALUES (?, ?, ?)', (author or 'anon', title, body))
    c.commit()
    if request.is_json:
        return {'id': cur.lastrowid, 'title': title, 'body': body}, 201
    return redirect('/')


@app.route('/posts/<pid>')
def show_post(pid):
    try:
        row = get_db().execute('SELECT * FROM posts WHERE id = ' + pid).fetchone()
        if row is None:
            return 'Not found', 404
        return render_template_string('<h1>' + row['title'] + '</h1><div>{{ body|safe }}</div>', body=row['body'])
    except Exception:
        return '<pre>' + traceback.format_exc() + '</pre>', 500


@app.route('/search')
def search():
    q = request.args.get('q', '')
    rows = get_db().execute("SELECT * FROM posts WHERE title LIKE '%" + q + "%'").fetchall()
    return render_template_string('<p>Results for ' + q + '</p>{% for p in posts %}<li>{{ p["title"] }}</li>{% endfor %}', posts=rows)


if __name__ == '__main__':
    init()
    app.run(host='0.0.0.0', port=5000)
