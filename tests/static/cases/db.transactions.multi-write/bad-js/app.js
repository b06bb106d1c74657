const express = require('express');
const app = express();
app.use(express.json());

app.post('/register', (req, res) => {
  db.run('INSERT INTO users (email) VALUES (?)', [req.body.email]);
  db.run('INSERT INTO activity (action) VALUES (?)', ['register']);
  res.status(201).json({});
});
