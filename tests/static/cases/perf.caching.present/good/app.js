const express = require('express');
const app = express();
app.use(express.json());

app.get('/todos', (req, res) => { res.set('Cache-Control', 'private, max-age=30'); res.json([]); });
