import sqlite3

from flask import Flask, jsonify, render_template_string, request

app = Flask(__name__)
DB = 'shop.db'

PAGE = """<!doctype html>
<html><head><title>Recommendations</title></head>
<body>
  <h1>Recommended for you</h1>
  <ul>
  {% for p in products %}
    <li class="product">{{ p['product_name'] | safe }}</li>
  {% endfor %}
  </ul>
</body></html>"""


def get_db():
    conn = sqlite3.connect(DB)
    conn.row_factory = sqlite3.Row
    return conn


def init_db():
    with get_db() as conn:
        conn.execute('CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY AUTOINCREMENT, product_name TEXT NOT NULL)')
        conn.execute('CREATE TABLE IF NOT EXISTS tags (product_id INTEGER, tag TEXT)')


@app.route('/recommender', methods=['POST'])
def post_product():
    data = request.get_json(silent=True) or {}
    name = data.get('product_name')
    tags = data.get('tags') or []
    if not isinstance(name, str) or not isinstance(tags, list):
        return jsonify({'error': 'product_name and tags are required'}), 400
    with get_db() as conn:
        cur = conn.execute('INSERT INTO products (product_name) VALUES (?)', (name,))
        for tag in tags:
            conn.execute('INSERT INTO tags (product_id, tag) VALUES (?, ?)', (cur.lastrowid, str(tag)))
    return jsonify({'id': cur.lastrowid, 'product_name': name, 'tags': tags}), 200


@app.route('/recommender', methods=['GET'])
def get_recommendations():
    wanted = [t.strip() for t in request.args.get('tags', '').split(',') if t.strip()]
    if not wanted:
        return render_template_string(PAGE, products=[])
    marks = ','.join('?' * len(wanted))
    rows = get_db().execute(
        f'SELECT DISTINCT p.product_name FROM products p JOIN tags t ON t.product_id = p.id WHERE t.tag IN ({marks})',
        wanted,
    ).fetchall()
    return render_template_string(PAGE, products=rows)


if __name__ == '__main__':
    init_db()
    app.run(host='0.0.0.0', port=5000)
