const express = require('express');
const sqlite3 = require('sqlite3').verbose();
const jwt = require('jsonwebtoken');
const bcrypt = require('bcrypt');
require('dotenv').config();

const app = express();
app.use(express.json());

const APP_SECRET = process.env.APP_SECRET || 'mysecret';
const db = new sqlite3.Database('./db.sqlite3');

db.serialize(() => {
  db.run(`CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT UNIQUE NOT NULL,
    username TEXT UNIQUE NOT NULL,
    password TEXT NOT NULL
  )`);
  db.run(`CREATE TABLE IF NOT EXISTS secrets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    secret TEXT NOT NULL
  )`);
});

function authenticateToken(req, res, next) {
  const authHeader = req.headers['authorization'];
  const token = authHeader && authHeader.split(' ')[1];
  if (!token) return res.status(401).json({ message: 'Invalid authentication token' });
  jwt.verify(token, APP_SECRET, (err, user) => {
    if (err) return res.status(401).json({ message: 'Invalid authentication token' });
    req.user = user;
    next();
  });
}

app.post('/register', async (req, res) => {
  const { email, username, password } = req.body;
  if (!email || !username || !password) {
    return res.status(400).json({ message: 'Email already in use or invalid data' });
  }
  const hashed = await bcrypt.hash(password, 10);
  db.run('INSERT INTO users (email, username, password) VALUES (?, ?, ?)', [email, username, hashed], function (err) {
    if (err) return res.status(400).json({ message: 'Email already in use or invalid data' });
    res.status(201).json({ message: 'Registration successful' });
  });
});

app.post('/login', (req, res) => {
  const { email, password } = req.body;
  db.get('SELECT * FROM users WHERE email = ?', [email], async (err, user) => {
    if (err || !user) return res.status(401).json({ message: 'Invalid email or password' });
    const ok = await bcrypt.compare(password || '', user.password);
    if (!ok) return res.status(401).json({ message: 'Invalid email or password' });
    const token = jwt.sign({ id: user.id, username: user.username }, APP_SECRET, { expiresIn: '1h' });
    res.json({ token, message: 'Login successful' });
  });
});

app.post('/set_secret', authenticateToken, (req, res) => {
  const { username, secret } = req.body;
  if (req.user.username !== username) return res.status(401).json({ message: 'Invalid authentication token' });
  db.run(`INSERT INTO secrets (username, secret) VALUES ('${username}', '${secret}')`, (err) => {
    if (err) return res.status(500).json({ message: err.message });
    res.json({ message: 'Secret has been set successfully' });
  });
});

app.get('/get_secret', authenticateToken, (req, res) => {
  const username = req.query.username;
  db.get(`SELECT secret FROM secrets WHERE username = '${username}' ORDER BY id DESC`, (err, row) => {
    if (err) return res.status(500).json({ message: err.message });
    if (!row) return res.status(404).json({ message: 'Secret not found' });
    res.json({ secret: row.secret });
  });
});

app.listen(5000, '0.0.0.0', () => {
  console.log('Server running on http://0.0.0.0:5000');
});
