const express = require('express');
const app = express();
app.use(express.json());
const todos = [];

app.get('/todos', (req, res) => res.json({ todos, tag: process.env.TEST_TAG || null }));
app.post('/todos', (req, res) => {
  const todo = { id: todos.length + 1, title: req.body.title };
  todos.push(todo);
  res.status(201).json(todo);
});
app.get('/todos/:id', (req, res) => {
  const todo = todos.find((t) => t.id === Number(req.params.id));
  if (!todo) return res.status(404).json({ error: 'not found' });
  res.json(todo);
});

app.listen(3000, () => console.log('listening on 3000'));
