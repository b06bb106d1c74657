// ORDER BY and LIKE built from the query string (better-sqlite3 and sqlite3 callbacks).
const express = require('express');
const Database = require('better-sqlite3');
const sqlite3 = require('sqlite3');

const app = express();
const db = new Database('cart.db');
const legacy = new sqlite3.Database('legacy.db');

app.get('/items', (req, res) => {
  const sort = req.query.sort || 'id';
  legacy.all('SELECT id, name FROM items ORDER BY ' + sort, [], (err, rows) => {
    res.json(rows);
  });
});

app.get('/items/search', (req, res) => {
  const stmt = db.prepare(`SELECT * FROM items WHERE name LIKE '%${req.query.q}%'`);
  res.json(stmt.all());
});

app.listen(3000);
