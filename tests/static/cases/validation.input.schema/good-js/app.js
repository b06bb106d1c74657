const express = require('express');
const app = express();
app.use(express.json());

app.post('/todos', (req, res) => {
  if (typeof req.body.title !== 'string' || !req.body.title.trim()) return res.status(400).json({ error: 'title required' });
  res.status(201).json({ title: req.body.title });
});
