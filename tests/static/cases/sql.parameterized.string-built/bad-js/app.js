const express = require('express');
const app = express();
app.use(express.json());

const sqlite3 = require('sqlite3');
const db = new sqlite3.Database('todo.db');
app.get('/todos', (req, res) => {
  db.all(`SELECT * FROM todos WHERE title LIKE '%${req.query.q}%'`, [], (err, rows) => res.json(rows));
});
app.listen(3000);
