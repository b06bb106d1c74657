const express = require('express');
const app = express();
app.use(express.json());

let todos = [];
app.get('/todos', (req, res) => res.json(todos.filter(t => !t.done)));
app.delete('/todos/:id', (req, res) => { todos.splice(0, 1); res.status(204).end(); });
