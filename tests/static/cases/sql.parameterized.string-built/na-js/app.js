const express = require('express');
const app = express();
app.use(express.json());

const todos = [];
app.get('/todos', (req, res) => res.json(todos));
