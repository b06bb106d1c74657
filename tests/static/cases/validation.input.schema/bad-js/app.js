const express = require('express');
const app = express();
app.use(express.json());

app.post('/todos', (req, res) => { res.status(201).json({ title: req.body.title }); });
