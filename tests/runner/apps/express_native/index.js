const express = require('express');
const bcrypt = require('bcrypt');
const Database = require('better-sqlite3');
const sqlite3 = require('sqlite3');

const db = new Database(process.env.DB_PATH || 'todos.db');
db.exec('CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, hash TEXT)');
const legacy = new sqlite3.Database(':memory:');

const app = express();
app.use(express.json());

app.post('/register', (req, res) => {
  const hash = bcrypt.hashSync(req.body.password, 4);
  const info = db.prepare('INSERT INTO users (email, hash) VALUES (?, ?)').run(req.body.email, hash);
  res.status(201).json({ id: info.lastInsertRowid, scheme: hash.slice(0, 4) });
});

app.get('/sqlite3', (req, res) => {
  legacy.get('SELECT 41 + 1 AS answer', (err, row) => res.json(err ? { error: String(err) } : row));
});

app.listen(process.env.PORT || 3000);
