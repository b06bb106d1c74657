const express = require('express');
const sqlite3 = require('sqlite3').verbose();
const crypto = require('crypto');
const jwt = require('jsonwebtoken');

const app = express();
app.use(express.json());

const JWT_SECRET = process.env.JWT_SECRET || crypto.randomBytes(32).toString('hex');
const db = new sqlite3.Database(process.env.DB_FILE || './notes.db');

db.serialize(() => {
  db.run(`CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT UNIQUE NOT NULL,
    pw TEXT NOT NULL,
    created_at TEXT DEFAULT CURRENT_TIMESTAMP
  )`);
  db.run(`CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT
  )`);
});

const digest = (password) => crypto.createHash('sha256').update(password).digest('hex');

function requireAuth(req, res, next) {
  const header = req.headers.authorization || '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : null;
  if (!token) return res.status(401).json({ error: 'unauthorized' });
  try {
    req.accountId = jwt.verify(token, JWT_SECRET).sub;
    next();
  } catch (e) {
    return res.status(401).json({ error: 'unauthorized' });
  }
}

// Rails-style sign-up: { "user": { "email": "...", "password": "..." } }
app.post('/users', (req, res) => {
  const user = req.body.user || {};
  if (!user.email || !user.password) {
    return res.status(422).json({ error: 'user.email and user.password are required' });
  }
  db.run('INSERT INTO accounts (email, pw) VALUES (?, ?)', [user.email, digest(user.password)], function (err) {
    if (err) return res.status(422).json({ error: 'email has already been taken' });
    res.status(201).json({ user: { id: this.lastID, email: user.email } });
  });
});

app.post('/sessions', (req, res) => {
  const user = req.body.user || {};
  db.get('SELECT id, pw FROM accounts WHERE email = ?', [user.email], (err, row) => {
    if (err || !row || row.pw !== digest(user.password || '')) {
      return res.status(401).json({ error: 'invalid email or password' });
    }
    const token = jwt.sign({ sub: row.id }, JWT_SECRET, { expiresIn: '1h' });
    res.json({ token });
  });
});

app.get('/notes', requireAuth, (req, res) => {
  db.all('SELECT id, title, body FROM notes WHERE account_id = ?', [req.accountId], (err, rows) => {
    if (err) return res.status(500).json({ error: 'internal error' });
    res.json(rows);
  });
});

app.post('/notes', requireAuth, (req, res) => {
  const { title, body } = req.body;
  if (typeof title !== 'string' || !title.trim()) {
    return res.status(400).json({ error: 'title is required' });
  }
  db.run('INSERT INTO notes (account_id, title, body) VALUES (?, ?, ?)', [req.accountId, title, body || ''], function (err) {
    if (err) return res.status(500).json({ error: 'internal error' });
    res.status(201).json({ id: this.lastID, title, body: body || '' });
  });
});

app.get('/notes/:id', requireAuth, (req, res) => {
  db.get('SELECT id, title, body FROM notes WHERE id = ? AND account_id = ?', [req.params.id, req.accountId], (err, row) => {
    if (err) return res.status(500).json({ error: 'internal error' });
    if (!row) return res.status(404).json({ error: 'not found' });
    res.json(row);
  });
});

app.delete('/notes/:id', requireAuth, (req, res) => {
  db.run('DELETE FROM notes WHERE id = ? AND account_id = ?', [req.params.id, req.accountId], function (err) {
    if (err) return res.status(500).json({ error: 'internal error' });
    if (this.changes === 0) return res.status(404).json({ error: 'not found' });
    res.status(204).end();
  });
});

const PORT = process.env.PORT || 3000;
app.listen(PORT, '0.0.0.0', () => console.log(`listening on ${PORT}`));
