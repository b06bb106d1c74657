const express = require('express');
const app = express();
app.use(express.json());

app.post('/todos', (req, res) => { const h = req.headers.authorization || ''; res.json({ bearer: h.startsWith('Bearer ') }); });
