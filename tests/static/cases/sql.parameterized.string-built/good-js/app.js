const express = require('express');
const app = express();
app.use(express.json());

const Database = require('better-sqlite3');
const db = new Database('todo.db');
app.get('/todos', (req, res) => {
  res.json(db.prepare('SELECT * FROM todos WHERE title LIKE ?').all(`%${req.query.q}%`));
});
app.listen(3000);
