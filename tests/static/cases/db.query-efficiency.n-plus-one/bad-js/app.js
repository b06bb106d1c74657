const express = require('express');
const app = express();
app.use(express.json());

app.get('/todos', async (req, res) => {
  const todos = await db.query('SELECT * FROM todos');
  for (const t of todos) {
    t.owner = await db.get('SELECT email FROM users WHERE id = ?', [t.user_id]);
  }
  res.json(todos);
});
