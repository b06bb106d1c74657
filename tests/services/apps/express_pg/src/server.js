// Tasks API: Express + PostgreSQL (pg), JWT auth, bcrypt passwords.
const express = require('express');
const bcrypt = require('bcryptjs');
const jwt = require('jsonwebtoken');
const { pool } = require('./db');

const app = express();
app.use(express.json({ limit: '100kb' }));
const SECRET = process.env.JWT_SECRET;

function auth(req, res, next) {
  const header = req.headers.authorization || '';
  try {
    req.user = jwt.verify(header.replace(/^Bearer /, ''), SECRET);
    return next();
  } catch (err) {
    return res.status(401).json({ error: 'not signed in' });
  }
}

app.post('/api/auth/register', async (req, res) => {
  const { email, password } = req.body || {};
  if (typeof email !== 'string' || typeof password !== 'string' || password.length < 8) {
    return res.status(400).json({ error: 'email and a password of 8+ characters are required' });
  }
  const hash = await bcrypt.hash(password, 10);
  try {
    const { rows } = await pool.query(
      'INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id, email',
      [email, hash],
    );
    return res.status(201).json(rows[0]);
  } catch (err) {
    return res.status(409).json({ error: 'email taken' });
  }
});

app.post('/api/auth/login', async (req, res) => {
  const { email, password } = req.body || {};
  const { rows } = await pool.query('SELECT * FROM users WHERE email = $1', [email]);
  if (!rows[0] || !(await bcrypt.compare(String(password), rows[0].password_hash))) {
    return res.status(401).json({ error: 'bad credentials' });
  }
  const token = jwt.sign({ sub: rows[0].id }, SECRET, { expiresIn: '1h' });
  return res.json({ token });
});

app.get('/api/tasks', auth, async (req, res) => {
  const { rows } = await pool.query('SELECT id, title FROM tasks WHERE owner_id = $1', [req.user.sub]);
  res.json(rows);
});

app.post('/api/tasks', auth, async (req, res) => {
  const { title } = req.body || {};
  if (typeof title !== 'string' || !title.trim()) {
    return res.status(400).json({ error: 'title is required' });
  }
  const { rows } = await pool.query(
    'INSERT INTO tasks (owner_id, title) VALUES ($1, $2) RETURNING id, title',
    [req.user.sub, title],
  );
  return res.status(201).json(rows[0]);
});

// Planted defect: the search concatenates user input into SQL.
app.get('/api/tasks/search', auth, async (req, res, next) => {
  try {
    const q = req.query.q || '';
    const { rows } = await pool.query(
      `SELECT id, title FROM tasks WHERE owner_id = ${req.user.sub} AND title LIKE '%${q}%'`,
    );
    return res.json(rows);
  } catch (err) {
    return next(err);
  }
});

app.get('/api/tasks/:id', auth, async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT id, title, owner_id FROM tasks WHERE id = $1', [
      req.params.id,
    ]);
    if (!rows[0] || rows[0].owner_id !== req.user.sub) {
      return res.status(404).json({ error: 'not found' });
    }
    return res.json({ id: rows[0].id, title: rows[0].title });
  } catch (err) {
    return next(err);
  }
});

app.delete('/api/tasks/:id', auth, async (req, res) => {
  const { rowCount } = await pool.query('DELETE FROM tasks WHERE id = $1 AND owner_id = $2', [
    req.params.id,
    req.user.sub,
  ]);
  return rowCount ? res.status(204).end() : res.status(404).json({ error: 'not found' });
});

// eslint-disable-next-line no-unused-vars
app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`tasks api on ${port}`));
