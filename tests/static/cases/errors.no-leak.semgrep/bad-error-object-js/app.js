const express = require('express');
const sqlite3 = require('sqlite3');
const app = express();
const db = new sqlite3.Database('app.db');

app.get('/users', (req, res) => {
  db.all('SELECT id, email FROM users', [], (err, rows) => {
    if (err) { return res.status(500).json({ error: err }); }
    res.json(rows);
  });
});

app.listen(3000);
