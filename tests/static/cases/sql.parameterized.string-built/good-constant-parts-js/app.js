// better-sqlite3 and sqlite3 queries assembled from constants only: a ternary of two literals,
// parseInt casts, a placeholder list and an allowlisted column.
const express = require('express');
const Database = require('better-sqlite3');
const sqlite3 = require('sqlite3');

const app = express();
const db = new Database('cart.db');
const legacy = new sqlite3.Database('legacy.db');
const TABLE = 'items';
const ALLOWED = ['name', 'price'];

app.get('/items', (req, res) => {
  const order = req.query.order === 'desc' ? 'DESC' : 'ASC';
  const limit = parseInt(req.query.limit, 10) || 10;
  const rows = db.prepare('SELECT * FROM ' + TABLE + ' ORDER BY count ' + order + ' LIMIT ' + limit).all();
  res.json(rows);
});

app.post('/items/by-ids', (req, res) => {
  const ids = req.body.ids;
  const placeholders = ids.map(() => '?').join(',');
  const rows = db.prepare(`SELECT * FROM items WHERE id IN (${placeholders})`).all(...ids);
  res.json(rows);
});

app.get('/messages', (req, res) => {
  const sort = req.query.sort === 'ASC' ? 'ASC' : 'DESC';
  legacy.all(`SELECT * FROM messages ORDER BY id ${sort} LIMIT ? OFFSET ?`, [10, 0], (err, rows) => {
    if (err) return res.status(500).json({ error: 'db' });
    res.json(rows);
  });
});

app.get('/sorted', (req, res) => {
  const column = req.query.column;
  if (!ALLOWED.includes(column)) {
    return res.status(400).json({ error: 'bad column' });
  }
  res.json(db.prepare(`SELECT * FROM items ORDER BY ${column}`).all());
});

app.listen(3000);
