const express = require('express');
const app = express();
app.use(express.json());

app.get('/todos', (req, res) => {
  db.all('SELECT * FROM todos', [], (err, rows) => {
    if (err) { console.error(err); return res.status(500).json({ error: 'internal error' }); }
    res.json(rows);
  });
});
