const express = require('express');
const app = express();
app.use(express.json());

app.post('/register', (req, res) => {
  db.transaction(() => {
    db.prepare('INSERT INTO users (email) VALUES (?)').run(req.body.email);
    db.prepare('INSERT INTO activity (action) VALUES (?)').run('register');
  })();
  db.run('INSERT INTO users (email) VALUES (?)', [req.body.email]);
  res.status(201).json({});
});
